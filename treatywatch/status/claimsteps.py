"""Claims from the knowledge base (plain dicts, rows of the ``claims`` table) as engine input.

Accepted and corrected claims become steps of kind ``claim_accepted``; claims still ``new``
become steps of kind ``claim_reported`` (shown, never used for the status); rejected claims are
dropped. Which claim types are steps and which are context is data: the event-type registry
(treatywatch/data/event_types.yaml) and claim_steps.yaml, gathered in `ClaimMapping`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from treatywatch.status.model import ChronologyEvent, ClaimMapping, Step
from treatywatch.status.rules import DateSpan

REVIEW_KINDS = {"accepted": "claim_accepted", "corrected": "claim_accepted", "new": "claim_reported"}


def claim_kind(claim: Mapping[str, Any]) -> str | None:
    """``claim_accepted``, ``claim_reported`` or None (rejected or unknown review state)."""
    return REVIEW_KINDS.get(str(claim.get("review_state") or "new"))


def _span(claim: Mapping[str, Any]) -> DateSpan | None:
    value = claim.get("date")
    if not value:
        return None
    try:
        return DateSpan.parse(str(value))
    except ValueError:
        return None


def _joined_step(sentence: str, mapping: ClaimMapping) -> str:
    text = sentence.casefold()
    if any(w in text for w in mapping.consent_words):
        return "consent"
    if any(w in text for w in mapping.signature_words):
        return "signature"
    return "consent"


def _origin(claim: Mapping[str, Any]) -> str:
    return f"claim:{claim.get('id') or claim.get('article_id') or '?'}"


def claim_step(claim: Mapping[str, Any], mapping: ClaimMapping) -> Step | None:
    """The step a claim reports, or None if it is context (or undated, or rejected)."""
    kind, span = claim_kind(claim), _span(claim)
    step = mapping.steps.get(str(claim.get("type")))
    if kind is None or span is None or step is None:
        return None
    if claim.get("modality", "asserted") not in mapping.step_modalities:
        return None
    if step == "consent":
        step = _joined_step(str(claim.get("sentence") or ""), mapping)
    return Step(
        iso3=str(claim.get("actor_iso3")),
        treaty=str(claim.get("treaty")),
        step=step,
        date=span,
        kind=kind,
        source_url=claim.get("source_url"),
        origin=_origin(claim),
        note=str(claim.get("sentence") or ""),
        outlet=claim.get("outlet"),
    )


def claim_event(claim: Mapping[str, Any]) -> ChronologyEvent | None:
    """Any non-rejected claim as a chronology entry (for reasons, timelines and reports)."""
    kind = claim_kind(claim)
    if kind is None:
        return None
    span = _span(claim)
    if span is None:
        return None
    return ChronologyEvent(
        iso3=claim.get("actor_iso3"),
        treaty=claim.get("treaty"),
        type=str(claim.get("type")),
        date=span,
        summary=str(claim.get("sentence") or ""),
        kind=kind,
        source_url=claim.get("source_url"),
        origin=_origin(claim),
        outlet=claim.get("outlet"),
        corroboration=claim.get("corroboration"),
        attributed_to=claim.get("attributed_to"),
        modality=str(claim.get("modality") or "asserted"),
    )


def read_by_engine(claim: Mapping[str, Any], mapping: ClaimMapping) -> bool:
    """True when the engine uses or shows the claim: a step or context type, dated, not rejected."""
    kind = claim.get("type")
    if kind not in mapping.steps and kind not in mapping.context:
        return False
    return claim_kind(claim) is not None and _span(claim) is not None


def claims_for(claims: Iterable[Mapping[str, Any]], iso3: str, treaty: str) -> list[Mapping[str, Any]]:
    return [c for c in claims if c.get("actor_iso3") == iso3 and c.get("treaty") == treaty]
