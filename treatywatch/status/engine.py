"""The status engine: a state's legal status under a treaty on a date, and why.

A pure function over plain data (`Facts` from the reference loader, claims as dicts). For each
step (signature, consent, entry into force, withdrawal notified, withdrawal effective) it
collects every dated report, picks one by a fixed rule and records disagreements as disputes;
it computes what the treaty's rules give where sources are silent (entry into force from the
deposit, the effective date from the notification, the armed-conflict deferral), labelled
``computed``; then the status is the last step certainly reached on the date asked about.

Choice rule for a step: sources are ranked reference > accepted claim > computed; the
top-ranked report is the primary; reports compatible with it (overlapping date intervals, e.g.
2026 and 2026-02-03) agree and the most precise of them is used; incompatible reports are shown
in `disputes`, never silently dropped. Claims still under review are shown, never used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from treatywatch.status.claimsteps import claim_event, claim_step, claims_for
from treatywatch.status.model import (
    STATES_PARTIES,
    STATUSES,
    STEPS,
    ArmedConflict,
    ContestedAct,
    ContestedActRule,
    Dispute,
    EvidenceItem,
    Facts,
    StatusResult,
    Step,
    Treaty,
)
from treatywatch.status.rules import DateSpan
from treatywatch.status.treaties import eif_for_deposit, notice_label, withdrawal_notice_end

RANK = {"reference": 0, "claim_accepted": 1, "computed": 2}
CHOICE_RULE = "reference > accepted claim > computed; most precise agreeing date used"
PENDING_EFFECTIVE = "pending: armed-conflict clause"  # the effective "date" the deferral gives
STEP_WORDS = {
    "signature": "signed",
    "consent": "consent to be bound deposited",
    "entry_into_force": "in force for the state",
    "withdrawal_notified": "withdrawal notified",
    "withdrawal_effective": "withdrawal effective",
}


@dataclass
class _Trace:
    """What a run of the engine found, accumulated while it reasons."""

    dates: dict[str, str] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    contested: list[ContestedAct] = field(default_factory=list)
    agreeing: dict[str, list[Step]] = field(default_factory=dict)

    def cite(self, step: Step, label: str | None = None) -> None:
        detail = step.note or step.origin
        if step.other_sources:
            detail += f" (also: {' ; '.join(step.other_sources)})"
        self.evidence.append(EvidenceItem(step.kind, label or step.step, step.date.label(),
                                          step.source_url, detail, step.origin, step.outlet))

    def computed(self, step: str, span: DateSpan, rule: str, source: str | None) -> None:
        self.evidence.append(EvidenceItem("computed", step, span.label(), source, rule, "rule"))


def _choose(step: str, candidates: list[Step], trace: _Trace) -> Step | None:
    """Pick the report used for `step` (see the module docstring) and cite them all."""
    ranked = sorted(candidates, key=lambda s: RANK.get(s.kind, 9))
    if not ranked:
        return None
    agreeing = [s for s in ranked if s.date.compatible(ranked[0].date)]
    used = min(agreeing, key=lambda s: s.date.latest - s.date.earliest)
    trace.agreeing[step] = [used] + [s for s in agreeing if s is not used]
    others = [s for s in ranked if s not in agreeing]
    for s in ranked:
        trace.cite(s)
    if others:
        alternatives = tuple((s.date.label(), s.kind, s.source_url) for s in others)
        trace.disputes.append(Dispute(step, used.date.label(), used.source_url, alternatives, CHOICE_RULE))
        shown = "; ".join(f"{d} ({k}: {u})" for d, k, u in alternatives)
        trace.reasons.append(
            f"sources disagree on {STEP_WORDS[step]}: {used.date.label()} ({used.source_url}) "
            f"is used; also reported: {shown}")
    return used


def _step_lines(chosen: dict[str, Step | None], trace: _Trace) -> list[str]:
    """One line per step used: the date and every agreeing source, by kind."""
    lines = []
    for name, step in chosen.items():
        if step is None:
            continue
        what = f"{STEP_WORDS[name]} {step.date.label()}"
        if name == "consent" and step.note in ("ratification", "accession"):
            what += f" ({step.note})"
        cited = dict.fromkeys(f"{s.kind}: {s.source_url}" for s in trace.agreeing.get(name, [step]))
        lines.append(f"{what} [{'; '.join(cited)}]")
    return lines


def conflict_at(facts: Facts, iso3: str, day: date) -> ArmedConflict | None:
    """The armed conflict (from armed_conflicts.yaml) the state is engaged in on `day`, if any."""
    return next((c for c in facts.conflicts if c.engages(iso3, day)), None)


def _entry_into_force(chosen: dict[str, Step | None], treaty: Treaty, trace: _Trace) -> DateSpan | None:
    """The stated entry into force, or the one the treaty's rule gives from the deposit."""
    stated, consent = chosen["entry_into_force"], chosen["consent"]
    rule = treaty.eif_rule
    if consent is None:
        return stated.date if stated else None
    computed = consent.date.map(eif_for_deposit(treaty))
    how = f"{rule.article}: {rule.wording} (deposit {consent.date.label()} gives {computed.label()})"
    source = treaty.sources[0] if treaty.sources else None
    if stated is None:
        trace.computed("entry_into_force", computed, how, source)
        trace.reasons.append(f"entry into force {computed.label()} computed: {how}")
        return computed
    if not stated.date.compatible(computed):
        trace.disputes.append(Dispute("entry_into_force", stated.date.label(), stated.source_url,
                                      ((computed.label(), "computed", source),), CHOICE_RULE))
        trace.reasons.append(f"the stated entry into force {stated.date.label()} differs from "
                             f"what {rule.article} gives ({computed.label()}); the stated date is used")
    return stated.date


