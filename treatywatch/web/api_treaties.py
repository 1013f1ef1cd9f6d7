"""REST: treaties, one treaty on a day (counts, states, withdrawals, contested acts), and the
series of States Parties over time (JSON or CSV).

The series is `treatywatch.status.series.treaty_history` sampled on regular days: computed once
from the days on which any state's status can change, never one whole-treaty answer per day.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from treatywatch.kb.claims import status_claims
from treatywatch.status import load_facts, resolve_treaty
from treatywatch.status.series import (
    Step,
    count_points,
    series_csv,
    series_document,
    treaty_history,
)
from treatywatch.web.api_claims import CSV_CONTENT, CSVResponse
from treatywatch.web.api_states import parse_on
from treatywatch.web.treaty_view import read_treaty_view, treaty_facts

router = APIRouter(tags=["treaties"])
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MAX_POINTS = 50_000
TREATY_NAME = Path(..., min_length=1, max_length=100, description="Treaty id or name (APMBT, Ottawa Convention, ...)")


@router.get("/treaties", summary="Every treaty with its facts and rules")
def list_treaties() -> dict[str, Any]:
    return {"items": [treaty_facts(t) for t in load_facts().treaties.values()]}


@router.get("/treaties/{treaty}", summary="One treaty on a date: counts, each state's status, withdrawals, contested acts")
def get_treaty(
    request: Request,
    treaty: str = TREATY_NAME,
    on: str | None = Query(None, pattern=DAY, description="Date of the status (YYYY-MM-DD, default today)"),
) -> dict[str, Any]:
    day = parse_on(on) or date.today()
    view = read_treaty_view(request.app.state.kb, treaty, day, start=day)
    return view.to_json()


@router.get("/treaties/{treaty}/parties", summary="States Parties (and every status count) over time, JSON or CSV",
            responses={200: {"content": CSV_CONTENT, "description": "The series"}})
def parties(
    request: Request,
    treaty: str = TREATY_NAME,
    start: str | None = Query(None, alias="from", pattern=DAY,
                              description="First day (YYYY-MM-DD; default the treaty's entry into force)"),
    end: str | None = Query(None, alias="to", pattern=DAY, description="Last day (YYYY-MM-DD; default today)"),
    step: Step = Query("month", description="Days between points"),
    format: Literal["json", "csv"] = Query("json"),
) -> Response:
    facts = load_facts()
    treaty_id = resolve_treaty(facts, treaty)
    history = treaty_history(treaty_id, parse_on(start), parse_on(end), facts=facts,
                             claims=status_claims(request.app.state.kb, treaty=treaty_id))
    if count_points(history.start, history.end, step) > MAX_POINTS:
        raise HTTPException(400, f"more than {MAX_POINTS} points: choose a longer step or a shorter range")
    points = history.sample(step)
    if format == "csv":
        return CSVResponse(series_csv(points), headers={
            "Content-Disposition": f'attachment; filename="{treaty_id}-parties-{history.start}-{history.end}-{step}.csv"'})
    return JSONResponse(series_document(treaty_id, history.start, history.end, step, points))

