"""Inputs found by ``python fuzz/run.py`` that broke an ingest invariant, kept minimal.

Each test names the fuzz target that found it and the invariant (fuzz/targets.py ``check_article``).
"""

from __future__ import annotations

import io
import json
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from test_hostile_payloads import story
from warcio.warcwriter import WARCWriter

from treatywatch.ingest import IngestOptions, read_input
from treatywatch.models import Article

OPTIONS = IngestOptions()
BODY = "The ministry confirmed the vote on the treaty withdrawal bill on the third day."


def read_one(tmp_path: Path, name: str, data: bytes) -> Article:
    path = tmp_path / name
    path.write_bytes(data)
    batch = read_input(str(path), OPTIONS)
    assert batch.rejections == () and len(batch.articles) == 1, batch.rejections
    return batch.articles[0]


def is_iso(value: str) -> bool:
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(value)
            return True
        except ValueError:
            continue
    return False


@pytest.mark.parametrize(("declared", "stored"), [("2025", None), ("0", None), ("!r", None), ("en-GB", "en"), ("PL", "pl")])
def test_feed_language_must_be_a_language_tag(tmp_path: Path, declared: str, stored: str | None) -> None:
    """feed: ``<language>2025</language>`` was stored as language "20"."""
    feed = f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><language>{declared}</language><item><title>V</title><description>{BODY}</description></item></channel></rss>"
    assert read_one(tmp_path, "lang.xml", feed.encode()).language == stored


@pytest.mark.parametrize(("declared", "stored"), [("treaty", None), ("English", None), ("x" * 40, None), ("fr_CA", "fr")])
def test_jsonl_language_must_be_a_language_tag(tmp_path: Path, declared: str, stored: str | None) -> None:
    """jsonl: any string was stored as the language (over the 10-character column, too)."""
    line = json.dumps({"text": BODY, "language": declared})
    assert read_one(tmp_path, "lang.jsonl", line.encode()).language == stored


def resource_warc(**headers: str) -> bytes:
    """One ``resource`` record holding a page, with WARC headers set as given."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    record = writer.create_warc_record("https://warc.example/1", "resource", payload=io.BytesIO(story(1).encode()),
                                       warc_content_type="text/html", warc_headers_dict=headers)
    writer.write_record(record)
    return buffer.getvalue()


def test_warc_target_uri_with_nul_is_cleaned(tmp_path: Path) -> None:
    """warc: ``WARC-Target-URI:\\x00https://...`` was stored with the NUL in the URL."""
    data = resource_warc().replace(b"WARC-Target-URI: https", b"WARC-Target-URI:\x00https", 1)
    article = read_one(tmp_path, "nul.warc", data)
    assert article.url == "https://warc.example/1" and article.source is not None
    assert article.source.domain == "warc.example"


def test_warc_date_that_is_not_a_date_is_dropped(tmp_path: Path) -> None:
    """warc: a ``WARC-Date`` with a NUL (or any non-date) was stored as the publication date."""
    article = read_one(tmp_path, "date.warc", resource_warc(**{"WARC-Date": "\x002026-11-29T09:50:52Z"}))
    assert article.published is None or (is_iso(article.published) and "\x00" not in article.published)


def test_jsonl_title_and_author_lose_control_characters(tmp_path: Path) -> None:
    """jsonl: fields other than the text kept C0 controls and line breaks."""
    line = json.dumps({"text": BODY, "title": "Vote\x1b on the\nbill\x00", "author": "\x07Ana  Kowal", "url": " https://a.example/\x00x "})
    article = read_one(tmp_path, "ctl.jsonl", line.encode())
    assert (article.title, article.author, article.url) == ("Vote on the bill", "Ana Kowal", "https://a.example/x")


def test_the_fuzz_runner_runs_and_prints_its_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``python fuzz/run.py`` itself: a one-second run of one target finds nothing and says so."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fuzz"))
    from run import main

    assert main(["--seconds", "1", "--target", "jsonl", "--in-process", "--crashes", str(tmp_path)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["target", "inputs", "crashes", "seconds"]
    name, inputs, crashes, _ = table[1].split()
    assert (name, crashes) == ("jsonl", "0") and int(inputs) > 0
