"""Bounded search across articles and claims, and the facet counts the dashboard shows.

Search is a plain case-insensitive substring match (LIKE with wildcards escaped): it scans, so
every query runs under a time limit (SQLite progress handler, PostgreSQL statement_timeout) and
raises `QueryTimeout` instead of holding a connection for as long as the scan takes
(RELIABILITY row 39).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, func, or_, select, text
from sqlalchemy.exc import OperationalError

from treatywatch.kb.schema import articles, claims
from treatywatch.kb.store import KB

MAX_QUERY = 200
DEFAULT_TIME_LIMIT = 1.0
SNIPPET = 80


class QueryTimeout(RuntimeError):
    """A read stopped at its time limit (code ``query_timeout``)."""

    code = "query_timeout"


@contextmanager
def time_limited(kb: KB, seconds: float) -> Iterator[Connection]:
    """A read connection whose statements are interrupted after ``seconds``."""
    with kb.read() as conn:
        if kb.is_sqlite:
            raw = conn.connection.driver_connection
            deadline = time.monotonic() + seconds
            raw.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 1000)
            try:
                yield conn
            except OperationalError as exc:
                if "interrupted" in str(exc.orig).lower():
                    raise QueryTimeout(f"query took longer than {seconds:g} s") from exc
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
                        raise QueryTimeout(f"query took longer than {seconds:g} s") from exc
                    raise


def _like_pattern(query: str) -> str:
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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
    pattern = _like_pattern(query)
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
    """Current claims counted by review state, type, treaty and acting state (for filters)."""
    current = claims.c.retracted_at.is_(None)
    out: dict[str, dict[str, int]] = {}
    with time_limited(kb, time_limit) as conn:
        for name, column in (("review_state", claims.c.review_state), ("type", claims.c.type),
                             ("treaty", claims.c.treaty), ("actor_iso3", claims.c.actor_iso3)):
            rows = conn.execute(
                select(column, func.count()).where(current, column.is_not(None)).group_by(column)
            )
            out[name] = {str(value): int(n) for value, n in rows}
    return out
