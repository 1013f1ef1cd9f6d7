"""Claim filters as the dashboard, review queue and API accept them, checked once, here."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from typing import Any

from fastapi import HTTPException, Query

from treatywatch.dates import GRAIN_FORMATS, GrainDate
from treatywatch.kb.claims import REVIEW_STATES

# Patterns in the portable subset of JSON Schema / ECMA-262 regexes, enforced by FastAPI (422) and
# shown in the OpenAPI document; each admits the empty string that an unset form field sends.
ISO3 = r"^([A-Za-z]{3})?$"
DATE = r"^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$"
WORD = r"^[A-Za-z0-9_-]{0,60}$"
REVIEW_STATE = rf"^({'|'.join(REVIEW_STATES)})?$"

EXPORT_COLUMNS = (
    "id", "type", "actor", "actor_iso3", "treaty", "weapon", "recipient", "place", "date", "modality",
    "attributed_to", "confidence", "review_state", "reviewed_by", "reviewed_at", "corroboration",
    "trusted_sources", "outlet", "published", "article_id", "source_url", "sentence",
)


def grain_date(name: str, value: str | None) -> GrainDate | None:
    """A ``since``/``until`` value as a `GrainDate`; a calendar-impossible one (2025-02-30) is 400."""
    if not value:
        return None
    try:
        return GrainDate.parse(value)
    except ValueError:
        raise HTTPException(400, f"invalid {name} {value[:20]!r}; use {GRAIN_FORMATS}") from None


@dataclass(frozen=True)
class ClaimFilters:
    """Validated filters; `kb_args()` gives the keyword arguments of `list_claims`."""

    state: str | None = None
    treaty: str | None = None
    type: str | None = None
    since: GrainDate | None = None
    until: GrainDate | None = None
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
        """The filters as query parameters (for links to other pages of the same listing)."""
        return {f.name: str(value) for f in fields(self) if (value := getattr(self, f.name))}


def claim_filters(
    state: str | None = Query(None, pattern=ISO3, description="Acting state, ISO 3166-1 alpha-3 (POL)"),
    treaty: str | None = Query(None, pattern=WORD, description="Treaty id (APMBT, CCM, ...)"),
    type: str | None = Query(None, pattern=WORD, description="Event type (treaty_withdrawal_announced, ...)"),
    since: str | None = Query(None, pattern=DATE, description="Earliest date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    until: str | None = Query(None, pattern=DATE, description="Latest date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    review_state: str | None = Query(None, pattern=REVIEW_STATE, description="new, accepted, rejected or corrected"),
    q: str | None = Query(None, max_length=200, pattern=r"^[^\x00]*$",
                          description="Words of the evidence sentence, actor or place (all of them; a word of 3+ letters also matches longer words it begins)"),
) -> ClaimFilters:
    """FastAPI dependency: the claim filters of a request (invalid values are 422 before this runs)."""
    return ClaimFilters(
        state=state.upper() if state else None,
        treaty=treaty.upper() if treaty else None,
        type=type or None,
        since=grain_date("since", since),
        until=grain_date("until", until),
        review_state=review_state or None,
        q=(q or "").strip() or None,
    )


def _csv_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def claims_csv(pages: Iterable[list[dict[str, Any]]]) -> Iterator[str]:
    """The claims as CSV: the header, then one piece of text per page of rows (for streaming)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for rows in pages:
        writer.writerows([_csv_cell(row.get(c)) for c in EXPORT_COLUMNS] for row in rows)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def json_array(pages: Iterable[list[dict[str, Any]]]) -> Iterator[str]:
    """The rows as one JSON array, one piece of text per page of rows (for streaming)."""
    yield "["
    first = True
    for rows in pages:
        if rows:
            yield ("" if first else ",") + ",".join(json.dumps(row, ensure_ascii=False) for row in rows)
            first = False
    yield "]"
