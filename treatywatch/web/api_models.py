"""Strict request bodies and documented error answers of the REST API.

Every constraint that the handlers enforce is written into the schema (patterns, lengths,
closed objects), so the OpenAPI document tells clients exactly which requests are valid:
unknown fields, wrong types, over-long strings, NULs and lone surrogates are 422, never 5xx.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

MAX_FIELD = 500
MAX_NOTE = 2000
NO_NUL = r"^[^\x00]*$"
CLAIM_ID = r"^[0-9a-f]{64}$"
STRICT = ConfigDict(extra="forbid", strict=True)


def _no_surrogates(value: str) -> str:
    """JSON can carry lone surrogates (\\ud800) that no database can store as text."""
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("lone surrogate characters are not allowed")
    return value


NoteText = Annotated[str, StringConstraints(max_length=MAX_NOTE, pattern=NO_NUL), AfterValidator(_no_surrogates)]
FieldText = Annotated[str, StringConstraints(max_length=MAX_FIELD, pattern=NO_NUL), AfterValidator(_no_surrogates)]
Note = Annotated[NoteText | None, Field(description="Why (free text, kept with the review)")]


class CorrectionIn(BaseModel):
    """The claim fields an analyst corrects (at least one; null clears a field).

    The fields are `treatywatch.kb.claims.CORRECTABLE_FIELDS` (a test keeps them equal).
    """

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"minProperties": 1})

    type: FieldText | None = None
    actor: FieldText | None = None
    actor_iso3: FieldText | None = None
    treaty: FieldText | None = None
    weapon: FieldText | None = None
    recipient: FieldText | None = None
    place: FieldText | None = None
    date: FieldText | None = None
    modality: FieldText | None = None
    attributed_to: FieldText | None = None


def _correction_given(value: CorrectionIn) -> CorrectionIn:
    if not value.model_fields_set:
        raise ValueError("a correction needs at least one field")
    return value


class VerdictIn(BaseModel):
    """Accept or reject one claim."""

    model_config = STRICT

    state: Literal["accepted", "rejected"]
    note: Note = None

    def correction_fields(self) -> dict[str, Any] | None:
        return None


class CorrectedIn(BaseModel):
    """Correct one claim: ``correction`` names the fields and their right values."""

    model_config = STRICT

    state: Literal["corrected"]
    correction: Annotated[CorrectionIn, AfterValidator(_correction_given)]
    note: Note = None

    def correction_fields(self) -> dict[str, Any] | None:
        return dict(self.correction.model_dump(exclude_unset=True))


ReviewIn = Annotated[VerdictIn | CorrectedIn, Field(discriminator="state")]


class BulkReviewIn(BaseModel):
    """The same verdict (accept or reject) on several claims at once."""

    model_config = STRICT

    claim_ids: list[Annotated[str, StringConstraints(pattern=CLAIM_ID)]] = Field(min_length=1, max_length=500)
    state: Literal["accepted", "rejected"]
    note: Note = None


class TrustIn(BaseModel):
    """A new trust level for an outlet."""

    model_config = STRICT

    level: Literal["trusted", "neutral", "untrusted"]


# Written out (not a model) so that every operation documents it as JSON, whatever its success type.
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "description": "Stable reason code: invalid, not_found, db_busy, ..."},
            "message": {"type": "string"},
            "details": {"type": "array", "items": {"type": "object"}},
        },
    }},
}
_ERRORS = {
    400: "A valid request that a rule refuses (e.g. an impossible date)",
    401: "Sign in or send a live Bearer token",
    403: "Refused: cross-site write, missing CSRF token, or Basic authentication",
    404: "No such resource",
    409: "A request with this Idempotency-Key is still running",
    413: "Request body over the size limit",
    422: "The request does not match this schema",
    503: "The database is busy or the query hit its time limit; see Retry-After",
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    for status, description in _ERRORS.items()
}