@dataclass(frozen=True)
class _Withdrawal:
    notified: DateSpan | None = None
    notice_end: DateSpan | None = None
    effective: DateSpan | None = None
    pending_from: DateSpan | None = None
    conflict: ArmedConflict | None = None


def _deferred(notice_end: DateSpan, conflict: ArmedConflict, treaty: Treaty, trace: _Trace) -> _Withdrawal:
    """Art. 20(3)-style deferral: no effective date until the conflict ends."""
    w = treaty.withdrawal
    caveat = "" if w.armed_conflict_verified else " (clause wording not verified)"
    trace.reasons.append(
        f"the notice period ends {notice_end.label()} while the state is engaged in an armed "
        f"conflict ({conflict.name}, since {conflict.start.isoformat()}): under the armed-conflict "
        f"clause of {w.article}{caveat} the withdrawal takes effect only when it ends")
    trace.evidence.append(EvidenceItem("reference", "armed_conflict", conflict.start.isoformat(),
                                       conflict.sources[0], conflict.summary, f"armed_conflicts:{conflict.id}"))
    if conflict.end is None:
        return _Withdrawal(notice_end=notice_end, pending_from=notice_end, conflict=conflict)
    effective = DateSpan.of_day(conflict.end + timedelta(days=1))
    trace.computed("withdrawal_effective", effective, f"the day after the conflict ended ({conflict.end})", conflict.sources[0])
    return _Withdrawal(notice_end=notice_end, effective=effective, pending_from=notice_end, conflict=conflict)


def _withdrawal(chosen: dict[str, Step | None], treaty: Treaty, facts: Facts, iso3: str,
                trace: _Trace) -> _Withdrawal:
    notified, stated = chosen["withdrawal_notified"], chosen["withdrawal_effective"]
    if notified is None:
        return _Withdrawal(effective=stated.date if stated else None)
    w = treaty.withdrawal
    notice_end = notified.date.map(withdrawal_notice_end(treaty))
    how = f"{w.article}: effective {notice_label(treaty)} after {w.counted_from}"
    source = treaty.sources[0] if treaty.sources else None
    conflict = conflict_at(facts, iso3, notice_end.latest) if w.armed_conflict_clause else None
    if w.armed_conflict_clause and conflict is None:
        trace.reasons.append(f"not engaged in an armed conflict on {notice_end.label()} "
                             "(armed_conflicts.yaml): the armed-conflict clause does not defer it")
    if stated is not None:
        if not stated.date.compatible(notice_end) and conflict is None:
            trace.disputes.append(Dispute("withdrawal_effective", stated.date.label(), stated.source_url,
                                          ((notice_end.label(), "computed", source),), CHOICE_RULE))
        if conflict is not None:
            trace.reasons.append(f"sources state the withdrawal took effect {stated.date.label()} "
                                 f"although {conflict.name} was ongoing when the notice ended; check")
        else:
            agrees = "agrees with the sources" if stated.date.compatible(notice_end) else "differs"
            trace.computed("withdrawal_effective", notice_end, f"{how} ({agrees})", source)
            trace.reasons.append(f"{how} gives {notice_end.label()} [computed; {agrees}]")
        return _Withdrawal(notified.date, notice_end, stated.date)
    if conflict is not None:
        result = _deferred(notice_end, conflict, treaty, trace)
        return _Withdrawal(notified.date, result.notice_end, result.effective, result.pending_from, conflict)
    trace.computed("withdrawal_effective", notice_end, how, source)
    trace.reasons.append(f"withdrawal effective {notice_end.label()} computed: {how}")
    return _Withdrawal(notified.date, notice_end, notice_end)


