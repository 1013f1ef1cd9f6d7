"""Reviews as they apply to claims: the review states, the correctable fields, checking a
correction and showing the latest one. Shared by `kb.claims` (one claim) and `kb.facts` (all
claims of a fact), which is why it stands apart from both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import Connection, select

from treatywatch.dates import GRAIN_FORMATS, GrainDate
from treatywatch.errors import ReviewError
from treatywatch.event_types import registry
from treatywatch.kb.schema import reviews
from treatywatch.models import MODALITIES
from treatywatch.vocabulary import state_codes, treaty_ids

REVIEW_STATES = ("new", "accepted", "rejected", "corrected")
CORRECTABLE_FIELDS = (
    "type",
    "actor",
    "actor_iso3",
    "treaty",
    "weapon",
    "recipient",
    "place",
    "date",
    "modality",
    "attributed_to",
)

def checked_correction(correction: dict[str, Any]) -> dict[str, Any]:
    """A correction's values checked against the rules extraction follows, normalised.

    ``date`` must be a real date at some grain (2026, 2026-03, 2026-03-15); ``type`` an event
    type of the registry; ``modality`` one of the modalities; ``actor_iso3`` and ``treaty`` a
    state code and a treaty id extraction knows (`treatywatch.vocabulary`). None clears a field.
    Raises `ReviewError` naming the field.
    """
    out = dict(correction)
    for field, value in correction.items():
        if value is None:
            continue
        value = str(value).strip()
        if field == "date":
            try:
                value = GrainDate.parse(value).text
            except ValueError as exc:
                raise ReviewError(f"date: {exc}; use {GRAIN_FORMATS}") from None
        elif field in ("actor_iso3", "treaty"):
            value = value.upper()
        allowed = _CLOSED.get(field)
        if allowed is not None and value not in allowed():
            options = sorted(allowed())
            shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
            raise ReviewError(f"{field}: unknown value {value[:60]!r}; use one of {shown}")
        out[field] = value
    return out


_CLOSED: dict[str, Callable[[], Collection[str]]] = {
    "type": lambda: registry().ids,
    "modality": lambda: MODALITIES,
    "actor_iso3": state_codes,
    "treaty": treaty_ids,
}



def _review_dict(row: dict[str, Any]) -> dict[str, Any]:
    row["correction"] = json.loads(row["correction"]) if row["correction"] else None
    return row



def attach_corrections(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Show corrected claims as corrected: the analyst's fields override the extracted ones."""
    corrected = {r["match_key"] for r in rows if r["review_state"] in ("corrected", "accepted", "rejected")}
    if not corrected:
        return
    latest: dict[str, dict[str, Any]] = {}
    for stored in conn.execute(
        select(reviews).where(reviews.c.match_key.in_(corrected)).order_by(reviews.c.id)
    ):
        latest[stored.match_key] = _review_dict(dict(stored._mapping))
    for row in rows:
        review = latest.get(row["match_key"])
        if review is None:
            continue
        row["reviewed_by"] = review["reviewer"]
        row["reviewed_at"] = review["reviewed_at"]
        if review["state"] == "corrected" and review["correction"]:
            row["extracted"] = {k: row.get(k) for k in review["correction"]}
            row.update(review["correction"])


