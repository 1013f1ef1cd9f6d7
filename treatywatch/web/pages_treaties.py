"""Treaty pages: the list of treaties, and one treaty on a chosen day with its map and chart.

Both read `treatywatch.status` through `treaty_view` (one `status_for_treaty` and one history of
counts over the claims of one kb query), and draw the map and the chart on the server: the
pages work with JavaScript off, and the date is a plain GET form.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from treatywatch.kb.claims import status_claims
from treatywatch.status import load_facts, status_for_treaty
from treatywatch.web.api_states import parse_on
from treatywatch.web.render import render
from treatywatch.web.treaty_view import drawings, read_treaty_view, treaty_facts

router = APIRouter()
TREATY_NAME = Path(..., min_length=1, max_length=100)


@router.get("/treaties")
def treaties(request: Request) -> Response:
    """Every treaty with a data file: its facts and today's States Parties."""
    kb, facts, today = request.app.state.kb, load_facts(), date.today()
    rows: list[dict[str, Any]] = []
    for treaty_id, treaty in facts.treaties.items():
        answer = status_for_treaty(treaty_id, today, claims=status_claims(kb, treaty=treaty_id), facts=facts)
        tracked = any(t == treaty_id for t, _ in facts.rows)
        rows.append({**treaty_facts(treaty), "states_parties": answer.states_parties, "tracked": tracked,
                     "withdrawing": answer.counts["withdrawing"] + answer.counts["pending_armed_conflict"],
                     "withdrawn": answer.counts["withdrawn"]})
    return render(request, "treaties.html", rows=rows, on=today.isoformat())


@router.get("/treaties/{treaty}")
def treaty(request: Request, treaty: str = TREATY_NAME, on: str | None = Query(None, max_length=10)) -> Response:
    """One treaty on a day (default today): facts, counts, map, withdrawals, contested acts, chart."""
    view = read_treaty_view(request.app.state.kb, treaty, parse_on(on) or date.today())
    return render(request, "treaty.html", v=view, in_app=True, claims_considered=True, **drawings(view, link_states=True))
