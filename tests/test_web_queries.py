"""kb queries the web layer relies on: browse_claims (= list_claims, faster), facets, time limits."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from test_web_support import client_for, seed_kb

from treatywatch.errors import QueryTimeout
from treatywatch.kb import search as search_store
from treatywatch.kb.articles import store_batch
from treatywatch.kb.claims import list_claims, review_claim
from treatywatch.kb.search import browse_claims, claim_facets
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

STATES = ("POL", "LTU", "FIN", "UKR")
TYPES = ("treaty_withdrawal_announced", "production_planned", "use_alleged")


def _random_kb(path: Path, articles: int = 160) -> Any:
    """Articles with 3 claims each; dates of mixed grain, missing or tied; some reviewed."""
    rng = random.Random(11)
    kb = open_kb(str(path))
    extractions = []
    for n in range(articles):
        sentences = [f"Sentence {n}-{k} about mines." for k in range(3)]
        text = " ".join(sentences)
        published = rng.choice([f"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", "2025-05-05", None])
        article = Article(article_id_for(text), text, url=f"https://o{n % 7}.example/{n}",
                          source=Source(f"o{n % 7}.example"), published=published)
        events = tuple(
            Event(rng.choice(TYPES), None, "asserted", Evidence((i * 26, i * 26 + 25), s), 0.5,
                  actor_iso3=rng.choice(STATES), treaty=rng.choice(["APMBT", None]),
                  date=rng.choice([None, None, "2024", "2025-03", "2025-05-05", "2023-11-30"]))
            for i, s in enumerate(sentences)
        )
        extractions.append(Extraction(article=article, events=events))
    batch = InputBatch("rand", "rand", articles=tuple(e.article for e in extractions))
    store_batch(kb, batch, extractions_by_id={e.article.id: e for e in extractions})
    for claim in list_claims(kb, limit=40, offset=7):
        review_claim(kb, claim["id"], rng.choice(["accepted", "rejected"]), "tester")
    return kb


@pytest.fixture(scope="module")
def random_kb(tmp_path_factory: pytest.TempPathFactory) -> Any:
    kb = _random_kb(tmp_path_factory.mktemp("rand") / "kb.db")
    yield kb
    kb.close()


@pytest.mark.parametrize(
    "filters",
    [{}, {"actor_iso3": "POL"}, {"review_state": "new"}, {"review_state": "accepted"},
     {"types": ["use_alleged"], "treaty": "APMBT"}, {"since": "2025-03", "until": "2025-06"},
     {"actor_iso3": "FIN", "since": "2025"}, {"text": "sentence 1"}],
)
@pytest.mark.parametrize("limit", [7, 25, 500])
def test_browse_claims_pages_give_exactly_list_claims(random_kb: Any, filters: dict[str, Any], limit: int) -> None:
    """Walking the pages by their cursors gives list_claims' rows, in its order, page by page."""
    expected = list_claims(random_kb, **filters)
    for start, page in enumerate(_walk(random_kb, filters, limit)):
        assert page.items == expected[start * limit:(start + 1) * limit]
    assert start == max(0, (len(expected) - 1) // limit)


def _walk(kb: Any, filters: dict[str, Any], limit: int) -> Any:
    cursor = None
    while True:
        page = browse_claims(kb, **filters, limit=limit, cursor=cursor)
        yield page
        if page.next is None:
            return
        cursor = page.next


def test_browse_claims_tiny_window_on_common_state(random_kb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_store, "_is_common_state", lambda *_: True)
    expected = list_claims(random_kb, review_state="new")
    walked = [c for page in _walk(random_kb, {"review_state": "new"}, 5) for c in page.items]
    assert walked == expected


def test_a_deep_page_reads_no_more_rows_than_the_first(random_kb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: a page at any depth reads about one page of rows, not every row before it."""
    read: list[int] = []
    real_rows = search_store._rows

    def counting_rows(conn: Any, query: Any) -> list[dict[str, Any]]:
        rows = real_rows(conn, query)
        read.append(len(rows))
        return rows

    monkeypatch.setattr(search_store, "_rows", counting_rows)
    pages = list(_walk(random_kb, {}, 10))
    per_page = []
    for cursor in [None] + [page.next for page in pages[:-1]]:
        read.clear()
        browse_claims(random_kb, limit=10, cursor=cursor)
        per_page.append(sum(read))
    assert len(pages) > 30
    assert max(per_page) <= 3 * 11  # three streams (dated, undated, no date), each at most one page + 1


def test_facets_count_current_claims(random_kb: Any) -> None:
    facets = claim_facets(random_kb)
    everything = list_claims(random_kb)
    assert sum(facets["review_state"].values()) == len(everything)
    assert facets["type"] == {t: sum(1 for c in everything if c["type"] == t) for t in TYPES if any(
        c["type"] == t for c in everything)}
    assert facets["treaty"] == {"APMBT": sum(1 for c in everything if c["treaty"] == "APMBT")}


def test_time_limit_interrupts_a_long_query(random_kb: Any) -> None:
    from sqlalchemy import text

    endless = text("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) "
                   "SELECT count(*) FROM c")
    with pytest.raises(QueryTimeout), random_kb.read(time_limit=0.05) as conn:
        conn.execute(endless).scalar()
    with random_kb.read(time_limit=5) as conn:  # the handler is removed: the connection works normally
        assert conn.execute(text("SELECT 1")).scalar() == 1


def test_search_timeout_is_503(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = seed_kb(tmp_path / "kb.db")

    def too_slow(*_a: Any, **_k: Any) -> Any:
        raise QueryTimeout("query took longer than 1 s")

    monkeypatch.setattr(search_store, "search", too_slow)
    with client_for(data["kb"]) as client:
        response = client.get("/api/v1/search", params={"q": "mines"})
        assert response.status_code == 503 and response.json()["error"]["code"] == "query_timeout"
        assert response.headers["retry-after"] == "1"
        assert client.get("/api/v1/claims").status_code == 200
    data["kb"].close()


def test_counts_follow_reviews_made_in_the_app(tmp_path: Path) -> None:
    data = seed_kb(tmp_path / "kb.db")
    with client_for(data["kb"]) as client:
        assert "<strong>4</strong> new" in client.get("/").text
        claim = next(iter(data["claims"].values()))
        client.cookies.clear()  # the page visit left a session cookie; Bearer must come without one
        done = client.post(f"/api/v1/claims/{claim}/review", json={"state": "accepted"},
                           headers={"authorization": f"Bearer {data['token']}"})
        assert done.status_code == 200
        page = client.get("/").text
        assert "<strong>3</strong> new" in page and "<strong>1</strong> accepted" in page
    data["kb"].close()
