"""The plain records the status engine reads and returns.

`Facts` is everything the engine knows apart from claims: treaty rules, the reference steps of
each state, the reference chronology, armed conflicts and contested acts. `StatusResult` is the
answer, with the evidence, the disputes and the contested acts that explain it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from treatywatch.datafile import DataModel
from treatywatch.status.rules import DateSpan

STATUSES = (
    "non_party",
    "signatory",
    "consented",
    "party",
    "withdrawing",
    "pending_armed_conflict",
    "withdrawn",
)
# Statuses in which a state counts as a "State Party" in the depositary's sense: it has deposited
# its instrument and its withdrawal (if any) has not taken effect.
STATES_PARTIES = frozenset({"consented", "party", "withdrawing", "pending_armed_conflict"})
STEPS = ("signature", "consent", "entry_into_force", "withdrawal_notified", "withdrawal_effective")
EVIDENCE_KINDS = ("reference", "claim_accepted", "claim_reported", "computed")


EifRuleKind = Literal["first_day_of_nth_month_after", "months_after", "days_after", "on_deposit"]


class EntryIntoForceRule(DataModel):
    """When a treaty enters into force for a state that deposits its consent (``rule``), with
    the article and our paraphrase of its wording."""

    article: str
    rule: EifRuleKind
    months: int | None = Field(None, ge=0)
    days: int | None = Field(None, ge=0)
    wording: str
    verified: bool = False

    @model_validator(mode="after")
    def _has_its_period(self) -> EntryIntoForceRule:
        needs = {"first_day_of_nth_month_after": "months", "months_after": "months", "days_after": "days"}
        wanted = needs.get(self.rule)
        if wanted is not None and getattr(self, wanted) is None:
            raise ValueError(f"rule {self.rule} needs {wanted}")
        return self


class WithdrawalRule(DataModel):
    """A treaty's withdrawal article: the notice period and the armed-conflict deferral."""

    article: str
    notice_months: int | None = Field(None, ge=0)
    notice_days: int | None = Field(None, ge=0)
    counted_from: str
    armed_conflict_clause: bool
    armed_conflict_wording: str = ""
    armed_conflict_verified: bool = True
    suspension_clause: bool = False

    @model_validator(mode="after")
    def _one_notice_period(self) -> WithdrawalRule:
        if (self.notice_months is None) == (self.notice_days is None):
            raise ValueError("needs exactly one of notice_months / notice_days")
        return self


@dataclass(frozen=True)
class Treaty:
    """A treaty's rules as data (status/data/treaties/<ID>.yaml)."""

    id: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    depositary: str
    entry_into_force: date | None
    eif_rule: EntryIntoForceRule
    withdrawal: WithdrawalRule
    sources: tuple[str, ...]
    adopted: str | None = None
    opened_for_signature: str | None = None


@dataclass(frozen=True)
class Step:
    """One dated step of one state under one treaty, as one source gives it."""

    iso3: str
    treaty: str
    step: str  # one of STEPS
    date: DateSpan
    kind: str  # one of EVIDENCE_KINDS
    source_url: str | None
    origin: str  # where in our data it came from: file:row, claim id, rule
    note: str = ""
    other_sources: tuple[str, ...] = ()
    outlet: str | None = None


@dataclass(frozen=True)
class ChronologyEvent:
    """A dated development that does not by itself change a status (announcements, votes, ...)."""

    iso3: str | None
    treaty: str | None
    type: str
    date: DateSpan
    summary: str
    kind: str  # reference | claim_accepted | claim_reported
    source_url: str | None
    origin: str
    outlet: str | None = None
    corroboration: int | None = None
    attributed_to: str | None = None
    modality: str = "asserted"


@dataclass(frozen=True)
class ArmedConflict:
    id: str
    name: str
    states: tuple[str, ...]
    start: date
    end: date | None
    summary: str
    sources: tuple[str, ...]

    def engages(self, iso3: str, on: date) -> bool:
        return iso3 in self.states and self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Objection:
    by: str
    date: str
    summary: str
    source_url: str


@dataclass(frozen=True)
class ContestedActRule:
    """A contested act as recorded in status/data/contested_acts.yaml."""

    id: str
    iso3: str
    treaty: str
    date: date
    match_window_days: int
    act: str
    claimed_basis: str
    treaty_basis: str
    legal_effect: str
    depositary_position: str
    depositary_source: str
    source_url: str
    objections: tuple[Objection, ...]


