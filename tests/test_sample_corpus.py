"""Checks that the bundled sample corpus and the gold fixtures are complete and self-consistent.

These catch a broken fixture (a manifest naming a missing file, a gold mention that is not in its
article, an event type outside the ontology of docs/contracts.md#event-types) before it silently skews a benchmark.
"""

from __future__ import annotations

import gzip
import json
import re
from html import unescape
from pathlib import Path

import feedparser
import pytest
from warcio.archiveiterator import ArchiveIterator

from treatywatch.event_types import registry
from treatywatch.models import EVENT_TYPES
from treatywatch.sample import corpus_path, manifest

GOLD_DIR = Path(__file__).resolve().parent.parent / "bench" / "fixtures" / "gold"

MODALITIES = {"asserted", "planned", "possible", "denied", "alleged"}
WEAPONS = {"anti-personnel mine", "anti-tank mine", "cluster munition", "naval mine"}
TREATIES = {"APMBT", "CCM", "CCW", "ATT", "CWC", "BWC", "NPT", "TPNW"}
ENTITY_TYPES = {"STATE", "ORG", "PERSON", "TREATY", "PLACE", "WEAPON"}
QUOTE_KINDS = {"direct", "indirect", "partial"}
GRAINS = {"day", "month", "year", "decade"}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
GRAIN_RE = {"day": r"^\d{4}-\d{2}-\d{2}$", "month": r"^\d{4}-\d{2}$", "year": r"^\d{4}$",
            "decade": r"^\d{3}0s$"}
ID_RE = re.compile(r"^(state:[A-Z]{3}|treaty:[A-Z][A-Z0-9-]*|(org|person|place|weapon):[a-z0-9-]+)$")


def _gold_files() -> list[Path]:
    return sorted(GOLD_DIR.glob("[0-9][0-9][0-9].gold.json"))


def test_manifest_lists_every_corpus_file_and_each_exists() -> None:
    entries = manifest()
    listed = {e["file"] for e in entries}
    for name in listed:
        assert (corpus_path() / name).is_file(), name
    # Only articles (and their sidecars) in the folder: `treatywatch demo` ingests all of it.
    on_disk = {p.name for p in corpus_path().iterdir() if not p.name.endswith(".meta.json")}
    assert on_disk == listed
    assert len(entries) >= 20
    formats = {e["format"] for e in entries}
    assert {"html", "html.gz", "rss", "atom", "jsonl", "txt", "warc"} <= formats
    keys = {"file", "format", "record", "url", "outlet", "published", "story", "style"}
    for e in entries:
        assert keys <= set(e), e
        assert DATE_RE.match(e["published"]), e


def test_every_multi_record_file_has_the_listed_records() -> None:
    by_file: dict[str, list] = {}
    for e in manifest():
        by_file.setdefault(e["file"], []).append(e["record"])
    for name, records in by_file.items():
        path = corpus_path() / name
        if name.endswith((".rss", ".atom")):
            parsed = feedparser.parse(path.read_bytes())
            assert not parsed.bozo, name
            assert sorted(records) == list(range(len(parsed.entries)))
        elif name.endswith(".jsonl"):
            lines = path.read_text(encoding="utf-8").splitlines()
            assert sorted(records) == list(range(1, len(lines) + 1))
            for line in lines:
                row = json.loads(line)
                assert row.get("text") or row.get("html"), name
        elif name.endswith(".warc.gz"):
            with path.open("rb") as fh:
                uris = [r.rec_headers.get_header("WARC-Target-URI")
                        for r in ArchiveIterator(fh) if r.rec_type == "response"]
            assert sorted(uris) == sorted(records)
        else:
            assert records == [None], name


def test_txt_articles_have_title_line_and_sidecar() -> None:
    for e in manifest():
        if e["format"] != "txt":
            continue
        path = corpus_path() / e["file"]
        lines = path.read_text(encoding="utf-8").split("\n")
        assert lines[0] == e["title"] and lines[1] == ""
        side = json.loads(path.with_name(path.name.replace(".txt", ".meta.json")).read_text())
        assert side["url"] == e["url"] and side["published"] == e["published"]