def _contested(rules: list[ContestedActRule], candidates: list[Step], on: date, treaty: Treaty,
               facts: Facts, trace: _Trace) -> list[Step]:
    """Record contested acts; withdrawal notices that are really such an act are set aside."""
    kept = []
    for step in candidates:
        act = next((a for a in rules if step.step == "withdrawal_notified"
                    and abs((step.date.earliest - a.date).days) <= a.match_window_days
                    and step.date.exact), None)
        if act is None:
            kept.append(step)
            continue
        trace.cite(step, "contested_act")
        trace.reasons.append(f"{step.origin} reports a withdrawal notice on {step.date.label()}; it is "
                             f"read as the contested act of {act.date.isoformat()} ({act.act})")
    for act in rules:
        if act.date <= on:
            trace.contested.append(_contested_act(act, treaty, facts, trace))
    return kept


def _contested_act(act: ContestedActRule, treaty: Treaty, facts: Facts, trace: _Trace) -> ContestedAct:
    end = withdrawal_notice_end(treaty)(act.date)
    conflict = conflict_at(facts, act.iso3, end) if treaty.withdrawal.armed_conflict_clause else None
    if conflict is not None:
        would = (f"were it a withdrawal under {treaty.withdrawal.article}, the notice period would end "
                 f"{end.isoformat()} while {act.iso3} is engaged in an armed conflict ({conflict.name}): "
                 "the withdrawal would be pending under the armed-conflict clause")
    else:
        would = (f"were it a withdrawal under {treaty.withdrawal.article}, it would take effect "
                 f"{end.isoformat()}")
    trace.reasons.append(f"contested act {act.date.isoformat()}: {act.act}; claimed basis: "
                         f"{act.claimed_basis}; under the treaty: {act.legal_effect}; "
                         f"objections: {', '.join(o.by for o in act.objections) or 'none recorded'}")
    trace.reasons.append(f"status follows the treaty's rules ({act.depositary_position}); {would}")
    trace.evidence.append(EvidenceItem("reference", "contested_act", act.date.isoformat(), act.source_url,
                                       act.act, f"contested_acts:{act.id}"))
    return ContestedAct(act.date.isoformat(), act.act, act.claimed_basis, act.treaty_basis,
                        act.legal_effect, act.depositary_position, act.objections, would, act.source_url)


def _decide(on: date, spans: list[tuple[str, DateSpan | None]]) -> tuple[str, DateSpan | None, str]:
    """The last step certainly reached on `on`, and the later status it may already have reached."""
    maybe = ""
    for name, span in spans:
        if span is None:
            continue
        reached = span.reached(on)
        if reached is True:
            return name, span, maybe
        if reached is None and not maybe:
            maybe = f"may already be {name} (that step is dated only {span.label()})"
    return "non_party", None, maybe


def _context(facts: Facts, claims: list[Mapping[str, Any]], iso3: str, treaty: str,
             reported: list[Step], trace: _Trace) -> None:
    """Announcements, votes, other treaty events and unreviewed claims: shown, never decisive."""
    context_types = facts.claim_mapping.context
    for event in facts.chronology:
        if event.iso3 == iso3 and event.treaty == treaty and event.type in context_types:
            trace.evidence.append(EvidenceItem(event.kind, event.type, event.date.label(),
                                               event.source_url, event.summary, event.origin, event.outlet))
    for claim in claims:
        found = claim_event(claim)
        if found is not None and found.type in context_types:
            trace.evidence.append(EvidenceItem(found.kind, found.type, found.date.label(),
                                               found.source_url, found.summary, found.origin, found.outlet))
    for step in reported:
        trace.cite(step)
        trace.reasons.append(f"reported, not reviewed: {STEP_WORDS.get(step.step, step.step)} "
                             f"{step.date.label()} ({step.outlet or step.source_url}); not used for the status")


