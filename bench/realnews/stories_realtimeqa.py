"""Story clustering over the RealTime QA news stream: stories found, a sample to judge, speed.

    python bench/realnews/stories_realtimeqa.py                  # all 18,016 articles
    python bench/realnews/stories_realtimeqa.py --sample 3000 --show 20 --seed 1

The stream (``../shared/benchmarks/realtimeqa-news``: USA Today, CNN, The Week, 2022-2026) has
no story annotation; its real near-duplicates are the same story at two URLs, updates and
syndicated copies. The articles are placed in publication order with `StoryIndex.assign`
(title, date and outlet as the JSONL gives them); the script prints how many stories have more
than one article, the CPU time per article and peak memory, and ``--show`` predicted
multi-article stories (a seeded sample) with each member's date, URL, title and first words,
for a person to judge whether each is one report (the false-merge rate is that judgement).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sets import shared_root  # noqa: E402

from treatywatch.models import Article, Source, article_id_for  # noqa: E402
from treatywatch.provenance import StoryIndex  # noqa: E402
from treatywatch.provenance.credits import find_credits  # noqa: E402
from treatywatch.provenance.fingerprint import fingerprint  # noqa: E402
from treatywatch.provenance.similarity import compare  # noqa: E402


def stream(sample: int | None, skip: int = 0) -> list[dict[str, Any]]:
    """The articles in publication order (a fixed sample: the smallest sha1 of the URL after the
    first ``skip``, so that a rule shaped on one sample is judged on another)."""
    path = shared_root() / "benchmarks" / "realtimeqa-news" / "articles.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    if sample is not None:
        rows = sorted(rows, key=lambda r: hashlib.sha1(r["url"].encode("utf-8")).hexdigest())[skip : skip + sample]
    return sorted(rows, key=lambda r: (r.get("published") or "", r["url"]))


def article(row: dict[str, Any]) -> Article:
    host = row["url"].split("/")[2].removeprefix("www.")
    published = (row.get("published") or "").replace("/", "-")[:10] or None
    return Article(id=article_id_for(row["url"] + row["text"]), text=row["text"], url=row["url"],
                   title=row.get("title"), source=Source(host), published=published)


def evidence(a: Article, b: Article) -> str:
    """Which tier of `Match` joins two members, and its main measures (for the person judging)."""
    fa, fb = (fingerprint(x.text, None, find_credits(x.text), x.title, x.published) for x in (a, b))
    days = None if not (a.published and b.published) else abs(
        date.fromisoformat(a.published[:10]).toordinal() - date.fromisoformat(b.published[:10]).toordinal())
    m = compare(fa, fb, days)
    tier = "reworded" if m.reworded else "rewritten" if m.rewritten else "(via another member)"
    return (f"{tier} containment={m.containment:.2f} lead={m.lead:.2f} numbers={m.numbers} words={m.words:.2f} "
            f"names={m.names:.2f} aligned={m.aligned:.2f}/{m.aligned_count} title={m.title:.2f} days={days}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", type=int, default=None, help="articles (default: all)")
    ap.add_argument("--skip", type=int, default=0, help="with --sample: leave out the first N of the order")
    ap.add_argument("--show", type=int, default=20, help="multi-article stories to print")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="write every multi-article story here")
    args = ap.parse_args()
    rows = stream(args.sample, args.skip)
    articles = [article(r) for r in rows]
    index = StoryIndex()
    started = time.process_time()
    for item in articles:
        index.assign(item)
    cpu = time.process_time() - started
    stories: dict[str, list[Article]] = {}
    for item in articles:
        stories.setdefault(index.story_of(item.id) or item.id, []).append(item)
    multi = [members for members in stories.values() if len(members) > 1]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles={len(articles)} stories={len(stories)} multi_article_stories={len(multi)} "
          f"articles_in_them={sum(len(m) for m in multi)} cpu_ms_per_article={1000 * cpu / len(articles):.2f} "
          f"peak_rss_mb={peak_mb:.0f}")
    if args.json:
        args.json.write_text(json.dumps([[{"url": a.url, "published": a.published, "title": a.title}
                                          for a in members] for members in multi], indent=1), encoding="utf-8")
    for n, members in enumerate(random.Random(args.seed).sample(multi, min(args.show, len(multi))), 1):
        print(f"\n#{n} ({len(members)} articles)")
        for k, a in enumerate(members):
            print(f"  {a.published} {a.url}\n    {a.title!r}\n    {' '.join(a.text.split()[:40])}")
            if k:
                print(f"    vs previous: {evidence(members[k - 1], a)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
