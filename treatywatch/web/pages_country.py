"""The country page: status per treaty with reasons, timeline, claims by type, officials' quotes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from treatywatch.kb import articles as articles_store
from treatywatch.kb.search import browse_claims
from treatywatch.web.api_facts import facts_page
from treatywatch.web.api_states import parse_iso3, parse_on
from treatywatch.web.facts_timeline import facts_timeline_svg
from treatywatch.web.render import render
from treatywatch.web.status_view import country_status
from treatywatch.web.timeline import timeline_svg

router = APIRouter()
MAX_CLAIMS = 150


def _by_type(claims: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for claim in claims:
        groups.setdefault(claim["type"], []).append(claim)
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))


def _steps(status: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"treaty": result.get("treaty", ""), "step": step, "date": day}
        for result in status["treaties"]
        for step, day in (result.get("dates") or {}).items()
        if day
    ]


def country_timeline(kb: Any, iso3: str, claims: list[dict[str, Any]], steps: list[dict[str, str]]) -> Any:
    """The timeline of the state's facts (conflicts drawn); of its claims when it has no facts."""
    found = facts_page(kb, {"actor_iso3": iso3}, "recent", MAX_CLAIMS, 0)
    return facts_timeline_svg(found, steps) if found else timeline_svg(claims, steps)


@router.get("/countries/{iso3}")
def country(request: Request, iso3: str, on: str | None = Query(None, max_length=10)) -> Response:
    code = parse_iso3(iso3)
    kb = request.app.state.kb
    status = country_status(kb, code, parse_on(on))
    claims = browse_claims(kb, actor_iso3=code, limit=MAX_CLAIMS).items
    return render(
        request,
        "country.html",
        iso3=code,
        status=status,
        timeline=country_timeline(kb, code, claims, _steps(status)),
        groups=_by_type(claims),
        truncated=len(claims) == MAX_CLAIMS,
        quotes=articles_store.quotes_for_state(kb, code, limit=30),
    )
