"""Search across articles and claims, the facet counts the dashboard shows, and claim pages.

Search looks words up in the word index (`kb.fulltext`: SQLite FTS5, PostgreSQL tsvector), so
its cost follows the number of matches, not the length of the texts; like every read of the web
app it also runs under the kb's time limit (`KB.read`) and raises `QueryTimeout` past it
(docs/reliability.md#bad-inputs row 39).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select, tuple_

from treatywatch.dates import GrainDate, parse_grain_date
from treatywatch.kb import claims as claims_store
from treatywatch.kb import fulltext
from treatywatch.kb.keyset import Page, decode_cursor, encode_cursor
from treatywatch.kb.schema import articles, claims
from treatywatch.kb.store import KB

MAX_QUERY = 200
DEFAULT_TIME_LIMIT = 1.0
SNIPPET = 80


def snippet(text_: str, terms: Sequence[str], width: int = SNIPPET) -> str:
    """The part of ``text_`` around the first word starting with one of ``terms``, with ellipses
    where it was cut."""
    found = re.search(r"\b(?:" + "|".join(map(re.escape, terms)) + ")", text_, re.IGNORECASE) if terms else None
    if found is None:
        return text_[: 2 * width] + ("…" if len(text_) > 2 * width else "")
    start, end = max(0, found.start() - width), min(len(text_), found.end() + width)
    return ("…" if start else "") + text_[start:end] + ("…" if end < len(text_) else "")


def search(
    kb: KB, query: str, *, limit: int = 20, time_limit: float = DEFAULT_TIME_LIMIT
) -> dict[str, list[dict[str, Any]]]:
    """The newest articles (title or text) and claims (evidence sentence, actor, place) that
    have every word of ``query`` (see `kb.fulltext`); a query without words finds nothing."""
    terms = fulltext.words(query[:MAX_QUERY])
    if not terms:
        return {"articles": [], "claims": []}
    dialect = kb.engine.dialect.name
    limit = max(1, min(limit, 100))
    article_q = (
        select(articles.c.id, articles.c.title, articles.c.source_domain.label("source"),
               articles.c.published, func.substr(articles.c.text, 1, fulltext.INDEXED_CHARS).label("text"))
        .where(fulltext.article_match(dialect, terms))
        .order_by(articles.c.published.desc().nulls_last(), articles.c.id.desc())
        .limit(limit)
    )
    claim_q = (
        select(claims.c.id, claims.c.type, claims.c.actor_iso3, claims.c.actor, claims.c.treaty,
               claims.c.date, claims.c.review_state, claims.c.sentence, claims.c.article_id)
        .where(claims.c.retracted_at.is_(None), fulltext.claim_match(dialect, terms))
        .order_by(claims.c.date.desc().nulls_last(), claims.c.id.desc())
        .limit(limit)
    )
    with kb.read(time_limit=time_limit) as conn:
        found_articles = [dict(r._mapping) for r in conn.execute(article_q)]
        found_claims = [dict(r._mapping) for r in conn.execute(claim_q)]
    for row in found_articles:
        row["snippet"] = snippet(row.pop("text") or "", terms)
    return {"articles": found_articles, "claims": found_claims}


def claim_facets(kb: KB, *, time_limit: float = DEFAULT_TIME_LIMIT) -> dict[str, dict[str, int]]:
    """Current claims counted by review state, type, treaty and acting state, in one scan."""
    columns = (claims.c.review_state, claims.c.type, claims.c.treaty, claims.c.actor_iso3)
    names = ("review_state", "type", "treaty", "actor_iso3")
    out: dict[str, dict[str, int]] = {name: {} for name in names}
    with kb.read(time_limit=time_limit) as conn:
        rows = conn.execute(
            select(*columns, func.count()).where(claims.c.retracted_at.is_(None)).group_by(*columns)
        )
        for *values, n in rows:
            for name, value in zip(names, values, strict=True):
                if value is not None:
                    out[name][str(value)] = out[name].get(str(value), 0) + int(n)
    return out


# --- browsing claims on a large kb ------------------------------------------------------------
#
# `claims.list_claims` orders by coalesce(claim date, publication date), which no index can serve,
# and counts corroboration over every claim of the same types. The pages list a few dozen claims
# at a time from 100k+, so `browse_claims` gives the same rows in the same order another way:
# dated claims come from the (date, id) index, undated ones from the publication-date index, and
# the two sorted streams are merged; claims with neither date come last, by id. A page starts
# after the (sort key, id) of the previous page's last row (`kb.keyset`), so every page costs
# the same, however deep. Corroboration is counted only over claims with the same (actor, type)
# pairs, which the (actor_iso3, type) index finds directly.

def _sort_key(row: dict[str, Any]) -> str | None:
    return row["date"] or row["published"] or None


def _merged(dated: list[dict[str, Any]], undated: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Both streams in list_claims' order: (sort key, claim id), both descending."""
    return sorted(dated + undated, key=lambda r: (_sort_key(r), r["id"]), reverse=True)


