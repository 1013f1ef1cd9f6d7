"""Reading facts (`kb.facts`): filtered lists, one fact with its claims and quotes.

Kept apart from the grouping so that readers (CLI, web, alerts) import only this.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, or_, select, true

from treatywatch.dates import GrainDate, parse_grain_date
from treatywatch.kb.claims import claim_query, finish_rows
from treatywatch.kb.schema import claims, fact_claims, facts
from treatywatch.kb.sql import grain_since, grain_until
from treatywatch.kb.store import KB

ORDERS = ("stories", "recent")


def fact_filters(
    *,
    actor_iso3: str | None = None,
    treaty: str | None = None,
    types: Sequence[str] | None = None,
    since: GrainDate | str | None = None,
    until: GrainDate | str | None = None,
    review_state: str | None = None,
    conflicts_only: bool = False,
    min_stories: int = 0,
    changed_since: str | None = None,
    include_empty: bool = False,
) -> list[Any]:
    """WHERE terms of a facts listing; dates compared at their grain (`GrainDate`)."""
    terms: list[Any] = [] if include_empty else [facts.c.claims > 0]
    if actor_iso3:
        terms.append(facts.c.actor_iso3 == actor_iso3.upper())
    if treaty:
        terms.append(facts.c.treaty == treaty.upper())
    if types:
        terms.append(facts.c.type.in_(list(types)))
    first, last = parse_grain_date(since), parse_grain_date(until)
    if first is not None:
        terms.append(grain_since(facts.c.date, first))
    if last is not None:
        terms.append(grain_until(facts.c.date, last))
    if review_state == "pending":  # what the review queue shows: unreviewed, or newly contradicted
        terms.append(or_(facts.c.review_state == "new", facts.c.new_conflicts > 0))
    elif review_state:
        terms.append(facts.c.review_state == review_state)
    if conflicts_only:
        terms.append(facts.c.conflict == 1)
    if min_stories:
        terms.append(facts.c.stories >= min_stories)
    if changed_since:
        terms.append(facts.c.updated_at > changed_since)
    return terms


def list_facts(kb: KB, *, order: str = "recent", limit: int | None = None, offset: int = 0,
               **filters: Any) -> list[dict[str, Any]]:
    """Facts matching ``filters`` (see `fact_filters`): most recently seen first, or
    (``order="stories"``) best supported first."""
    query = select(facts).where(and_(true(), *fact_filters(**filters)))
    if order == "stories":
        query = query.order_by(facts.c.stories.desc(), facts.c.last_seen.desc().nulls_last(), facts.c.id)
    else:
        query = query.order_by(facts.c.last_seen.desc().nulls_last(), facts.c.id)
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with kb.read() as conn:
        return [fact_dict(dict(r._mapping)) for r in conn.execute(query)]


def fact_dict(row: dict[str, Any]) -> dict[str, Any]:
    """A stored fact as callers get it: JSON columns decoded, the conflict as a bool."""
    row["dates"] = json.loads(row.get("dates") or "[]")
    row["modalities"] = json.loads(row.get("modalities") or "{}")
    row["conflict"] = bool(row.get("conflict"))
    row.pop("key", None)
    return row


def get_fact(kb: KB, fact_id: str, *, expand: bool = True) -> dict[str, Any] | None:
    """One fact; with ``expand``, its current claims (corrections applied) and their quotes."""
    with kb.read() as conn:
        row = conn.execute(select(facts).where(facts.c.id == fact_id)).first()
        if row is None:
            return None
        fact = fact_dict(dict(row._mapping))
        if expand:
            members = conn.execute(
                claim_query().add_columns(fact_claims.c.support)
                .join(fact_claims, fact_claims.c.claim_id == claims.c.id)
                .where(fact_claims.c.fact_id == fact_id, claims.c.retracted_at.is_(None))
                .order_by(claims.c.recorded_at, claims.c.id))
            fact["claims"] = finish_rows(conn, [dict(r._mapping) for r in members])
            fact["quotes"] = [{"claim": c["id"], "outlet": c.get("outlet"), "url": c.get("source_url"),
                               "published": c.get("published"), "text": c.get("sentence")}
                              for c in fact["claims"] if c.get("sentence")]
        return fact


def fact_ids_starting(kb: KB, prefix: str) -> list[str]:
    """The fact with this id, or else every fact whose id starts so."""
    with kb.read() as conn:
        if conn.execute(select(facts.c.id).where(facts.c.id == prefix)).first() is not None:
            return [prefix]
        found = conn.execute(select(facts.c.id).where(facts.c.id.startswith(prefix, autoescape=True)).limit(50))
        return list(found.scalars())


def fact_of_claim(kb: KB, claim_id: str) -> str | None:
    with kb.read() as conn:
        return conn.execute(select(fact_claims.c.fact_id).where(fact_claims.c.claim_id == claim_id)).scalar()
