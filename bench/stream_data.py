"""The data of the stream benchmark (issue 13), read where it lies, streamed, never copied into git.

- the off-topic stream: RealTime QA (``../shared/benchmarks/realtimeqa-news``, 18,016 real
  general-news articles; 29 mention mines, mostly in passing), read line by line from the gzip;
- the on-topic texts: the annotated real-news sets (``bench/realnews``: dev and grown records
  with ``on_topic`` true whose text has been fetched; the White House passages), the White House
  ``mines`` documents (``../shared/benchmarks/whitehouse-briefings``) and the sample corpus's
  on-topic pages;
- the HTML pages: the Zyte benchmark's real pages (``../shared/benchmarks/zyte-article-extraction``).

Every loader yields ``Doc``s one at a time, so a run holds one text at a time, not the stream.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE / "realnews"))

from sets import data_dirs, find_sets, locate_texts, read_jsonl  # noqa: E402
from split import part_of  # noqa: E402


@dataclass(frozen=True)
class Doc:
    """One text of a stream: where it comes from, its title and text, and the truth about it."""

    id: str
    set: str  # dev-tune, dev-check, grown-tune, grown-check, whitehouse, wh-mines, sample, realtimeqa
    title: str
    text: str
    on_topic: bool
    url: str | None = None


def shared_benchmarks() -> Path:
    """``../shared/benchmarks`` above the repository (the worktree's or the main checkout's)."""
    for parent in REPO.parents:
        if (parent / "shared" / "benchmarks").is_dir():
            return parent / "shared" / "benchmarks"
    raise SystemExit("cannot find shared/benchmarks above the repository")


def realtimeqa(limit: int | None = None) -> Iterator[Doc]:
    """RealTime QA articles in file order (sorted by date), up to ``limit``."""
    path = shared_benchmarks() / "realtimeqa-news" / "articles.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if limit is not None and n >= limit:
                return
            row = json.loads(line)
            yield Doc(f"rt{n:05d}", "realtimeqa", row.get("title") or "", row["text"], False, row["url"])


def annotated_on_topic() -> Iterator[Doc]:
    """The on-topic records of the annotated real-news sets whose text is here (by part)."""
    dirs = data_dirs()
    sets = find_sets(dirs)
    for name in sorted(sets):
        if not (name == "dev" or name.startswith("grown") or name == "whitehouse"):
            continue
        records = [r for r in read_jsonl(sets[name]) if r.get("on_topic", True)]
        sub = "whitehouse" if name == "whitehouse" else "texts"
        label = "whitehouse" if name == "whitehouse" else name.split("_")[0]
        for rid, path in sorted(locate_texts(records, dirs, sub).items()):
            record = next(r for r in records if r["id"] == rid)
            part = label if label == "whitehouse" else f"{label}-{part_of(record['story'])}"
            yield Doc(rid, part, "", path.read_text(encoding="utf-8"), True, record.get("url"))


def annotated_missing() -> int:
    """On-topic annotated records whose text is not fetched yet (left out of recall)."""
    dirs = data_dirs()
    sets = find_sets(dirs)
    missing = 0
    for name in sets:
        if name == "dev" or name.startswith("grown"):
            records = [r for r in read_jsonl(sets[name]) if r.get("on_topic", True)]
            missing += len(records) - len(locate_texts(records, dirs, "texts"))
    return missing


def whitehouse_mines() -> Iterator[Doc]:
    """The White House briefing-room documents whose topic is ``mines`` (public domain)."""
    path = shared_benchmarks() / "whitehouse-briefings" / "armscontrol.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            row = json.loads(line)
            if row.get("topic") == "mines":
                yield Doc(f"whm{n:03d}", "wh-mines", row.get("title") or "", row["text"], True, row["url"])


def sample_on_topic() -> Iterator[tuple[str, bytes]]:
    """The sample corpus's on-topic single-page files (HTML or text), as (name, raw bytes)."""
    corpus = REPO / "treatywatch" / "sample" / "corpus"
    manifest = json.loads((REPO / "treatywatch" / "sample" / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest:
        if entry.get("topic") == "on" and entry.get("format") == "html" and entry.get("record") is None:
            raw = (corpus / entry["file"]).read_bytes()
            yield entry["file"], gzip.decompress(raw) if entry["file"].endswith(".gz") else raw


def zyte_pages() -> Iterator[tuple[str, bytes]]:
    """The Zyte benchmark's real HTML pages (general web articles), as (name, raw bytes)."""
    folder = shared_benchmarks() / "zyte-article-extraction" / "html"
    for path in sorted(folder.glob("*.html.gz")):
        yield path.name, gzip.decompress(path.read_bytes())