def _rows(conn: Connection, query: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(query)]


def _newest_undated(conn: Connection, query: Any, window: int, *, selective: bool,
                    upper: str | None) -> list[dict[str, Any]]:
    """The first ``window`` rows of ``query`` (undated claims, newest article first).

    Sorting every undated claim by its article's date is what makes the plain query slow, so
    it is first tried on the newest articles only (unless a selective filter applies): all
    articles published on or after the K-th newest date (at or before ``upper``, the page's
    start), so ties are complete, widening K until the window fills or K covers all.
    """
    if selective:  # an index on the filter finds the few candidate rows directly
        return _rows(conn, query.limit(window))
    k = max(4 * window, 200)
    while True:
        newest = select(articles.c.published).where(articles.c.published.is_not(None))
        if upper is not None:
            newest = newest.where(articles.c.published <= upper)
        bound = conn.execute(newest.order_by(articles.c.published.desc()).limit(1).offset(k - 1)).scalar()
        bounded = query if bound is None else query.where(articles.c.published >= bound)
        rows = _rows(conn, bounded.limit(window))
        if bound is None or len(rows) >= window:
            return rows
        k *= 4


def _is_common_state(kb: KB, review_state: str, window: int) -> bool:
    """True when so many claims have this review state that walking the date index finds a page fast."""
    with kb.read() as conn:
        n = conn.execute(
            select(func.count()).select_from(
                select(claims.c.id).where(claims.c.review_state == review_state).limit(20 * window + 1000).subquery()
            )
        ).scalar_one()
    return int(n) > 20 * window + 999


def browse_claims(
    kb: KB,
    *,
    actor_iso3: str | None = None,
    treaty: str | None = None,
    types: Sequence[str] | None = None,
    since: GrainDate | str | None = None,
    until: GrainDate | str | None = None,
    review_state: str | None = None,
    text: str | None = None,
    article_id: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
    finish: bool = True,
    counts: claims_store.Counts | None = None,
) -> Page:
    """A page of the rows `claims.list_claims` returns for these filters, fast on a large kb;
    ``cursor`` is the ``next`` of the page before. ``finish=False`` skips applying corrections
    and counting corroboration, for a caller that needs only where the page ends; ``counts``
    (`claims.all_corroboration`) saves counting it again for each page of an export."""
    after = decode_cursor(cursor, 2)
    window = limit + 1
    common = bool(review_state) and _is_common_state(kb, review_state or "", window)
    conditions = claims_store.claim_filters(actor_iso3=actor_iso3, treaty=treaty, types=types,
                                            review_state=review_state, text=text, article_id=article_id,
                                            common_state=common, dialect=kb.engine.dialect.name)
    # coalesce(date, '') = '' rather than IS NULL: the date index would make SQLite visit every
    # undated claim; without it, SQLite starts from the newest articles (see _newest_undated).
    undated_q = claims_store.claim_query().where(*conditions, func.coalesce(claims.c.date, "") == "")
    dated_terms, published_terms = claims_store.date_range(parse_grain_date(since), parse_grain_date(until))
    dated_q = claims_store.claim_query().where(*conditions, claims.c.date > "", *dated_terms)
    undated_q = undated_q.where(*published_terms)
    with kb.read() as conn:
        rows: list[dict[str, Any]] = []
        if after is None or after[0] is not None:
            published_q = undated_q.where(articles.c.published.is_not(None))
            if after is not None:
                dated_q = dated_q.where(tuple_(claims.c.date, claims.c.id) < tuple_(*after))
                published_q = published_q.where(tuple_(articles.c.published, claims.c.id) < tuple_(*after))
            dated = _rows(conn, dated_q.order_by(claims.c.date.desc(), claims.c.id.desc()).limit(window))
            undated = _newest_undated(conn, published_q.order_by(articles.c.published.desc(), claims.c.id.desc()),
                                      window, selective=bool(actor_iso3 or article_id),
                                      upper=None if after is None else str(after[0]))
            rows = _merged(dated, undated)[:window]
        if len(rows) < window:
            tail = undated_q.where(articles.c.published.is_(None))
            if after is not None and after[0] is None:
                tail = tail.where(claims.c.id < after[1])
            rows += _rows(conn, tail.order_by(claims.c.id.desc()).limit(window - len(rows)))
        next_cursor = encode_cursor([_sort_key(rows[limit - 1]), rows[limit - 1]["id"]]) if len(rows) > limit else None
        page = rows[:limit]
        if not finish:
            return Page(page, next_cursor)
        return Page(claims_store.finish_rows(conn, page, counts, cache=claims_store.corroboration_cache(kb)),
                    next_cursor)
