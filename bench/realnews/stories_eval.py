"""Story clustering on the annotated real-news parts, in process (seconds, not minutes).

    python bench/realnews/stories_eval.py                          # every part's P / R / F1
    python bench/realnews/stories_eval.py --parts dev-tune --errors  # what a tune part gets wrong

The official number is ``stories_score.py`` (``run.py --stories``): it ingests each part into a
fresh database with extraction, which takes minutes. This harness builds the same articles
(the scorer's JSONL — url, published, text — read by ``treatywatch.ingest``) and places them
with `StoryIndex.assign` in the same order, so the pairs are the same; it is the loop to iterate
in. Errors (false merges, missed pairs, with the evidence `compare` saw) are listed for tune
parts only: the check parts' totals are read, never their errors (README, "Tune and check").
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sets import Part, annotated_parts, data_dirs  # noqa: E402

from treatywatch.ingest.options import IngestOptions  # noqa: E402
from treatywatch.ingest.reader import read_input  # noqa: E402
from treatywatch.models import Article  # noqa: E402
from treatywatch.provenance import StoryIndex  # noqa: E402


def part_articles(part: Part) -> tuple[list[Article], dict[str, str]]:
    """The part's articles as ingest makes them from the scorer's JSONL, and url → gold story."""
    records = [r for r in part.records if r["id"] in part.texts]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "articles.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for r in records:
                text = part.texts[r["id"]].read_text(encoding="utf-8")
                handle.write(json.dumps({"url": r["url"], "published": r.get("published"), "text": text}) + "\n")
        batch = read_input(str(source), IngestOptions(sandbox=False))
    return list(batch.articles), {r["url"]: r["story"] for r in records}


def pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for group in groups:
        out |= {(a, b) for a, b in itertools.combinations(sorted(set(group)), 2)}
    return out


def cluster(articles: list[Article]) -> tuple[dict[str, str], StoryIndex, float]:
    """url → predicted story, the index, and CPU seconds per article."""
    index = StoryIndex()
    started = time.process_time()
    for article in articles:
        index.assign(article)
    seconds = (time.process_time() - started) / max(1, len(articles))
    return {a.url or a.id: index.story_of(a.id) or a.id for a in articles}, index, seconds


def score(part: Part) -> dict[str, Any]:
    articles, gold = part_articles(part)
    predicted, index, seconds = cluster(articles)
    by_gold: dict[str, list[str]] = {}
    by_pred: dict[str, list[str]] = {}
    for url, story in gold.items():
        by_gold.setdefault(story, []).append(url)
    for url, story in predicted.items():
        by_pred.setdefault(story, []).append(url)
    gp, pp = pairs(by_gold.values()), pairs(by_pred.values())
    tp = len(gp & pp)
    p = tp / len(pp) if pp else 0.0
    r = tp / len(gp) if gp else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"part": part.name, "articles": len(articles), "p": p, "r": r, "f1": f1, "gold_pairs": len(gp),
            "pred_pairs": len(pp), "ms_per_article": 1000 * seconds, "false": sorted(pp - gp),
            "missed": sorted(gp - pp), "articles_by_url": {a.url: a for a in articles}, "gold": gold}


def explain(a: Article, b: Article) -> str:
    """The evidence `compare` sees for one pair (for the error listing)."""
    from treatywatch.provenance.credits import find_credits
    from treatywatch.provenance.fingerprint import fingerprint
    from treatywatch.provenance.similarity import compare

    fa = fingerprint(a.text, None, find_credits(a.text), a.title, a.published)
    fb = fingerprint(b.text, None, find_credits(b.text), b.title, b.published)
    m = compare(fa, fb)
    keys = ("containment", "lead", "quotes", "numbers", "words", "names", "shared_names", "gist", "title",
            "aligned", "aligned_count", "lead_aligned", "later_news")
    tier = "reworded" if m.reworded else "rewritten" if m.rewritten else "-"
    return f"{tier:9} " + " ".join(f"{k}={getattr(m, k):.2f}" if isinstance(getattr(m, k), float)
                                    else f"{k}={getattr(m, k)}" for k in keys)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parts", default="dev-tune,dev-check,grown-tune,grown-check")
    ap.add_argument("--errors", action="store_true", help="list false merges and missed pairs of tune parts")
    ap.add_argument("--data", type=Path, default=None)
    args = ap.parse_args()
    wanted = args.parts.split(",")
    parts = [p for p in annotated_parts(data_dirs(args.data)) if p.slug in wanted]
    for part in parts:
        s = score(part)
        print(f"{s['part']:12} n={s['articles']:3} P={s['p']:.3f} R={s['r']:.3f} F1={s['f1']:.3f} "
              f"gold_pairs={s['gold_pairs']} pred_pairs={s['pred_pairs']} {s['ms_per_article']:.1f} ms/article")
        if not (args.errors and part.tune):
            continue
        by_url = s["articles_by_url"]
        ids = {r["url"]: r["id"] for r in part.records}
        for kind in ("false", "missed"):
            for a, b in s[kind]:
                print(f"  {kind:6} {ids[a]} ~ {ids[b]} ({s['gold'][a]} / {s['gold'][b]}): {explain(by_url[a], by_url[b])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
