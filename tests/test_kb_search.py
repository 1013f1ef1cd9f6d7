"""Issue 15, items 2 and 4 in the kb: word search instead of LIKE over whole texts, keyset pages
that start after the last row shown, on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, text
from test_kb_store import make_article

from treatywatch.errors import InputError
from treatywatch.kb import articles as kb_articles
from treatywatch.kb import claims as kb_claims
from treatywatch.kb import search as kb_search
from treatywatch.kb import sources as kb_sources
from treatywatch.kb.fulltext import INDEXED_CHARS
from treatywatch.kb.schema import schema_migrations
from treatywatch.kb.store import KB, open_kb
from treatywatch.models import Event, Evidence, Extraction, InputBatch

TEXTS = {
    "https://wire.example/a": "Poland deposited its instrument of withdrawal from the Mine Ban Treaty.",
    "https://news.wire.example/b": "Lithuania leaves the cluster munitions convention; landmines next.",
    "https://local.example/c": "A coal mine in Silesia flooded after heavy rain, officials said.",
    "https://100%.example/d": "Percent signs and under_scores are no words: 100% of the_rest.",
}


def _store(kb: KB, url: str, body: str, **extra: Any) -> str:
    article = make_article(body, url, **extra)
    sentence = body.split(".")[0] + "."
    event_ = Event("treaty_withdrawal_announced", "state:POL", "asserted", Evidence((0, len(sentence)), sentence),
                   0.9, actor_iso3="POL", treaty="APMBT", date=extra.get("published", "2025-08-20"))
    kb_articles.store_batch(kb, InputBatch(url, url, (article,)),
                            extractions_by_id={article.id: Extraction(article=article, events=(event_,))})
    return article.id


@pytest.fixture
def texts_kb(kb: KB) -> KB:
    for n, (url, body) in enumerate(TEXTS.items()):
        _store(kb, url, body, published=f"2025-08-2{n}")
    return kb


def _sources(kb: KB, **filters: Any) -> set[str]:
    return {r["source"] for r in kb_articles.list_articles(kb, **filters)}


def test_articles_are_found_by_their_words(texts_kb: KB) -> None:
    assert _sources(texts_kb, text="mine ban") == {"wire.example"}
    assert _sources(texts_kb, text="MINE") == {"wire.example", "local.example"}  # case folded, whole word
    assert _sources(texts_kb, text="landmine") == {"news.wire.example"}  # a word also finds longer ones
    assert _sources(texts_kb, text="withdrawal silesia") == set()  # every word must be there
    assert _sources(texts_kb, text="a title") >= {"wire.example"}  # titles are searched too


@pytest.mark.parametrize("query", ["%", "_", "%%", "__", '"', "*", "  ", "-", "'", "(", "^"])
def test_wildcards_and_punctuation_match_nothing(texts_kb: KB, query: str) -> None:
    assert _sources(texts_kb, text=query) == set()
    assert kb_claims.list_claims(texts_kb, text=query) == []
    assert kb_search.search(texts_kb, query) == {"articles": [], "claims": []}


def test_query_syntax_is_only_words(texts_kb: KB) -> None:
    assert _sources(texts_kb, text="AND") == {"100%.example"}  # the word "and", not an operator
    assert _sources(texts_kb, text="' OR 1=1 --") == set()
    assert _sources(texts_kb, text='mine" OR "coal') == set()  # words mine, or, coal: no text has all
    assert _sources(texts_kb, text="NEAR(poland treaty)") == set()


def test_the_source_filter_takes_the_domain_and_its_subdomains_literally(texts_kb: KB) -> None:
    assert _sources(texts_kb, source="wire.example") == {"wire.example", "news.wire.example"}
    assert _sources(texts_kb, source="%") == set()
    assert _sources(texts_kb, source="_ire.example") == set()


def test_claims_are_found_by_words_of_their_sentence(texts_kb: KB) -> None:
    found = kb_claims.list_claims(texts_kb, text="silesia coal")
    assert [c["outlet"] for c in found] == ["local.example"]
    assert [c["outlet"] for c in kb_search.browse_claims(texts_kb, text="silesia coal").items] == ["local.example"]
    hits = kb_search.search(texts_kb, "poland")
    assert [a["source"] for a in hits["articles"]] == ["wire.example"]
    assert "Poland" in hits["articles"][0]["snippet"]


def test_a_long_text_is_searched_by_its_words_not_scanned(kb: KB) -> None:
    """A multi-megabyte text: no LIKE reads it, its first INDEXED_CHARS characters are indexed."""
    body = "Opening words about demining. " + "a" * (3 * INDEXED_CHARS) + " closing remark"
    _store(kb, "https://long.example/x", body)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(kb.engine, "before_cursor_execute", record)
    try:
        assert _sources(kb, text="demining") == {"long.example"}
        assert _sources(kb, text="a" * 199 + "b") == set()
        assert kb_search.search(kb, "a" * 199 + "b") == {"articles": [], "claims": []}
    finally:
        event.remove(kb.engine, "before_cursor_execute", record)
    assert _sources(kb, text="remark") == set()  # beyond the indexed part
    assert not [s for s in statements if "LIKE" in s.upper()]


def _walk(page_of: Any, limit: int) -> Iterator[list[dict[str, Any]]]:
    cursor = None
    while True:
        page = page_of(limit=limit, cursor=cursor)
        yield page.items
        if page.next is None:
            return
        cursor = page.next


def test_article_pages_follow_each_other_newest_first_undated_last(kb: KB) -> None:
    for n in range(9):
        _store(kb, f"https://o{n % 3}.example/{n}", f"Report number {n} on mines.",
               published=None if n % 4 == 0 else f"2025-0{1 + n % 5}-1{n % 2}")
    everything = kb_articles.list_articles(kb, limit=100)
    pages = list(_walk(lambda **k: kb_articles.article_page(kb, **k), 2))
    assert [r for page in pages for r in page] == everything and len(pages) == 5
    published = [r["published"] for r in everything]
    assert published[-3:] == [None, None, None]
    assert published[:-3] == sorted(published[:-3], reverse=True)
    walked = [r for page in _walk(lambda **k: kb_articles.article_page(kb, text="mines", **k), 4) for r in page]
    assert {r["id"] for r in walked} == {r["id"] for r in everything}


def test_source_pages_follow_each_other(kb: KB) -> None:
    for n in range(7):
        _store(kb, f"https://o{n % 4}.example/{n}", f"Source test {n}.")
    everything = kb_sources.list_sources(kb)
    walked = [r for page in _walk(lambda **k: kb_sources.source_page(kb, **k), 3) for r in page]
    assert [(r["domain"], r["articles"]) for r in walked] == sorted(
        ((r["domain"], r["articles"]) for r in everything), key=lambda d: (d[1], d[0]), reverse=True)


@pytest.mark.parametrize("cursor", ["x", "WzFd", "bm90IGpzb24", "W251bGwsbnVsbCxudWxsXQ", "A" * 700])
def test_a_cursor_that_was_not_given_is_refused(texts_kb: KB, cursor: str) -> None:
    with pytest.raises(InputError, match="invalid cursor"):
        kb_articles.article_page(texts_kb, cursor=cursor)
    with pytest.raises(InputError, match="invalid cursor"):
        kb_search.browse_claims(texts_kb, cursor=cursor)


def test_an_older_database_gets_its_word_index_filled(kb_url: str) -> None:
    with open_kb(kb_url) as kb:
        _store(kb, "https://wire.example/a", TEXTS["https://wire.example/a"])
        with kb.write() as conn:  # as the database was before the word index
            if kb.is_sqlite:
                for name in ("articles_fts", "claims_fts"):
                    conn.execute(text(f"DROP TABLE {name}"))
                for trigger in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars():
                    conn.execute(text(f"DROP TRIGGER {trigger}"))
            else:
                conn.execute(text("DROP INDEX ix_articles_search"))
                conn.execute(text("DROP INDEX ix_claims_search"))
            conn.execute(schema_migrations.delete().where(schema_migrations.c.name == "0006_full_text_search"))
    with open_kb(kb_url) as kb:
        assert _sources(kb, text="instrument") == {"wire.example"}
        assert len(kb_claims.list_claims(kb, text="poland")) == 1
        _store(kb, "https://local.example/c", TEXTS["https://local.example/c"])
        assert _sources(kb, text="silesia") == {"local.example"}
