"""The review queue: accept, reject or correct claims one by one or in bulk (analysts only)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, NamedTuple

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from treatywatch.errors import NotFoundError, ReviewError
from treatywatch.kb import claims as claims_store
from treatywatch.kb.claims import CORRECTABLE_FIELDS
from treatywatch.kb.search import browse_claims
from treatywatch.web.data import cached_facets, forget_facets
from treatywatch.web.filters import ClaimFilters, claim_filters
from treatywatch.web.pages_auth import safe_next
from treatywatch.web.paging import Cursor
from treatywatch.web.render import query_with, render
from treatywatch.web.security import check_csrf, current_principal, pop_flash, set_flash

router = APIRouter()
ACTIONS = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}
MAX_BULK = 500


def _analyst_or_login(request: Request, back: str) -> str | Response:
    """The signed-in analyst's name, or a redirect to the sign-in page."""
    principal = current_principal(request)
    if principal is None:
        return RedirectResponse(f"/login?{query_with({}, next=safe_next(back))}", status_code=303)
    return principal.username


class ReviewForm(NamedTuple):
    """A review form posted by a signed-in analyst with a valid CSRF token."""

    form: Any
    back: str
    who: str
    state: str | None


async def review_form(request: Request, default_back: str, max_fields: int) -> ReviewForm | Response:
    """Read a review form: where to go back to, the analyst (or a sign-in redirect), CSRF, the action.

    Shared by the claim, bulk and fact review endpoints so that all check the same things in the
    same order; the state is None for an unknown action (each endpoint says which it accepts).
    """
    form = await request.form(max_fields=max_fields)
    back = safe_next(str(form.get("next") or default_back))
    who = _analyst_or_login(request, back)
    if isinstance(who, Response):
        return who
    check_csrf(request, str(form.get("csrf_token") or ""))
    return ReviewForm(form, back, who, ACTIONS.get(str(form.get("action"))))


@router.get("/review")
def review_queue(
    request: Request,
    filters: ClaimFilters = Depends(claim_filters),
    cursor: str | None = Cursor,
) -> Response:
    if filters.review_state is None:
        filters = replace(filters, review_state="new")
    kb = request.app.state.kb
    page = browse_claims(kb, **filters.kb_args(), limit=request.app.state.settings.page_size, cursor=cursor)
    return render(request, "review.html", claims=page.items, next_cursor=page.next, cursor=cursor,
                  filters=filters, params=filters.params(), fields=CORRECTABLE_FIELDS,
                  counts=cached_facets(request.app)["review_state"], flash=pop_flash(request))


def _correction(form: Any) -> dict[str, str | None]:
    """The corrected fields of the form: only those the analyst changed (an empty value clears)."""
    out: dict[str, str | None] = {}
    for field in CORRECTABLE_FIELDS:
        value = form.get(f"c_{field}")
        original = form.get(f"o_{field}", "")
        if isinstance(value, str) and value.strip() != str(original).strip():
            out[field] = value.strip()[:500] or None
    return out


@router.post("/review/{claim_id}")
async def review_one(request: Request, claim_id: str) -> Response:
    posted = await review_form(request, "/review", 100)
    if isinstance(posted, Response):
        return posted
    form, back, who, state = posted
    if state is None:
        raise HTTPException(400, "unknown action; use accept, reject or correct")
    correction = _correction(form) if state == "corrected" else None
    note = str(form.get("note") or "")[:2000] or None
    try:
        claims_store.review_claim(request.app.state.kb, claim_id[:64], state, who,
                                  correction=correction, note=note)
    except (ReviewError, NotFoundError) as exc:
        set_flash(request, f"Not saved: {exc}")
        return RedirectResponse(back, status_code=303)
    forget_facets(request.app)
    set_flash(request, f"Claim {claim_id[:10]} {state} by {who}.")
    return RedirectResponse(back, status_code=303)


@router.post("/review-bulk")
async def review_bulk(request: Request) -> Response:
    posted = await review_form(request, "/review", MAX_BULK + 10)
    if isinstance(posted, Response):
        return posted
    form, back, who, state = posted
    if state not in ("accepted", "rejected"):
        raise HTTPException(400, "bulk action must be accept or reject")
    ids = [str(v)[:64] for v in form.getlist("claim_ids")]
    if not ids:
        set_flash(request, "Select at least one claim.")
        return RedirectResponse(back, status_code=303)
    kb = request.app.state.kb
    done = 0
    for cid in dict.fromkeys(ids):
        try:
            claims_store.review_claim(kb, cid, state, who)
            done += 1
        except (ReviewError, NotFoundError):
            continue
    forget_facets(request.app)
    set_flash(request, f"{done} claims {state} by {who}.")
    return RedirectResponse(back, status_code=303)
