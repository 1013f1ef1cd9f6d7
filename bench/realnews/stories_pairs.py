"""Every pair of articles of the tune parts with the evidence `compare` gives (analysis and training).

    python bench/realnews/stories_pairs.py --parts dev-tune,grown-tune [--top 30]

Prints the same-story pairs and the closest different-story pairs, feature by feature. Only
tune parts are accepted: check parts are never looked at pair by pair.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sets import annotated_parts, data_dirs  # noqa: E402
from stories_eval import part_articles  # noqa: E402

from treatywatch.provenance.credits import find_credits  # noqa: E402
from treatywatch.provenance.fingerprint import fingerprint  # noqa: E402
from treatywatch.provenance.similarity import compare  # noqa: E402


def tune_pairs(names: list[str], data: Path | None = None) -> list[dict[str, Any]]:
    """One row per pair of articles of the named tune parts: ids, same story or not, features."""
    rows = []
    for part in annotated_parts(data_dirs(data)):
        if part.slug not in names:
            continue
        if not part.tune:
            raise SystemExit(f"{part.slug} is a check part: its pairs are not read")
        articles, gold = part_articles(part)
        ids = {r["url"]: r["id"] for r in part.records}
        fps = {a.url: fingerprint(a.text, None, find_credits(a.text), a.title, a.published) for a in articles}
        for a, b in itertools.combinations(articles, 2):
            match = compare(fps[a.url], fps[b.url])
            rows.append({"a": ids[a.url], "b": ids[b.url], "same": gold[a.url] == gold[b.url],
                         "decided": match.same_story, **asdict(match)})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parts", default="dev-tune,grown-tune")
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args()
    rows = tune_pairs(args.parts.split(","))
    keys = ["containment", "lead", "quotes", "numbers", "words", "names", "shared_names", "gist", "title", "dates"]
    print("      pair        " + " ".join(f"{k[:6]:>6}" for k in keys))
    positives = sorted((r for r in rows if r["same"]), key=lambda r: -r["words"])
    negatives = sorted((r for r in rows if not r["same"]), key=lambda r: -r["words"])[: args.top]
    for label, group in (("same", positives), ("diff", negatives)):
        for r in group:
            mark = "+" if r["decided"] else " "
            print(f"{label}{mark} {r['a']:>6}~{r['b']:<6} " + " ".join(f"{float(r[k]):6.2f}" for k in keys))
    return 0


if __name__ == "__main__":
    sys.exit(main())
