"""REST: facts — claims that state the same step, with their support and the record check.

``GET /api/v1/facts`` lists them (the claim filters, plus ``conflicts``, ``min_stories``,
``order=impact|stories|recent``); ``expand=claims`` adds each fact's claims and quotes.
``GET /api/v1/facts/{id}`` is one fact, always expanded; ``POST /api/v1/facts/{id}/review``
reviews all of its claims at once (analysts only). See docs/facts.md.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from treatywatch.errors import NotFoundError, ReviewError
from treatywatch.kb import fact_reviews, facts_read
from treatywatch.status import load_facts
from treatywatch.status.factcheck import annotate, by_impact
from treatywatch.web.api_models import ReviewIn
from treatywatch.web.data import forget_facets
from treatywatch.web.filters import ClaimFilters, claim_filters
from treatywatch.web.security import Principal, check_csrf, require_analyst

router = APIRouter(tags=["facts"])
MAX_PAGE = 500
FACT_ID = r"^[0-9a-f]{64}$"


def fact_args(filters: ClaimFilters, review_state: str | None, conflicts: bool, min_stories: int) -> dict[str, Any]:
    """The claim filters of a request as `kb.facts_read.fact_filters` arguments."""
    return {"actor_iso3": filters.state, "treaty": filters.treaty,
            "types": [filters.type] if filters.type else None, "since": filters.since, "until": filters.until,
            "review_state": review_state or filters.review_state, "conflicts_only": conflicts,
            "min_stories": min_stories}


def facts_page(kb: Any, args: dict[str, Any], order: str, limit: int, offset: int) -> list[dict[str, Any]]:
    """One page of annotated facts in ``order`` (impact: those that would change a status first)."""
    if order == "impact":
        rows = by_impact(annotate(facts_read.list_facts(kb, **args), load_facts()))
        return rows[offset:offset + limit]
    return annotate(facts_read.list_facts(kb, order=order, limit=limit, offset=offset, **args), load_facts())


@router.get("/facts", summary="List facts: claims of one step, with support, conflicts and the record check")
def list_facts(
    request: Request,
    filters: ClaimFilters = Depends(claim_filters),
    pending: bool = Query(False, description="Only the review queue: unreviewed facts and newly contradicted ones"),
    conflicts: bool = Query(False, description="Only facts whose sources disagree on the date"),
    min_stories: int = Query(0, ge=0, le=100000, description="Only facts with at least this many stories"),
    order: Literal["impact", "stories", "recent"] = Query("impact"),
    expand: Literal["", "claims"] = Query("", description="claims: each fact with its claims and quotes"),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=100000),
) -> dict[str, Any]:
    kb = request.app.state.kb
    args = fact_args(filters, "pending" if pending else None, conflicts, min_stories)
    rows = facts_page(kb, args, order, limit, offset)
    if expand == "claims":
        for row in rows:
            full = facts_read.get_fact(kb, row["id"])
            row["claims"], row["quotes"] = (full or {}).get("claims", []), (full or {}).get("quotes", [])
    return {"items": rows, "limit": limit, "offset": offset,
            "next_offset": offset + limit if len(rows) == limit else None}


@router.get("/facts/{fact_id}", summary="One fact with its claims, quotes and record check")
def get_fact(request: Request, fact_id: str) -> dict[str, Any]:
    row = facts_read.get_fact(request.app.state.kb, fact_id[:64])
    if row is None:
        raise HTTPException(404, f"no fact {fact_id[:64]}")
    return annotate([row], load_facts())[0]


@router.post("/facts/{fact_id}/review", summary="Accept, reject or correct every claim of a fact (analysts only)")
def review_fact(request: Request, fact_id: str, body: ReviewIn, who: Principal = Depends(require_analyst)) -> Any:
    check_csrf(request, None)
    try:
        now_in = fact_reviews.review_fact(request.app.state.kb, fact_id[:64], body.state, who.username,
                                          correction=body.correction_fields(), note=body.note)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None
    except ReviewError as exc:
        raise HTTPException(400, str(exc)) from None
    forget_facets(request.app)
    return {"reviewed": fact_id[:64], "state": body.state, "facts": now_in}
