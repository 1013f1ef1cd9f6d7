"""Reviewing a fact (`kb.facts`): every current claim of it gets the review, and the fact too."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update

from treatywatch.errors import NotFoundError, ReviewError
from treatywatch.kb.corrections import CORRECTABLE_FIELDS, REVIEW_STATES, checked_correction
from treatywatch.kb.facts import refresh, regroup_claims
from treatywatch.kb.schema import claims, fact_claims, facts, reviews
from treatywatch.kb.sql import sanitize
from treatywatch.kb.store import KB, utcnow


def review_fact(kb: KB, fact_id: str, state: str, reviewer: str, *, correction: dict[str, Any] | None = None,
                note: str | None = None) -> list[str]:
    """Review a fact: every current claim of it gets this review, and the fact too.

    A correction (``corrected``) applies to each claim and may move them to another fact (a
    corrected date or type is another step); returns the ids of the facts the claims are in now.
    Raises `ReviewError` / `NotFoundError` as `kb.claims.review_claim` does.
    """
    if state not in REVIEW_STATES[1:]:
        raise ReviewError(f"unknown review state {state!r}; use accepted, rejected or corrected")
    if state == "corrected":
        unknown = set(correction or {}) - set(CORRECTABLE_FIELDS)
        if not correction or unknown:
            raise ReviewError(f"a correction needs fields among {', '.join(CORRECTABLE_FIELDS)}")
        correction = checked_correction(correction)
    now = utcnow()
    with kb.write() as conn:
        if conn.execute(select(facts.c.id).where(facts.c.id == fact_id)).first() is None:
            raise NotFoundError(f"no fact {fact_id}")
        members = conn.execute(
            select(claims.c.id, claims.c.match_key).select_from(
                fact_claims.join(claims, claims.c.id == fact_claims.c.claim_id))
            .where(fact_claims.c.fact_id == fact_id, claims.c.retracted_at.is_(None))).all()
        for claim_id, key in members:
            conn.execute(reviews.insert().values(
                claim_id=claim_id, match_key=key, state=state, note=sanitize(note), reviewer=sanitize(reviewer),
                correction=json.dumps(correction) if correction else None, reviewed_at=now))
            conn.execute(update(claims).where(claims.c.match_key == key).values(review_state=state))
        conn.execute(update(facts).where(facts.c.id == fact_id).values(
            review_state=state, reviewed_by=sanitize(reviewer), reviewed_at=now))
        conn.execute(update(fact_claims).where(fact_claims.c.fact_id == fact_id).values(support="reviewed"))
        ids = [c for c, _ in members]
        if state == "corrected":
            return sorted(regroup_claims(conn, ids, now))
        refresh(conn, {fact_id}, now)
        return [fact_id]


