"""The seen table: pages and records the relevance prefilter dropped before parsing (issue 13).

A dropped page is recorded by the sha256 of its raw bytes with its URL, where it was read, the
reason (``off_topic``) and when, so that a re-crawl skips it without scoring it again
(``seen_hashes``) and a user can count what was dropped (``dropped_counts``). Written inside the
ingest flow's one transaction per input (``write_dropped``, called by ``articles.store_input``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from treatywatch.kb.schema import seen_inputs
from treatywatch.kb.sql import insert_ignore, sanitize
from treatywatch.kb.store import KB
from treatywatch.models import Dropped

_CHUNK = 500  # hashes per IN (...) query, well under every backend's parameter limit


def write_dropped(conn: Connection, dropped: Iterable[Dropped], now: str) -> int:
    """Record dropped pages in the caller's transaction; returns how many were new.

    A page met again keeps its first record and counts one more sighting (``times``).
    """
    new = 0
    for item in dropped:
        row = {
            "content_hash": item.content_hash,
            "reason": item.reason,
            "url": sanitize(item.url),
            "location": sanitize(item.location),
            "record": item.record,
            "score": item.score,
            "first_seen": now,
            "last_seen": now,
            "times": 1,
        }
        if insert_ignore(conn, seen_inputs, row):
            new += 1
            continue
        conn.execute(
            seen_inputs.update()
            .where(seen_inputs.c.content_hash == item.content_hash)
            .values(last_seen=now, times=seen_inputs.c.times + 1)
        )
    return new


def seen_hashes(kb: KB, hashes: Iterable[str]) -> set[str]:
    """The hashes among ``hashes`` recorded as dropped (a re-crawl skips them)."""
    wanted = list(dict.fromkeys(hashes))
    found: set[str] = set()
    with kb.read() as conn:
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            found.update(conn.execute(select(seen_inputs.c.content_hash).where(seen_inputs.c.content_hash.in_(chunk))).scalars())
    return found


@dataclass(frozen=True)
class DroppedCount:
    """Dropped pages of one reason: distinct pages, and how many times they were met."""

    reason: str
    pages: int
    sightings: int


def dropped_counts(kb: KB) -> list[DroppedCount]:
    """Dropped pages by reason, for the user (``treatywatch seen``)."""
    query = select(seen_inputs.c.reason, func.count(), func.sum(seen_inputs.c.times)).group_by(seen_inputs.c.reason)
    with kb.read() as conn:
        return [DroppedCount(r, int(n), int(t or 0)) for r, n, t in conn.execute(query).all()]


def list_dropped(kb: KB, limit: int = 100) -> list[dict[str, object]]:
    """The dropped pages, most recently met first: where, which record, URL, reason, score."""
    columns = (seen_inputs.c.location, seen_inputs.c.record, seen_inputs.c.url, seen_inputs.c.reason,
               seen_inputs.c.score, seen_inputs.c.times, seen_inputs.c.last_seen)
    query = select(*columns).order_by(seen_inputs.c.last_seen.desc(), seen_inputs.c.content_hash).limit(limit)
    with kb.read() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