def status(iso3: str, treaty: str, on: date, *, facts: Facts,
           claims: Iterable[Mapping[str, Any]] = ()) -> StatusResult:
    """The status of `iso3` under `treaty` on `on`, with dates, reasons and evidence."""
    iso3 = iso3.upper()
    if treaty not in facts.treaties:
        raise ValueError(f"unknown treaty {treaty!r}; known: {', '.join(facts.treaties)}")
    rules, trace = facts.treaties[treaty], _Trace()
    mine = claims_for(claims, iso3, treaty)
    candidates = list(facts.steps.get((treaty, iso3), ()))
    reported: list[Step] = []
    for claim in mine:
        step = claim_step(claim, facts.claim_mapping)
        if step is not None:
            (reported if step.kind == "claim_reported" else candidates).append(step)
    acts = [a for a in facts.contested if a.iso3 == iso3 and a.treaty == treaty]
    candidates = _contested(acts, candidates, on, rules, facts, trace)
    chosen = {s: _choose(s, [c for c in candidates if c.step == s], trace) for s in STEPS}
    trace.reasons[0:0] = _step_lines(chosen, trace)
    eif = _entry_into_force(chosen, rules, trace)
    withdrawal = _withdrawal(chosen, rules, facts, iso3, trace)
    spans = [("withdrawn", withdrawal.effective), ("pending_armed_conflict", withdrawal.pending_from),
             ("withdrawing", withdrawal.notified), ("party", eif),
             ("consented", chosen["consent"].date if chosen["consent"] else None),
             ("signatory", chosen["signature"].date if chosen["signature"] else None)]
    state, since, uncertain = _decide(on, spans)
    dates = _dates(chosen, eif, withdrawal)
    _context(facts, mine, iso3, treaty, reported, trace)
    headline = _headline(state, on, dates, since, uncertain)
    for act in trace.contested:
        headline += f"; contested act of {act.date} shown beside it (no effect under the treaty's rules)"
    return StatusResult(iso3, treaty, on, state, since.label() if since else None, dates,
                        [headline, *trace.reasons], trace.evidence, trace.disputes, trace.contested,
                        bool(uncertain), facts.states.get(iso3, ""), _changes(spans))


def _changes(spans: list[tuple[str, DateSpan | None]]) -> tuple[date, ...]:
    """The days on which `_decide` may answer differently: it reads each span only through
    `DateSpan.reached`, which changes on the span's first day and on its last."""
    return tuple(sorted({day for _, span in spans if span is not None for day in (span.earliest, span.latest)}))


def _dates(chosen: dict[str, Step | None], eif: DateSpan | None, w: _Withdrawal) -> dict[str, str]:
    dates = {s: c.date.label() for s, c in chosen.items() if c is not None}
    if eif is not None:
        dates["entry_into_force"] = eif.label()
    if w.notice_end is not None:
        dates["notice_period_ends"] = w.notice_end.label()
    if w.effective is not None:
        dates["withdrawal_effective"] = w.effective.label()
    elif w.pending_from is not None:
        dates["withdrawal_effective"] = PENDING_EFFECTIVE
    return dates


HEADLINE_KEYS = {
    "signatory": ("signature",),
    "consented": ("consent", "entry_into_force"),
    "party": ("consent", "entry_into_force"),
    "withdrawing": ("withdrawal_notified", "withdrawal_effective"),
    "pending_armed_conflict": ("withdrawal_notified", "notice_period_ends", "withdrawal_effective"),
    "withdrawn": ("withdrawal_notified", "withdrawal_effective"),
}
HEADLINE_WORDS = {**STEP_WORDS, "notice_period_ends": "notice period ended", "entry_into_force": "in force"}


def _headline(state: str, on: date, dates: dict[str, str], since: DateSpan | None, uncertain: str) -> str:
    """One line: the status and the dates that matter for it."""
    parts = [f"{HEADLINE_WORDS[k]} {dates[k]}" for k in HEADLINE_KEYS.get(state, ()) if k in dates]
    line = f"{state} on {on.isoformat()}"
    if parts:
        line += ": " + ", ".join(parts)
    if since is not None:
        line += f" (status since {since.label()})"
    if uncertain:
        line += f"; uncertain: {uncertain}"
    return line


def status_all(treaty: str, on: date, *, facts: Facts,
               claims: Iterable[Mapping[str, Any]] = ()) -> list[StatusResult]:
    """`status` for every state in the reference (and any state that only claims mention)."""
    claims = list(claims)
    iso3s = set(facts.states) | {str(c["actor_iso3"]) for c in claims
                                  if c.get("actor_iso3") and c.get("treaty") == treaty}
    return [status(i, treaty, on, facts=facts, claims=claims) for i in sorted(iso3s)]


def counts(results: Iterable[StatusResult]) -> dict[str, int]:
    """Number of states per status (every status present, zero included)."""
    out = dict.fromkeys(STATUSES, 0)
    for result in results:
        out[result.status] += 1
    return out


def states_parties(results: Iterable[StatusResult]) -> int:
    """States Parties in the depositary's sense: consented, in force, or withdrawing/pending."""
    return sum(1 for r in results if r.status in STATES_PARTIES)
