"""Where the real-news harness finds its data, and the parts it measures.

The annotated sets are ``bench/realnews/*.jsonl`` (``dev``, ``grown_*``, ``whitehouse``): each is
read from this tree's folder, else from the main worktree's (where annotators add records and
where the texts are fetched, since texts are git-ignored and fetched once per machine). A
record's text is ``texts/<id>.txt`` (``whitehouse/<id>.txt`` for the White House set) in either
folder. The project's own fixtures (``bench/fixtures/gold``) are converted here, at every run,
into the same record format, so that the official scorer judges them too. The off-topic stream
is a fixed sample of the RealTime QA articles, turned into ``on_topic: false`` records.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from split import part_of

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FIXTURES = REPO / "bench" / "fixtures" / "gold"
LOOKALIKE_NOTE = "off-topic look-alike"
OFFTOPIC_SAMPLE = 1500


@dataclass
class Part:
    """One column of the table: records scored together, and where their texts are."""

    name: str  # e.g. "dev tune", "fixtures"
    records: list[dict[str, Any]]
    texts: dict[str, Path] = field(default_factory=dict)  # id -> text file
    tune: bool = False  # the only parts whose errors may be read
    kind: str = "gold"  # gold | offtopic

    @property
    def slug(self) -> str:
        return self.name.replace(" ", "-")

    @property
    def group(self) -> str:
        """The set a part comes from (``dev`` for ``dev tune``): its dumps share one folder."""
        return self.name.split(" ")[0]


@lru_cache(maxsize=1)
def main_worktree() -> Path | None:
    """The repository's main worktree (the first of ``git worktree list``), if there is one."""
    try:
        out = subprocess.run(["git", "-C", str(REPO), "worktree", "list", "--porcelain"],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    first = next((line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("worktree ")), None)
    return Path(first) if first else None


def data_dirs(override: Path | None = None) -> list[Path]:
    """Folders searched for sets and texts, this tree's first."""
    if override is not None:
        return [override]
    dirs = [HERE]
    main = main_worktree()
    if main is not None and (main / "bench" / "realnews").resolve() != HERE:
        dirs.append(main / "bench" / "realnews")
    return [d for d in dirs if d.is_dir()]


def shared_root() -> Path:
    """The folder holding ``realnews/`` (the scorers) and ``benchmarks/`` beside the project."""
    for parent in REPO.parents:
        if (parent / "shared" / "realnews" / "score.py").is_file():
            return parent / "shared"
    raise SystemExit("cannot find shared/realnews/score.py above the repository")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def find_sets(dirs: list[Path]) -> dict[str, Path]:
    """Set name (file stem) -> file; the first folder holding a name wins."""
    found: dict[str, Path] = {}
    for folder in dirs:
        for path in sorted(folder.glob("*.jsonl")):
            found.setdefault(path.stem, path)
    return found


def locate_texts(records: list[dict[str, Any]], dirs: list[Path], sub: str) -> dict[str, Path]:
    """id -> the first ``<dir>/<sub>/<id>.txt`` that exists (records without a text are left out)."""
    out = {}
    for record in records:
        for folder in dirs:
            path = folder / sub / f"{record['id']}.txt"
            if path.is_file():
                out[record["id"]] = path
                break
    return out


def split_parts(label: str, records: list[dict[str, Any]], texts: dict[str, Path]) -> list[Part]:
    """A set's tune and check parts (by story, split.py's fixed rule)."""
    return [Part(f"{label} {part}", [r for r in records if part_of(r["story"]) == part], texts, tune=part == "tune")
            for part in ("tune", "check")]


def annotated_parts(dirs: list[Path]) -> list[Part]:
    """dev tune/check, grown tune/check (all grown sets together), White House (one part)."""
    sets = find_sets(dirs)
    parts = []
    if "dev" in sets:
        dev = read_jsonl(sets["dev"])
        parts += split_parts("dev", dev, locate_texts(dev, dirs, "texts"))
    grown = [r for name in sorted(sets) if name.startswith("grown") for r in read_jsonl(sets[name])]
    if grown:
        parts += split_parts("grown", grown, locate_texts(grown, dirs, "texts"))
    if "whitehouse" in sets:
        wh = read_jsonl(sets["whitehouse"])
        parts.append(Part("whitehouse", wh, locate_texts(wh, dirs, "whitehouse"), tune=True))
    return parts


def fixture_record(name: str, gold: dict[str, Any], text: str) -> dict[str, Any]:
    """One fixture (NNN.gold.json) in the real-news record format of docs/annotation.md."""
    names = {e["id"]: e["name"] for e in gold.get("entities", [])}
    events = [{"type": e["type"], "actor": e.get("actor_iso3") or e.get("actor"), "treaty": e.get("treaty"),
               "date": e.get("date"), "modality": e.get("modality"), "recipient": e.get("recipient"),
               "evidence": e.get("evidence")} for e in gold.get("events", [])]
    quotes = [{"speaker": names.get(q.get("speaker") or "", q.get("speaker") or ""),
               "quote_start": " ".join(q["text"].split()[:6])}
              for q in gold.get("quotes", []) if q.get("kind") == "direct"]
    quantities = [{"value": q["value"], "value_max": q.get("value_max"), "unit": q.get("unit"),
                   "per": q.get("per"), "evidence": q["text"]} for q in gold.get("quantities", [])]
    return {"id": f"fx{name}", "url": gold.get("url"), "outlet": gold.get("source"),
            "published": gold.get("published"),
            "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "query": None,
            "story": f"fx{name}", "original_source": None,
            "on_topic": LOOKALIKE_NOTE not in (gold.get("note") or ""),
            "events": events, "quotes": quotes, "quantities": quantities}


def fixtures_part(cache: Path, directory: Path = FIXTURES) -> Part:
    """The project's own fixtures as one part (written with the rules, so their errors may be
    read). Each text is written to ``cache`` headed by its gold title and a blank line: the
    fixtures have no headline, and plain-text ingest takes a short first paragraph followed
    by a blank line as the title, which would drop many fixtures' lead sentence."""
    cache.mkdir(parents=True, exist_ok=True)
    records, texts = [], {}
    for path in sorted(directory.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        body = (directory / gold.get("text_file", path.name.replace(".gold.json", ".txt"))).read_text(encoding="utf-8")
        text = f"{gold['title']}\n\n{body}" if gold.get("title") else body
        record = fixture_record(path.name.split(".")[0], gold, text)
        target = cache / f"{record['id']}.txt"
        target.write_bytes(text.encode("utf-8"))
        records.append(record)
        texts[record["id"]] = target
    return Part("fixtures", records, texts, tune=True)


def offtopic_part(source: Path, cache: Path, sample: int | None = OFFTOPIC_SAMPLE) -> Part:
    """RealTime QA articles as off-topic records: a fixed sample (the ``sample`` smallest sha1 of
    the URL), or all with ``sample=None``. Their texts are written once into ``cache``."""
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    for row in rows:
        row["_key"] = hashlib.sha1(row["url"].encode("utf-8")).hexdigest()
    rows.sort(key=lambda r: r["_key"])
    if sample is not None:
        rows = rows[:sample]
    cache.mkdir(parents=True, exist_ok=True)
    records, texts = [], {}
    for row in rows:
        rid = f"rt{row['_key'][:12]}"
        path = cache / f"{rid}.txt"
        data = row["text"].encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        published = (row.get("published") or "").replace("/", "-")[:10] or None
        records.append({"id": rid, "url": row["url"], "published": published, "title": row.get("title"),
                        "text_sha256": hashlib.sha256(data).hexdigest(),
                        "story": rid, "on_topic": False, "events": [], "quotes": [], "quantities": []})
        texts[rid] = path
    return Part("realtimeqa", records, texts, kind="offtopic")
