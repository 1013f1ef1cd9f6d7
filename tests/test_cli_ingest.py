"""`treatywatch ingest`, `articles` and `show` through the real command line."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from treatywatch.cli import app
from treatywatch.sample import corpus_path, manifest

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def batch_dir(tmp_path: Path) -> Path:
    """Good inputs of several kinds plus one bad file of each common class."""
    folder = tmp_path / "inputs"
    shutil.copytree(FIXTURES, folder)
    (folder / "broken-feed.xml").write_text("<?xml version='1.0'?><rss><channel><item><title>x", encoding="utf-8")
    (folder / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    (folder / "empty.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    return folder


def ingest(runner: CliRunner, db: Path, *args: str) -> object:
    """The command as it was before the relevance prefilter: these tests pin how each input is
    read, whatever its topic (tests/test_stream_prefilter.py pins the prefilter)."""
    return runner.invoke(app, ["ingest", *args, "--db", str(db), "--no-extract", "--keep-off-topic"])


def test_bad_inputs_get_one_line_each_and_the_batch_goes_on(runner: CliRunner, batch_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    result = ingest(runner, db, str(batch_dir))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    errors = [line for line in result.stderr.splitlines() if line.strip()]  # type: ignore[attr-defined]
    failed = {Path(line.split(":")[0].split(" (")[0]).name for line in errors}
    assert failed == {"broken-feed.xml", "picture.html", "empty.html"}
    assert any("unsupported_content" in line for line in errors if "picture.html" in line)
    listed = json.loads(runner.invoke(app, ["articles", "--db", str(db), "--format", "json"]).stdout)
    assert len(listed) >= 5
    assert not any(row["url"] and "broken-feed" in row["url"] for row in listed)


def test_reingesting_stores_nothing_new(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    first = ingest(runner, db, str(FIXTURES))
    second = ingest(runner, db, str(FIXTURES))
    assert first.exit_code == second.exit_code == 0  # type: ignore[attr-defined]
    assert " 0 new articles" in second.stdout  # type: ignore[attr-defined]
    rows = json.loads(runner.invoke(app, ["articles", "--db", str(db), "--format", "json"]).stdout)
    assert len(rows) == len({r["id"] for r in rows})


def test_sample_corpus_ingests_every_article_without_failures(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    result = ingest(runner, db, str(corpus_path()))
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    rows = json.loads(runner.invoke(app, ["articles", "--db", str(db), "--format", "json", "--limit", "100"]).stdout)
    distinct_texts = len(manifest()) - 1  # the wire story's verbatim copy is the same article
    assert len(rows) == distinct_texts


def test_show_prints_clean_text_and_the_removed_furniture(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    ingest(runner, db, str(corpus_path()))
    rows = json.loads(runner.invoke(app, ["articles", "--db", str(db), "--format", "json", "--source",
                                          "thelocalreport.example"]).stdout)
    assert len(rows) == 1
    shown = runner.invoke(app, ["show", rows[0]["id"][:10], "--db", str(db)])
    assert shown.exit_code == 0
    text, _, removed = shown.stdout.partition("removed lines")
    assert "Trusted Source" in removed and "Trusted Source" not in text
    assert "Zalevski" in text


def test_articles_filters_and_formats(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    ingest(runner, db, str(corpus_path()))
    as_csv = runner.invoke(app, ["articles", "--db", str(db), "--format", "csv", "--search", "coal"]).stdout
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert [r["source"] for r in rows] == ["silesianews.example"]
    recent = json.loads(runner.invoke(app, ["articles", "--db", str(db), "--format", "json",
                                            "--since", "2026-01-01"]).stdout)
    assert recent and all(r["published"] >= "2026-01-01" for r in recent)
    bad = runner.invoke(app, ["articles", "--db", str(db), "--format", "xml"])
    assert bad.exit_code == 2 and "unknown format" in bad.stderr


def test_show_of_an_unknown_article_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["show", "deadbeef00", "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 1
    assert "no article 'deadbeef00'" in result.stderr