@dataclass(frozen=True)
class ReferenceRow:
    """A state's row in a reference *_states.csv, kept whole for display and cross-checks."""

    iso3: str
    name: str
    treaty: str
    status: str
    source_url: str
    note: str
    origin: str


@dataclass(frozen=True)
class ClaimMapping:
    """How claims of each event type feed the engine (types from the event-type registry, the
    rest from status/data/claim_steps.yaml): the types that are steps, the types shown as
    context, the modalities that make a step, and the words that tell consent from signature."""

    steps: dict[str, str] = field(default_factory=dict)
    context: frozenset[str] = frozenset()
    step_modalities: tuple[str, ...] = ()
    consent_words: tuple[str, ...] = ()
    signature_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facts:
    """Everything the engine knows apart from claims. Build it with `reference.load_facts()`."""

    treaties: dict[str, Treaty]
    steps: dict[tuple[str, str], tuple[Step, ...]]
    rows: dict[tuple[str, str], ReferenceRow]
    chronology: tuple[ChronologyEvent, ...]
    conflicts: tuple[ArmedConflict, ...]
    contested: tuple[ContestedActRule, ...]
    states: dict[str, str]  # iso3 -> name
    snapshot_date: date
    claim_mapping: ClaimMapping = field(default_factory=ClaimMapping)
    location: str = ""


@dataclass(frozen=True)
class EvidenceItem:
    """One link of the chain of evidence."""

    kind: str  # reference | claim_accepted | claim_reported | computed
    step: str
    date: str | None
    source_url: str | None
    detail: str
    origin: str = ""
    outlet: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "step": self.step,
            "date": self.date,
            "source_url": self.source_url,
            "detail": self.detail,
            "origin": self.origin,
            "outlet": self.outlet,
        }


@dataclass(frozen=True)
class Dispute:
    """Sources that give incompatible dates for one step; `chosen` is the date used."""

    step: str
    chosen: str
    chosen_source: str | None
    alternatives: tuple[tuple[str, str, str | None], ...]  # (date, kind, source_url)
    rule: str

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "chosen": self.chosen,
            "chosen_source": self.chosen_source,
            "alternatives": [
                {"date": d, "kind": k, "source_url": u} for d, k, u in self.alternatives
            ],
            "rule": self.rule,
        }


@dataclass(frozen=True)
class ContestedAct:
    """A contested act as shown beside a status."""

    date: str
    act: str
    claimed_basis: str
    treaty_basis: str
    legal_effect: str
    depositary_position: str
    objections: tuple[Objection, ...]
    if_withdrawal: str
    source_url: str

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "act": self.act,
            "claimed_basis": self.claimed_basis,
            "treaty_basis": self.treaty_basis,
            "legal_effect": self.legal_effect,
            "depositary_position": self.depositary_position,
            "objections": [o.__dict__ for o in self.objections],
            "if_treated_as_withdrawal": self.if_withdrawal,
            "source_url": self.source_url,
        }


@dataclass(frozen=True)
class StatusResult:
    """A state's status under a treaty on a date, and why."""

    iso3: str
    treaty: str
    on: date
    status: str
    since: str | None
    dates: dict[str, str]
    reasons: list[str]
    evidence: list[EvidenceItem]
    disputes: list[Dispute] = field(default_factory=list)
    contested_acts: list[ContestedAct] = field(default_factory=list)
    uncertain: bool = False
    name: str = ""
    # Days on which the status may change: an edge of the date span of a step it turns on. The
    # status is the same on every day from one of them to the day before the next (see
    # `treatywatch.status.series`); contested acts change what is shown beside it, not it.
    changes: tuple[date, ...] = ()

    @property
    def is_state_party(self) -> bool:
        return self.status in STATES_PARTIES

    def to_json(self) -> dict[str, Any]:
        return {
            "iso3": self.iso3,
            "name": self.name,
            "treaty": self.treaty,
            "on": self.on.isoformat(),
            "status": self.status,
            "since": self.since,
            "uncertain": self.uncertain,
            "dates": dict(self.dates),
            "reasons": list(self.reasons),
            "evidence": [e.to_json() for e in self.evidence],
            "disputes": [d.to_json() for d in self.disputes],
            "contested_acts": [c.to_json() for c in self.contested_acts],
        }
