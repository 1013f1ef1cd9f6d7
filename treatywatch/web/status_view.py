"""A state's status under each treaty, shaped for the country page and the API.

The answer is `treatywatch.status.status_for_state` over the claims of one kb query
(`status_claims`), exactly as the CLI and `Monitor.status` get it; this module only turns it
into plain JSON-able dicts, and an unknown state into a 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import HTTPException

from treatywatch.kb.claims import status_claims
from treatywatch.kb.store import KB
from treatywatch.status import UnknownState, load_facts, status_for_state


def country_status(kb: KB, iso3: str, on: date | None = None) -> dict[str, Any]:
    """``{"name", "on", "treaties": [StatusResult JSON, ...]}`` for ``iso3`` on ``on`` (default today)."""
    day = on or date.today()
    facts = load_facts()

    def compute() -> dict[str, Any]:
        try:
            results = status_for_state(iso3, day, claims=status_claims(kb, iso3=iso3), facts=facts)
        except UnknownState as exc:
            raise HTTPException(404, str(exc)) from None
        return {"name": facts.states.get(iso3, iso3), "on": day.isoformat(),
                "treaties": [r.to_json() for r in results]}

    # A status changes only with the kb (or the day asked): kept per kb version (`kb.version`).
    status: dict[str, Any] = kb.cache("country_status").get_or_compute(kb.version(), (iso3, day), compute)
    return status
