"""Claim filters as the dashboard, review queue and API accept them, checked once, here."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from fastapi import HTTPException, Query

from treatywatch.kb.claims import REVIEW_STATES

_ISO3 = re.compile(r"^[A-Za-z]{3}$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_WORD = re.compile(r"^[A-Za-z0-9_-]{1,60}$")

EXPORT_COLUMNS = (
    "id", "type", "actor", "actor_iso3", "treaty", "weapon", "recipient", "place", "date", "modality",
    "attributed_to", "confidence", "review_state", "reviewed_by", "reviewed_at", "corroboration",
    "trusted_sources", "outlet", "published", "article_id", "source_url", "sentence",
)


@dataclass(frozen=True)
class ClaimFilters:
    """Validated filters; `kb_args()` gives the keyword arguments of `list_claims`."""

    state: str | None = None
    treaty: str | None = None
    type: str | None = None
    since: str | None = None
    until: str | None = None
    review_state: str | None = None
    q: str | None = None

    def kb_args(self) -> dict[str, Any]:
        return {
            "actor_iso3": self.state,
            "treaty": self.treaty,
            "types": [self.type] if self.type else None,
            "since": self.since,
            "until": self.until,
            "review_state": self.review_state,
            "text": self.q,
        }

    def params(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


def _checked(value: str | None, pattern: re.Pattern[str], what: str) -> str | None:
    value = (value or "").strip() or None
    if value is not None and not pattern.match(value):
        raise HTTPException(400, f"invalid {what}: {value[:40]!r}")
    return value


def claim_filters(
    state: str | None = Query(None, description="Acting state, ISO 3166-1 alpha-3 (POL)"),
    treaty: str | None = Query(None, description="Treaty id (APMBT, CCM, ...)"),
    type: str | None = Query(None, description="Event type (treaty_withdrawal_announced, ...)"),
    since: str | None = Query(None, description="Earliest date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    until: str | None = Query(None, description="Latest date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    review_state: str | None = Query(None, description="new, accepted, rejected or corrected"),
    q: str | None = Query(None, max_length=200, description="Text in the evidence sentence"),
) -> ClaimFilters:
    """FastAPI dependency: the claim filters of a request, validated (400 on a bad value)."""
    review = (review_state or "").strip() or None
    if review is not None and review not in REVIEW_STATES:
        raise HTTPException(400, f"invalid review_state {review[:20]!r}; use {', '.join(REVIEW_STATES)}")
    iso3 = _checked(state, _ISO3, "state")
    treaty_id = _checked(treaty, _WORD, "treaty")
    return ClaimFilters(
        state=iso3.upper() if iso3 else None,
        treaty=treaty_id.upper() if treaty_id else None,
        type=_checked(type, _WORD, "type"),
        since=_checked(since, _DATE, "since date"),
        until=_checked(until, _DATE, "until date"),
        review_state=review,
        q=(q or "").strip() or None,
    )


def _csv_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def claims_csv(rows: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in EXPORT_COLUMNS])
    return buffer.getvalue()
