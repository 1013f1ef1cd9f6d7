"""Provenance benchmark: story clustering quality on written fixtures, and time/memory at scale.

    python bench/provenance_bench.py                 # quality table + 10k and 100k scale runs
    python bench/provenance_bench.py --sizes 10000   # scale runs of the given sizes only

Quality: the originals in bench/provenance_fixtures/originals and their generated variants
(copies, short versions, paraphrases, shuffles, machine-spun copies with garbled names, credit and
figures, furniture) are ingested one by one through `StoryIndex.assign`, in publication order and
in three random orders; pairwise precision / recall / F1 against the true stories, and the number
of predicted stories that merge two true stories. Scale: generated articles
(provenance_fixtures/synthetic.py), each size in a fresh process so peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from provenance_fixtures.corpus import OUTLETS, build  # noqa: E402
from provenance_fixtures.synthetic import Generator  # noqa: E402

from treatywatch.models import Article, Source, article_id_for  # noqa: E402
from treatywatch.provenance import StoredStoryMember, StoryIndex  # noqa: E402
from treatywatch.provenance.signals import MemberText, outlet_signals  # noqa: E402


def pairwise_scores(truth: Sequence[object], predicted: Sequence[object]) -> dict[str, float]:
    """Pairwise precision / recall / F1 of a clustering, and true stories merged together."""

    def pairs(counts: Counter[object]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    together = pairs(Counter(zip(truth, predicted, strict=True)))
    predicted_pairs, true_pairs = pairs(Counter(predicted)), pairs(Counter(truth))
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    stories_in: dict[object, set[object]] = {}
    for t, p in zip(truth, predicted, strict=True):
        stories_in.setdefault(p, set()).add(t)
    merged = sum(1 for s in stories_in.values() if len(s) > 1)
    return {"precision": precision, "recall": recall, "f1": f1, "merged": merged, "clusters": len(stories_in)}


def _article(text: str, outlet: str, published: str) -> Article:
    return Article(id=article_id_for(text), text=text, source=Source(outlet), published=published)


def quality() -> list[dict[str, object]]:
    fixtures = build()
    unique = list({a.text: a for a in reversed(fixtures)}.values())[::-1]
    rows = []
    orders = [("publication", unique)]
    for seed in (1, 2, 3):
        shuffled = unique[:]
        random.Random(seed).shuffle(shuffled)
        orders.append((f"random #{seed}", shuffled))
    for name, order in orders:
        index = StoryIndex()
        articles = [_article(a.text, a.outlet, a.published) for a in order]
        for article in articles:
            index.assign(article)
        predicted = [index.story_of(article.id) for article in articles]  # after any merges
        scores = pairwise_scores([a.story for a in order], predicted)
        rows.append({"order": name, "articles": len(order), "true stories": len({a.story for a in order}), **scores})
    return rows


def signals_table() -> list[dict[str, object]]:
    """Outlet signals over the fixture stories as clustered (publication order)."""
    fixtures = list({a.text: a for a in reversed(build())}.values())[::-1]
    index = StoryIndex()
    articles = [_article(a.text, a.outlet, a.published) for a in fixtures]
    for article in articles:
        index.assign(article)
    stories: dict[str, list[MemberText]] = {}
    for a, article in zip(fixtures, articles, strict=True):
        story = index.story_of(article.id) or ""
        stories.setdefault(story, []).append(MemberText(article.id, a.outlet, a.published, a.text))
    kinds = {outlet: kind for kind, outlets in OUTLETS.items() for outlet in outlets}
    rows = []
    for outlet in sorted({a.outlet for a in fixtures}, key=lambda o: (kinds.get(o, "original"), o)):
        signals = outlet_signals(outlet, stories)
        rows.append({"outlet": outlet, "kind": kinds.get(outlet, "original"), **signals})
    return rows


def scale_run(n: int) -> dict[str, object]:
    """Generate ``n`` articles, cluster them, measure (run in its own process)."""
    generated = list(Generator().articles(n))
    articles = [_article(a.text, a.outlet, a.published) for a in generated]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    index = StoryIndex()
    start, cpu_start = time.perf_counter(), time.process_time()
    assignments = [index.assign(article) for article in articles]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    predicted = [index.story_of(a.id) for a in articles]  # after merges
    first = {a.article_id: a for a in reversed(assignments)}
    rows = [
        StoredStoryMember(index.story_of(i) or "", i, None, a.signature, None) for i, a in first.items()
    ]
    del index
    reload_start = time.process_time()
    StoryIndex.from_rows(rows)
    reload_cpu = time.process_time() - reload_start
    scores = pairwise_scores([a.story for a in generated], predicted)
    return {
        "articles": n,
        "true stories": len({a.story for a in generated}),
        "wall s": round(seconds, 1),
        "cpu s": round(cpu, 1),
        "cpu ms/article": round(1000 * cpu / n, 2),
        "reload cpu s": round(reload_cpu, 1),
        "peak RSS MB": round(rss_after),
        "index MB (peak growth)": round(rss_after - rss_before),
        **scores,
    }


def print_table(title: str, rows: list[dict[str, object]]) -> None:
    columns = list(rows[0])
    cells = [[_fmt(row[c]) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    print(f"\n{title}")
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True)))
    for r in cells:
        print("  ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)))


def _fmt(value: object) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--scale-run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_run:
        print(json.dumps(scale_run(args.scale_run)))
        return
    print_table("Story clustering on written fixtures (pairwise)", quality())
    print_table("Outlet signals on the fixture stories", signals_table())
    rows = []
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--scale-run", str(n)], check=True, capture_output=True, text=True
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    if rows:
        print_table("Scale (generated articles, one process per size)", rows)


if __name__ == "__main__":
    main()
