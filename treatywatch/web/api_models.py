"""Strict request bodies for the write endpoints: unknown fields, wrong types and NULs are 422."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from treatywatch.kb.claims import CORRECTABLE_FIELDS

MAX_FIELD = 500


def _no_nul(value: str | None) -> str | None:
    if value is not None and "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


class ReviewIn(BaseModel):
    """An analyst's verdict on one claim; ``correction`` only with state ``corrected``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    state: Literal["accepted", "rejected", "corrected"]
    correction: dict[str, str | None] | None = None
    note: str | None = Field(default=None, max_length=2000)

    @field_validator("correction")
    @classmethod
    def _known_fields(cls, value: dict[str, str | None] | None) -> dict[str, str | None] | None:
        if value is None:
            return None
        unknown = set(value) - set(CORRECTABLE_FIELDS)
        if unknown:
            raise ValueError(f"fields that cannot be corrected: {', '.join(sorted(unknown))}")
        for item in value.values():
            _no_nul(item)
            if item is not None and len(item) > MAX_FIELD:
                raise ValueError(f"correction values are limited to {MAX_FIELD} characters")
        return value

    @field_validator("note")
    @classmethod
    def _note(cls, value: str | None) -> str | None:
        return _no_nul(value)


class BulkReviewIn(BaseModel):
    """The same verdict (accept or reject) on several claims at once."""

    model_config = ConfigDict(extra="forbid", strict=True)

    claim_ids: list[str] = Field(min_length=1, max_length=500)
    state: Literal["accepted", "rejected"]
    note: str | None = Field(default=None, max_length=2000)

    @field_validator("claim_ids")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        if any(len(v) > 64 or not v.isalnum() for v in value):
            raise ValueError("claim ids are 64 hexadecimal characters")
        return value


class TrustIn(BaseModel):
    """A new trust level for an outlet."""

    model_config = ConfigDict(extra="forbid", strict=True)

    level: Literal["trusted", "neutral", "untrusted"]
