"""Page render times on a large kb: 100k claims (with their articles) in SQLite.

    python bench/web_bench.py [--claims 100000] [--db /tmp/tw_web_bench.db] [--repeat 7]

Seeds the kb through `store_batch` (the ingest path: articles, extraction documents, claims)
unless the database already holds enough claims, then renders pages in-process with
FastAPI's TestClient and prints the median / min / max time per page. Target: dashboard and
country page under 200 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

from treatywatch.event_types import registry
from treatywatch.kb.articles import store_batch
from treatywatch.kb.claims import count_claims, list_claims, review_claim
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
from treatywatch.web.app import create_app
from treatywatch.web.data import forget_facets

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

STATES = ["POL", "LTU", "LVA", "EST", "FIN", "UKR", "RUS", "USA", "KOR", "DEU", "FRA", "GBR", "TUR", "IND",
          "PAK", "CHN", "BRA", "ZAF", "NGA", "EGY", "JPN", "AUS", "CAN", "MEX", "ARG", "CHL", "NOR", "SWE",
          "DNK", "NLD", "BEL", "ESP", "ITA", "GRC", "ROU", "BGR", "HUN", "CZE", "SVK", "AUT"]
TYPES = ["treaty_withdrawal_announced", "treaty_withdrawal_approved", "treaty_withdrawal_notified",
         "treaty_joined", "production_planned", "production_started", "transfer_planned",
         "transfer_delivered", "use_alleged", "casualties_reported", "stockpile_destroyed", "deployment_planned"]
OUTLETS = [f"outlet{i}.example" for i in range(60)]
CLAIMS_PER_ARTICLE = 4
FILLER = ("Analysts said the decision followed months of debate in parliament and among allies. "
          "Campaigners criticised the move and called on the government to reconsider. ") * 8


def _article(n: int, rng: random.Random) -> Extraction:
    iso3 = rng.choice(STATES)
    year = rng.randint(2015, 2026)
    day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    sentences = [f"Officials in state {iso3} reported development number {n}-{k} concerning mines and the treaty."
                 for k in range(CLAIMS_PER_ARTICLE)]
    text = " ".join(sentences) + " " + FILLER + f" Reference {n}."
    domain = rng.choice(OUTLETS)
    article = Article(id=article_id_for(text), text=text, url=f"https://{domain}/a/{n}", source=Source(domain),
                      title=f"Report {n} on {iso3}", published=day, published_from="user", language="en")
    events = []
    offset = 0
    for sentence in sentences:
        kind = rng.choice(TYPES)
        treaty = rng.choice(["APMBT", "CCM"]) if registry()[kind].carries("treaty") else None
        events.append(Event(kind, f"state:{iso3}", rng.choice(["asserted", "planned", "alleged"]),
                            Evidence((offset, offset + len(sentence)), sentence), round(rng.random(), 3),
                            actor_iso3=iso3, treaty=treaty, date=day if rng.random() < 0.7 else None))
        offset += len(sentence) + 1
    return Extraction(article=article, events=tuple(events))


def seed(db: str, claims: int) -> None:
    """Fill ``db`` with ``claims`` claims (4 per article), in batches of 500 articles."""
    kb = open_kb(db)
    have = sum(count_claims(kb).values())
    if have >= claims:
        print(f"using existing {db}: {have} claims", file=sys.stderr)
        kb.close()
        return
    rng = random.Random(7)
    n_articles = claims // CLAIMS_PER_ARTICLE
    started = time.perf_counter()
    for first in range(0, n_articles, 500):
        extractions = [_article(n, rng) for n in range(first, min(first + 500, n_articles))]
        batch = InputBatch(location=f"bench-{first}", key=f"bench-{first}",
                           articles=tuple(e.article for e in extractions))
        store_batch(kb, batch, extractions_by_id={e.article.id: e for e in extractions})
        print(f"\rseeded {min(first + 500, n_articles) * CLAIMS_PER_ARTICLE} claims", end="", file=sys.stderr)
    for claim in list_claims(kb, actor_iso3="POL", limit=200):
        review_claim(kb, claim["id"], rng.choice(["accepted", "rejected"]), "bench")
    print(f"\nseeding took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    kb.close()


def measure(client: TestClient, path: str, repeat: int, *, cold_counts: bool = False) -> list[float]:
    """Render times in ms; ``cold_counts`` drops the cached filter counts before each request."""
    client.get(path)  # warm-up: caches, reference data, SQLite pages
    times = []
    for _ in range(repeat):
        if cold_counts:
            forget_facets(client.app)
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:200]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/tw_web_bench.db")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    seed(args.db, args.claims)
    kb = open_kb(args.db)
    article_id = list_claims(kb, actor_iso3="POL", limit=1)[0]["article_id"]
    pages = ["/", "/?treaty=APMBT&type=treaty_withdrawal_announced", "/countries/POL", "/countries/UKR",
             "/review", f"/articles/{article_id}", "/api/v1/claims?state=POL", "/sources",
             "/search?q=development+number+1234-"]
    rows = []
    with TestClient(create_app(kb=kb), base_url="http://127.0.0.1") as client:
        for path in pages:
            times = measure(client, path, args.repeat)
            rows.append((path, statistics.median(times), min(times), max(times)))
        for path in ("/", "/review"):
            times = measure(client, path, args.repeat, cold_counts=True)
            rows.append((f"{path} (filter counts recomputed)", statistics.median(times), min(times), max(times)))
    kb.close()
    print(f"\nkb: {args.db}, {args.claims} claims, TestClient in-process, median of {args.repeat}\n")
    print(f"{'page':<52} {'median ms':>10} {'min ms':>8} {'max ms':>8}  target")
    for path, med, lo, hi in rows:
        target = "< 200" if path in ("/", "/countries/POL", "/ (filter counts recomputed)") else ""
        flag = "" if not target else ("ok" if med < 200 else "MISSED")
        print(f"{path[:52]:<52} {med:>10.1f} {lo:>8.1f} {hi:>8.1f}  {target} {flag}")


if __name__ == "__main__":
    main()
