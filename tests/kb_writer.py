"""A writer process for the fault tests: stores N synthetic inputs, printing each commit.

Run as ``python tests/kb_writer.py DB N``; it skips inputs already stored, so a re-run resumes.
Not a test module (no ``test_`` prefix): the fault tests start it and kill it.
"""

from __future__ import annotations

import sys

from treatywatch.kb import articles as kb_articles
from treatywatch.kb.store import open_kb
from treatywatch.models import (
    Article,
    Event,
    Evidence,
    Extraction,
    InputBatch,
    Source,
    article_id_for,
)

ARTICLES_PER_INPUT = 3


def synthetic_batch(i: int) -> tuple[InputBatch, dict[str, Extraction]]:
    arts = []
    extractions = {}
    for j in range(ARTICLES_PER_INPUT):
        body = f"Input {i} article {j}: the ministry said production of mines would start. " * 20
        art = Article(id=article_id_for(body), text=body, url=f"https://w{j}.example/{i}", source=Source(f"w{j}.example"),
                      published="2025-08-20", raw=body.encode(), raw_sha256=article_id_for(body + "raw"))
        sentence = body[:80]
        event = Event("production_planned", "state:POL", "planned", Evidence((0, 80), sentence), 0.8, actor_iso3="POL")
        arts.append(art)
        extractions[art.id] = Extraction(art, events=(event,))
    return InputBatch(f"input-{i}", f"input-{i}", tuple(arts)), extractions


def main() -> None:
    db, total = sys.argv[1], int(sys.argv[2])
    with open_kb(db) as kb:
        for i in range(total):
            if kb_articles.is_done(kb, f"input-{i}"):
                continue
            batch, extractions = synthetic_batch(i)
            kb_articles.store_batch(kb, batch, extractions_by_id=extractions)
            print(f"committed {i}", flush=True)


if __name__ == "__main__":
    main()
