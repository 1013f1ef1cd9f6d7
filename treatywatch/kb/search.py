"""Bounded search across articles and claims, and the facet counts the dashboard shows.

Search is a plain case-insensitive substring match (LIKE with wildcards escaped): it scans, so
every query runs under a time limit (SQLite progress handler, PostgreSQL statement_timeout) and
raises `QueryTimeout` instead of holding a connection for as long as the scan takes
(RELIABILITY row 39).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, func, or_, select, text
from sqlalchemy.exc import OperationalError

from treatywatch.dates import GrainDate, parse_grain_date
from treatywatch.errors import QueryTimeout
from treatywatch.kb import claims as claims_store
from treatywatch.kb.schema import articles, claims
from treatywatch.kb.sql import like_contains
from treatywatch.kb.store import KB

MAX_QUERY = 200
DEFAULT_TIME_LIMIT = 1.0
SNIPPET = 80


@contextmanager
def time_limited(kb: KB, seconds: float) -> Iterator[Connection]:
    """A read connection whose statements are interrupted after ``seconds``."""
    with kb.read() as conn:
        if kb.is_sqlite:
            raw: Any = conn.connection.driver_connection
            deadline = time.monotonic() + seconds
            raw.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 1000)
            try:
                yield conn
            except OperationalError as exc:
                if "interrupted" in str(exc.orig).lower():
                    raise QueryTimeout(f"query took longer than {seconds:g} s; narrow the search") from exc
                raise
            finally:
                raw.set_progress_handler(None, 0)
        else:
            with conn.begin():
                conn.execute(text(f"SET LOCAL statement_timeout = {int(seconds * 1000)}"))
                try:
                    yield conn
                except OperationalError as exc:
                    if "statement timeout" in str(exc.orig).lower():
                        raise QueryTimeout(f"query took longer than {seconds:g} s; narrow the search") from exc
                    raise


def snippet(text_: str, query: str, width: int = SNIPPET) -> str:
    """The part of ``text_`` around the first match, with ellipses where it was cut."""
    at = text_.lower().find(query.lower())
    if at < 0:
        return text_[: 2 * width] + ("…" if len(text_) > 2 * width else "")
    start, end = max(0, at - width), min(len(text_), at + len(query) + width)
    return ("…" if start else "") + text_[start:end] + ("…" if end < len(text_) else "")


def search(
    kb: KB, query: str, *, limit: int = 20, time_limit: float = DEFAULT_TIME_LIMIT
) -> dict[str, list[dict[str, Any]]]:
    """Articles (title or text) and claims (evidence sentence, actor, place) containing ``query``."""
    query = query.strip()[:MAX_QUERY]
    if not query:
        return {"articles": [], "claims": []}
    pattern = like_contains(query)
    limit = max(1, min(limit, 100))
    article_q = (
        select(articles.c.id, articles.c.title, articles.c.source_domain.label("source"),
               articles.c.published, articles.c.text)
        .where(or_(func.lower(articles.c.title).like(pattern, escape="\\"),
                   func.lower(articles.c.text).like(pattern, escape="\\")))
        .order_by(articles.c.published.desc(), articles.c.id)
        .limit(limit)
    )
    claim_q = (
        select(claims.c.id, claims.c.type, claims.c.actor_iso3, claims.c.actor, claims.c.treaty,
               claims.c.date, claims.c.review_state, claims.c.sentence, claims.c.article_id)
        .where(claims.c.retracted_at.is_(None))
        .where(or_(func.lower(claims.c.sentence).like(pattern, escape="\\"),
                   func.lower(claims.c.actor).like(pattern, escape="\\"),
                   func.lower(claims.c.place).like(pattern, escape="\\")))
        .order_by(claims.c.date.desc(), claims.c.id)
        .limit(limit)
    )
    with time_limited(kb, time_limit) as conn:
        found_articles = [dict(r._mapping) for r in conn.execute(article_q)]
        found_claims = [dict(r._mapping) for r in conn.execute(claim_q)]
    for row in found_articles:
        row["snippet"] = snippet(row.pop("text") or "", query)
    return {"articles": found_articles, "claims": found_claims}


def claim_facets(kb: KB, *, time_limit: float = DEFAULT_TIME_LIMIT) -> dict[str, dict[str, int]]:
    """Current claims counted by review state, type, treaty and acting state, in one scan."""
    columns = (claims.c.review_state, claims.c.type, claims.c.treaty, claims.c.actor_iso3)
    names = ("review_state", "type", "treaty", "actor_iso3")
    out: dict[str, dict[str, int]] = {name: {} for name in names}
    with time_limited(kb, time_limit) as conn:
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
# dated claims come from the date index, undated ones from the publication-date index, and the
# two sorted streams are merged; corroboration is counted only over claims with the same
# (actor, type) pairs, which the (actor_iso3, type) index finds directly.

def _merged(dated: list[dict[str, Any]], undated: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Both streams in list_claims' order: sort key descending, claim id ascending on ties."""
    rows = sorted(dated + undated, key=lambda r: r["id"])
    return sorted(rows, key=lambda r: (r["date"] or r["published"] or ""), reverse=True)


def _newest_undated(conn: Connection, query: Any, window: int, *, selective: bool) -> list[dict[str, Any]]:
    """The first ``window`` rows of ``query`` (undated claims, newest article first).

    Sorting every undated claim by its article's date is what makes the plain query slow, so
    it is first tried on the newest articles only (unless a selective filter applies) (all articles published on or after the
    K-th newest date, so ties are complete), widening K until the window fills or K covers all.
    """
    if selective:  # an index on the filter finds the few candidate rows directly
        return [dict(r._mapping) for r in conn.execute(query.limit(window))]
    k = max(4 * window, 200)
    while True:
        bound = conn.execute(
            select(articles.c.published).where(articles.c.published.is_not(None))
            .order_by(articles.c.published.desc()).limit(1).offset(k - 1)
        ).scalar()
        bounded = query if bound is None else query.where(articles.c.published >= bound)
        rows = [dict(r._mapping) for r in conn.execute(bounded.limit(window))]
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
    offset: int = 0,
) -> list[dict[str, Any]]:
    """The rows `claims.list_claims` returns for these filters, fast on a large kb."""
    window = offset + limit
    common = bool(review_state) and _is_common_state(kb, review_state or "", window)
    conditions = claims_store.claim_filters(actor_iso3=actor_iso3, treaty=treaty, types=types,
                                            review_state=review_state, text=text, article_id=article_id,
                                            common_state=common)
    dated_q = claims_store.claim_query().where(*conditions, claims.c.date.is_not(None))
    # coalesce(date, '') = '' rather than IS NULL: the date index would make SQLite visit every
    # undated claim; without it, SQLite starts from the newest articles (see _newest_undated).
    undated_q = claims_store.claim_query().where(*conditions, func.coalesce(claims.c.date, "") == "")
    dated, published = claims_store.date_range(parse_grain_date(since), parse_grain_date(until))
    dated_q, undated_q = dated_q.where(*dated), undated_q.where(*published)
    with kb.read() as conn:
        dated = [dict(r._mapping) for r in conn.execute(
            dated_q.order_by(claims.c.date.desc(), claims.c.id).limit(window))]
        undated = _newest_undated(conn, undated_q.order_by(articles.c.published.desc(), claims.c.id), window,
                                  selective=bool(actor_iso3 or article_id))
        return claims_store.finish_rows(conn, _merged(dated, undated)[offset:window])
