"""The fixed tune/check split of the annotated real-news sets, by story (never by article).

A story's part is decided by a hash of its id, so the split is fixed once and for all, needs no
list to keep in sync, and applies the same way to every set that grows later: copies of one report
always land in the same part. Rules may be developed against the *tune* part only; the *check*
part is run, never read for errors, to see whether a change generalises.

    python bench/realnews/split.py GOLD.jsonl [GOLD.jsonl ...]   # prints the parts' sizes
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

PARTS = ("tune", "check")
TUNE_SHARE = 5  # of 10: about half of the stories go to each part


def part_of(story: str) -> str:
    """``tune`` or ``check`` for a story id (stable across runs, machines and Python versions)."""
    bucket = int(hashlib.sha1(story.encode("utf-8")).hexdigest(), 16) % 10
    return "tune" if bucket < TUNE_SHARE else "check"


def read_gold(path: Path, part: str | None = None) -> list[dict]:
    """The records of an annotated set, optionally only those of one part."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in records if part is None or part_of(r["story"]) == part]


def main(paths: list[str]) -> int:
    for name in paths:
        records = read_gold(Path(name))
        articles = Counter(part_of(r["story"]) for r in records)
        events = Counter()
        for r in records:
            events[part_of(r["story"])] += len(r.get("events", []))
        stories = Counter(part_of(s) for s in {r["story"] for r in records})
        for part in PARTS:
            print(f"{name}\t{part}\tarticles={articles[part]}\tstories={stories[part]}\tevents={events[part]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
