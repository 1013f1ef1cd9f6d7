"""REST: a state's status under each treaty (with the engine's reasons) and its recent claims."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request

from treatywatch.dates import parse_day
from treatywatch.kb.search import browse_claims
from treatywatch.web.status_view import country_status

router = APIRouter(tags=["states"])
_ISO3 = re.compile(r"^[A-Za-z]{3}$")


def parse_iso3(iso3: str) -> str:
    if not _ISO3.fullmatch(iso3):
        raise HTTPException(404, f"no state {iso3[:10]!r}: use an ISO 3166-1 alpha-3 code such as POL")
    return iso3.upper()


def parse_on(on: str | None) -> date | None:
    if not on:
        return None
    try:
        return parse_day(on)
    except ValueError:
        raise HTTPException(400, f"invalid date {on[:20]!r}; use YYYY-MM-DD") from None


@router.get("/states/{iso3}", summary="Status per treaty on a date, with reasons, evidence and claims")
def state(
    request: Request,
    iso3: str,
    on: str | None = Query(None, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                           description="Date of the status (YYYY-MM-DD, default today)"),
    claims_limit: int = Query(50, ge=0, le=500),
) -> dict[str, Any]:
    code = parse_iso3(iso3)
    kb = request.app.state.kb
    result = country_status(kb, code, parse_on(on))
    result["iso3"] = code
    result["claims"] = browse_claims(kb, actor_iso3=code, limit=claims_limit).items if claims_limit else []
    return result
