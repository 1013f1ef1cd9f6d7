"""The dashboard (latest developments, filters, counts) and the search page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from treatywatch.kb import articles as articles_store
from treatywatch.kb import search as search_store
from treatywatch.kb.search import browse_claims
from treatywatch.web.api_facts import fact_args, facts_page
from treatywatch.web.data import cached_facets
from treatywatch.web.filters import ClaimFilters, claim_filters
from treatywatch.web.paging import Cursor
from treatywatch.web.render import render

router = APIRouter()
DASHBOARD_FACTS = 10  # the latest facts above the claims; /facts lists them all


@router.get("/")
def dashboard(
    request: Request,
    filters: ClaimFilters = Depends(claim_filters),
    cursor: str | None = Cursor,
) -> Response:
    kb = request.app.state.kb
    page = browse_claims(kb, **filters.kb_args(), limit=request.app.state.settings.page_size, cursor=cursor)
    facets = cached_facets(request.app)
    return render(
        request,
        "dashboard.html",
        claims=page.items,
        next_cursor=page.next,
        cursor=cursor,
        filters=filters,
        params=filters.params(),
        facets=facets,
        totals=articles_store.count_articles(kb),
        review_counts=facets["review_state"],
        facts=facts_page(kb, fact_args(filters, None, False, 0), "recent", DASHBOARD_FACTS, 0),
    )


@router.get("/search")
def search_page(request: Request, q: str = Query("", max_length=200)) -> Response:
    kb = request.app.state.kb
    results = (
        search_store.search(kb, q, limit=50, time_limit=request.app.state.settings.query_time_limit)
        if q.strip() else {"articles": [], "claims": []}
    )
    return render(request, "search.html", q=q, results=results)
