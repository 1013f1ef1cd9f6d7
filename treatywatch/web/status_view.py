"""A state's status under each treaty, from the status engine, shaped for a page or the API.

The engine is a pure function over reference facts and claims; this module loads the facts
once (the loader caches them), hands the engine the state's treaty claims from the kb, and
returns plain JSON-able dicts. If the engine is not part of this build the page says so.
"""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

from treatywatch.kb.search import browse_claims
from treatywatch.kb.store import KB
from treatywatch.models import TREATY_EVENT_TYPES

MAX_STATUS_CLAIMS = 2000
PRIMARY_TREATIES = ("APMBT", "CCM")


def _engine() -> tuple[Any, Any] | None:
    """(load_facts, status) when the status engine is installed, else None."""
    try:
        reference = importlib.import_module("treatywatch.status.reference")
    except ImportError:
        return None
    for module_name in ("treatywatch.status.engine", "treatywatch.status"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        status = getattr(module, "status", None)
        if callable(status):
            return reference.load_facts, status
    return None


def _treaties_for(facts: Any, iso3: str) -> list[str]:
    known = {treaty for (treaty, state) in facts.rows if state == iso3}
    known |= {treaty for (treaty, state) in facts.steps if state == iso3}
    ordered = [t for t in PRIMARY_TREATIES if t in facts.treaties]
    return ordered + sorted(known - set(ordered))


def country_status(kb: KB, iso3: str, on: date | None = None) -> dict[str, Any]:
    """``{"name", "on", "available", "message", "treaties": [StatusResult JSON, ...]}``."""
    on = on or date.today()
    engine = _engine()
    if engine is None:
        return {"name": iso3, "on": on.isoformat(), "available": False,
                "message": "the status engine is not available in this build", "treaties": []}
    load_facts, status = engine
    facts = load_facts()
    claims = browse_claims(kb, actor_iso3=iso3, types=TREATY_EVENT_TYPES, limit=MAX_STATUS_CLAIMS)
    results = []
    for treaty in _treaties_for(facts, iso3):
        try:
            result = status(iso3, treaty, on, facts=facts, claims=claims)
        except (ValueError, KeyError) as exc:
            results.append({"treaty": treaty, "status": "unknown", "reasons": [str(exc)], "evidence": []})
            continue
        results.append(result.to_json() if hasattr(result, "to_json") else dict(result))
    return {"name": facts.states.get(iso3, iso3), "on": on.isoformat(), "available": True,
            "message": "", "treaties": results}