def _plain(html_or_text: str) -> str:
    """Tags dropped, entities decoded, whitespace collapsed: enough to compare prose."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html_or_text)).split())


def _record_text(entry: dict) -> str:
    """The raw text or markup of one manifest entry, read with the format's usual library."""
    path = corpus_path() / entry["file"]
    fmt, record = entry["format"], entry["record"]
    if fmt == "html.gz":
        return gzip.decompress(path.read_bytes()).decode("utf-8")
    if fmt in ("rss", "atom"):
        item = feedparser.parse(path.read_bytes()).entries[record]
        return str(item["content"][0]["value"] if "content" in item else item["summary"])
    if fmt == "jsonl":
        row = json.loads(path.read_text(encoding="utf-8").splitlines()[record - 1])
        return str(row.get("text") or row["html"])
    if fmt == "warc":
        with path.open("rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_headers.get_header("WARC-Target-URI") == record:
                    return rec.content_stream().read().decode("utf-8")
        raise AssertionError(f"no WARC record {record}")
    return path.read_text(encoding="utf-8")


def test_sample_text_matches_its_gold_article() -> None:
    for e in manifest():
        gold = json.loads((GOLD_DIR / e["gold"]).read_text(encoding="utf-8"))
        text = (GOLD_DIR / gold["text_file"]).read_text(encoding="utf-8")
        assert gold["url"] == e["url"] and gold["published"] == e["published"]
        plain = _plain(_record_text(e))
        for paragraph in text.split("\n\n"):
            assert " ".join(paragraph.split()) in plain, (e["file"], paragraph[:60])
        for line in e.get("furniture_in_article", []):
            assert line in plain, (e["file"], line)


@pytest.mark.parametrize("path", _gold_files(), ids=lambda p: p.name)
def test_gold_file_is_consistent_with_its_article(path: Path) -> None:
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = (GOLD_DIR / gold["text_file"]).read_text(encoding="utf-8")
    assert DATE_RE.match(gold["published"]) and gold["url"].startswith("https://")
    ids = set()
    for ent in gold["entities"]:
        assert ent["type"] in ENTITY_TYPES and ID_RE.match(ent["id"]), ent
        assert ent["mentions"], ent
        for m in ent["mentions"]:
            assert m in text, (ent["id"], m)
        ids.add(ent["id"])
    for role in gold["roles"]:
        assert role["person"] in ids and (role["of"] is None or role["of"] in ids), role
    for q in gold["quotes"]:
        assert q["kind"] in QUOTE_KINDS and q["text"] in text, q
        assert q["speaker"] is None or q["speaker"] in ids, q
    for q in gold["quantities"]:
        assert q["text"] in text and isinstance(q["value"], (int, float)), q
        assert q["value_max"] is None or q["value_max"] >= q["value"], q
    for t in gold["times"]:
        assert t["text"] in text and t["grain"] in GRAINS, t
        assert re.match(GRAIN_RE[t["grain"]], t["value"]), t
    for ev in gold["events"]:
        assert ev["type"] in EVENT_TYPES and ev["modality"] in MODALITIES, ev
        assert ev["evidence"] in text, ev
        assert ev["weapon"] is None or ev["weapon"] in WEAPONS, ev
        assert ev["treaty"] is None or ev["treaty"] in TREATIES, ev
        assert ev["date"] is None or DATE_RE.match(ev["date"]), ev
        for key in ("actor", "recipient", "place", "attributed_to"):
            assert ev.get(key) is None or ev[key] in ids, (key, ev)
        if ev["actor"] and ev["actor"].startswith("state:"):
            assert ev["actor_iso3"] == ev["actor"][6:], ev
        if registry()[ev["type"]].carries("treaty"):
            assert ev["treaty"], ev


def test_there_are_at_least_40_gold_articles_with_texts() -> None:
    files = _gold_files()
    assert len(files) >= 40
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        assert (GOLD_DIR / gold["text_file"]).is_file()
