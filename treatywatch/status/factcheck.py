"""A fact (`kb.facts`) beside the legal record: does the press agree with the reference data?

A fact whose type is a status step (the registry's ``status_step``: consent, withdrawal
notified, withdrawal effective) is compared with the reference steps of its state and treaty:

- ``agrees``: the record has that step on a compatible date (dates at their grain);
- ``contradicts``: the record has that step on another date — both are shown (press: Estonia
  "withdrew on 4 June"; record: notified 2025-06-27, effective 2025-12-27);
- ``not_in_record``: the record has no such step — news the record does not have yet;
- ``undated`` / ``not_applicable``: nothing to compare.

Its *impact* orders the review queue: a fact that would change a treaty status (a status step,
reported as done, that the record contradicts or lacks) comes first, then status steps the
record confirms, then context (announcements, votes), then the rest; better-supported first
within each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from treatywatch.status.model import Facts, Step
from treatywatch.status.rules import DateSpan

RECORD_KINDS = ("reference", "computed")
# Steps shown beside one another: a withdrawal's notification and effect belong together.
FAMILY = {"withdrawal_notified": ("withdrawal_notified", "withdrawal_effective"),
          "withdrawal_effective": ("withdrawal_notified", "withdrawal_effective"),
          "consent": ("signature", "consent", "entry_into_force")}
IMPACT_CHANGES_STATUS, IMPACT_CONFIRMS, IMPACT_CONTEXT, IMPACT_OTHER = 3, 2, 1, 0


def _span(text: str | None) -> DateSpan | None:
    if not text:
        return None
    try:
        return DateSpan.parse(text)
    except ValueError:
        return None


def _shown(step: Step) -> dict[str, Any]:
    return {"step": step.step, "date": step.date.label(), "kind": step.kind, "source_url": step.source_url}


def reference_check(fact: Mapping[str, Any], facts: Facts) -> dict[str, Any]:
    """The fact against the record (see the module docstring for the states)."""
    step = facts.claim_mapping.steps.get(str(fact.get("type")))
    iso3, treaty = fact.get("actor_iso3"), fact.get("treaty")
    if step is None or not iso3 or not treaty:
        return {"state": "not_applicable"}
    record = [s for s in facts.steps.get((str(treaty), str(iso3)), ()) if s.kind in RECORD_KINDS]
    row = facts.rows.get((str(treaty), str(iso3)))
    shown = [_shown(s) for s in record if s.step in FAMILY.get(step, (step,))]
    out: dict[str, Any] = {"step": step, "press": fact.get("date"), "record": shown,
                           "record_status": row.status if row else None}
    span = _span(fact.get("date"))
    if span is None:
        return {**out, "state": "undated"}
    same = [s for s in record if s.step == step or (step == "consent" and s.step == "signature")]
    if not same:
        return {**out, "state": "not_in_record"}
    agrees = any(s.date.compatible(span) for s in same)
    return {**out, "state": "agrees" if agrees else "contradicts"}


def impact(fact: Mapping[str, Any], check: Mapping[str, Any], facts: Facts) -> int:
    """How much reviewing this fact matters (higher first; see the module docstring)."""
    mapping = facts.claim_mapping
    kind = str(fact.get("type"))
    if kind in mapping.steps:
        done = any(m in mapping.step_modalities for m in (fact.get("modalities") or {}))
        if done and check.get("state") in ("contradicts", "not_in_record"):
            return IMPACT_CHANGES_STATUS
        return IMPACT_CONFIRMS
    return IMPACT_CONTEXT if kind in mapping.context else IMPACT_OTHER


def annotate(rows: Iterable[dict[str, Any]], facts: Facts) -> list[dict[str, Any]]:
    """Each fact with ``reference`` (its `reference_check`), ``impact``, ``changes_status``
    (the fact would change a treaty status if accepted) and ``mix`` (`modality_summary`)."""
    out = []
    for row in rows:
        check = reference_check(row, facts)
        level = impact(row, check, facts)
        out.append({**row, "reference": check, "impact": level, "changes_status": level == IMPACT_CHANGES_STATUS,
                    "mix": modality_summary(row.get("modalities") or {})})
    return out


def by_impact(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Annotated facts, biggest impact first, then most independent stories, then latest seen."""
    ordered = sorted(rows, key=lambda r: (str(r.get("last_seen") or ""), r["id"]), reverse=True)
    return sorted(ordered, key=lambda r: (-int(r["impact"]), -int(r.get("stories") or 0)))


def modality_summary(modalities: Mapping[str, int]) -> str:
    """"announced as planned by 3 stories, reported as done by 1" from a fact's modality mix."""
    words = {"asserted": "reported as done", "planned": "announced as planned", "possible": "called possible",
             "denied": "denied", "alleged": "alleged"}
    parts = [f"{words.get(m, m)} by {n} {'story' if n == 1 else 'stories'}"
             for m, n in sorted(modalities.items(), key=lambda kv: -kv[1])]
    return ", ".join(parts)
