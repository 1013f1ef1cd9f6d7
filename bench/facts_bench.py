"""Facts: incremental maintenance vs a rebuild, on a synthetic knowledge base.

    python bench/facts_bench.py [--existing 10000] [--new 1000] [--db-dir /tmp]

Stores ``existing`` claims (one per article, as ingest does, 3 articles per input), then
``new`` more, timing: the new inputs stored with facts kept up to date incrementally (the
shipped path), the same inputs stored with facts maintenance switched off (the cost of storing
alone), and one rebuild of every fact afterwards (`kb.facts.regroup_all`). Prints seconds and
ratios measured in the same run; never compares against numbers from another machine.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from treatywatch.kb import articles as kb_articles
from treatywatch.kb import facts as kb_facts
from treatywatch.kb import facts_read
from treatywatch.kb.store import open_kb, utcnow
from treatywatch.models import (
    Article,
    Event,
    Evidence,
    Extraction,
    InputBatch,
    Source,
    StoryAssignment,
    article_id_for,
)

STATES = ("POL", "LTU", "LVA", "EST", "FIN", "UKR", "RUS", "USA", "CHN", "IND", "PAK", "IRN")
TYPES = ("treaty_withdrawal_effective", "treaty_withdrawal_notified", "treaty_joined", "use_confirmed",
         "production_started")


def inputs(start: int, count: int, rng: random.Random, per_input: int = 3) -> list[tuple[InputBatch, dict, list]]:
    out = []
    for i in range(start, start + count, per_input):
        arts, extractions, stories = [], {}, []
        for j in range(i, min(i + per_input, start + count)):
            kind, iso3 = rng.choice(TYPES), rng.choice(STATES)
            weapon = "anti-personnel mine" if kind in ("use_confirmed", "production_started") else None
            treaty = None if weapon else rng.choice(("APMBT", "CCM"))
            day = f"20{rng.randint(20, 26)}-{rng.randint(1, 12):02d}" + (f"-{rng.randint(1, 28):02d}" if rng.random() < .6 else "")
            text = f"Article {j}: {iso3} {kind} {treaty or weapon} on {day}. " * 3
            art = Article(id=article_id_for(text), text=text, url=f"https://o{j % 40}.example/{j}",
                          source=Source(f"o{j % 40}.example"), published="2026-01-01")
            sentence = text[:90]
            event = Event(kind, f"state:{iso3}", "asserted", Evidence((0, 90), sentence), 0.9, actor_iso3=iso3,
                          treaty=treaty, weapon=weapon, date=day)
            arts.append(art)
            extractions[art.id] = Extraction(art, events=(event,))
            stories.append(StoryAssignment(art.id, f"story-{j % (count // 2 + 1)}-{start}", True))
        out.append((InputBatch(f"in-{i}", f"in-{i}", tuple(arts)), extractions, stories))
    return out


def store_all(kb, batches) -> float:  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    for batch, extractions, stories in batches:
        kb_articles.store_batch(kb, batch, extractions_by_id=extractions, assignments=stories)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--existing", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--db-dir", default=None)
    args = parser.parse_args()
    rng = random.Random(14)
    base = inputs(0, args.existing, rng)
    new = inputs(args.existing, args.new, rng)
    with tempfile.TemporaryDirectory(dir=args.db_dir) as tmp:
        with_facts, without = Path(tmp) / "with.db", Path(tmp) / "without.db"
        with open_kb(str(with_facts)) as kb:
            store_all(kb, base)
            incremental = store_all(kb, new)
            began = time.perf_counter()
            with kb.write() as conn:
                kb_facts.regroup_all(conn, utcnow())
            rebuild = time.perf_counter() - began
            count = len(facts_read.list_facts(kb))
        original = kb_facts.update_for_articles
        kb_facts.update_for_articles = lambda *a, **k: set()  # type: ignore[assignment]
        try:
            with open_kb(str(without)) as kb:
                store_all(kb, base)
                storing = store_all(kb, new)
        finally:
            kb_facts.update_for_articles = original  # type: ignore[assignment]
    overhead = incremental - storing
    print(f"{args.existing} claims stored, then {args.new} more; {count} facts")
    print(f"  store {args.new} claims, facts kept incrementally : {incremental:7.2f} s")
    print(f"  store {args.new} claims, no facts maintenance     : {storing:7.2f} s")
    print(f"  incremental facts maintenance (difference)     : {overhead:7.2f} s")
    print(f"  rebuild of every fact afterwards               : {rebuild:7.2f} s")
    print(f"  rebuild / incremental maintenance              : {rebuild / max(overhead, 1e-9):7.1f}x")


if __name__ == "__main__":
    main()
