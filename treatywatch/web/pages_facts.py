"""Facts in the web UI: the facts list, one fact with its claims, and the review queue by facts
(biggest impact first: facts that would change a treaty status come first). See docs/facts.md."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from treatywatch.errors import NotFoundError, ReviewError
from treatywatch.kb import fact_reviews, facts_read
from treatywatch.status import load_facts
from treatywatch.status.factcheck import annotate
from treatywatch.web.api_facts import fact_args, facts_page
from treatywatch.web.data import forget_facets
from treatywatch.web.filters import ClaimFilters, claim_filters
from treatywatch.web.pages_review import review_form
from treatywatch.web.render import render
from treatywatch.web.security import pop_flash, set_flash

router = APIRouter()


def _page(request: Request, filters: ClaimFilters, *, queue: bool, conflicts: bool, offset: int) -> Response:
    size = request.app.state.settings.page_size
    args = fact_args(filters, "pending" if queue else None, conflicts, 0)
    rows = facts_page(request.app.state.kb, args, "impact" if queue else "recent", size + 1, offset)
    return render(request, "facts.html", facts=rows[:size], queue=queue, conflicts=conflicts, filters=filters,
                  params=filters.params(), offset=offset, more=len(rows) > size, size=size,
                  flash=pop_flash(request))


@router.get("/facts")
def facts_list(request: Request, filters: ClaimFilters = Depends(claim_filters),
               conflicts: bool = Query(False), offset: int = Query(0, ge=0, le=100000)) -> Response:
    return _page(request, filters, queue=False, conflicts=conflicts, offset=offset)


@router.get("/review/facts")
def facts_queue(request: Request, filters: ClaimFilters = Depends(claim_filters),
                conflicts: bool = Query(False), offset: int = Query(0, ge=0, le=100000)) -> Response:
    return _page(request, filters, queue=True, conflicts=conflicts, offset=offset)


@router.get("/facts/{fact_id}")
def fact_page(request: Request, fact_id: str) -> Response:
    row = facts_read.get_fact(request.app.state.kb, fact_id[:64])
    if row is None:
        raise HTTPException(404, f"no fact {fact_id[:64]}")
    fact = annotate([row], load_facts())[0]
    return render(request, "fact.html", fact=fact, flash=pop_flash(request))


@router.post("/review/facts/{fact_id}")
async def review_fact(request: Request, fact_id: str) -> Response:
    posted = await review_form(request, "/review/facts", 20)
    if isinstance(posted, Response):
        return posted
    form, back, who, state = posted
    if state not in ("accepted", "rejected"):
        raise HTTPException(400, "unknown action; use accept or reject (correct a fact's claims one by one)")
    try:
        fact_reviews.review_fact(request.app.state.kb, fact_id[:64], state, who,
                                 note=str(form.get("note") or "")[:2000] or None)
    except (ReviewError, NotFoundError) as exc:
        set_flash(request, f"Not saved: {exc}")
        return RedirectResponse(back, status_code=303)
    forget_facets(request.app)
    set_flash(request, f"Fact {fact_id[:10]} {state} by {who}, with all its claims.")
    return RedirectResponse(back, status_code=303)
