"""Loading the rule data: treaties, armed conflicts, contested acts and the claim-to-step mapping.

Each file has a pydantic model and is validated on load; a broken file raises `DataFileError`
naming the file and the field, so a bad edit is caught when the engine starts, not when an odd
state is queried. Which claim types are steps and which are context is the event-type
registry's (``status_step``, ``status_context``); claim_steps.yaml keeps the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from pydantic import Field

from treatywatch.datafile import DataModel, Iso3, IsoDay, load_yaml, shown
from treatywatch.errors import DataFileError
from treatywatch.event_types import registry
from treatywatch.models import Modality
from treatywatch.status.model import (
    STEPS,
    ArmedConflict,
    ClaimMapping,
    ContestedActRule,
    EntryIntoForceRule,
    Objection,
    Treaty,
    WithdrawalRule,
)
from treatywatch.status.rules import add_days, add_months, first_day_of_nth_month_after

DATA_DIR = Path(__file__).parent / "data"
TREATY_DIR = DATA_DIR / "treaties"


class TreatyFile(DataModel):
    """One ``treaties/<ID>.yaml``."""

    id: str
    name: str
    short_name: str
    aliases: tuple[str, ...] = ()
    depositary: str
    adopted: str | None = None
    opened_for_signature: str | None = None
    entry_into_force: IsoDay | None = None
    entry_into_force_rule: EntryIntoForceRule
    withdrawal: WithdrawalRule
    sources: tuple[str, ...] = ()


class ConflictSource(DataModel):
    url: str
    says: str = ""


class ConflictEntry(DataModel):
    id: str
    name: str | None = None
    states: tuple[str, ...] = Field(min_length=1)
    start: IsoDay
    end: IsoDay | None = None
    summary: str = ""
    sources: tuple[ConflictSource, ...] = Field(min_length=1)


class ConflictsFile(DataModel):
    """``armed_conflicts.yaml``."""

    conflicts: tuple[ConflictEntry, ...] = ()


class ObjectionEntry(DataModel):
    by: str
    date: str
    summary: str
    source_url: str


class ContestedEntry(DataModel):
    id: str
    iso3: Iso3
    treaty: str
    date: IsoDay
    match_window_days: int = Field(0, ge=0)
    act: str
    claimed_basis: str
    treaty_basis: str
    legal_effect: str
    depositary_position: str
    depositary_source: str = ""
    source_url: str
    objections: tuple[ObjectionEntry, ...] = ()


class ContestedFile(DataModel):
    """``contested_acts.yaml``."""

    acts: tuple[ContestedEntry, ...] = ()


class ClaimStepsFile(DataModel):
    """``claim_steps.yaml``: which modalities make a step, and consent versus signature words."""

    step_modalities: tuple[Modality, ...] = Field(min_length=1)
    consent_words: tuple[str, ...]
    signature_words: tuple[str, ...]


def load_treaties(directory: Path = TREATY_DIR) -> dict[str, Treaty]:
    """All treaty files in `directory`, keyed by id (the file stem must equal the id)."""
    treaties: dict[str, Treaty] = {}
    for path in sorted(directory.glob("*.yaml")):
        doc = load_yaml(TreatyFile, path)
        if doc.id != path.stem:
            raise DataFileError(f"{shown(path)}: id: {doc.id!r} does not match the file name")
        treaties[doc.id] = Treaty(
            id=doc.id, name=doc.name, short_name=doc.short_name, aliases=doc.aliases,
            depositary=doc.depositary, entry_into_force=doc.entry_into_force,
            eif_rule=doc.entry_into_force_rule, withdrawal=doc.withdrawal, sources=doc.sources,
            adopted=doc.adopted, opened_for_signature=doc.opened_for_signature,
        )
    if not treaties:
        raise DataFileError(f"{shown(directory)}: no treaty files")
    return treaties


def find_treaty(treaties: dict[str, Treaty], name: str) -> Treaty | None:
    """A treaty by id or by one of its names/aliases, case-insensitively."""
    wanted = name.strip().casefold()
    for treaty in treaties.values():
        names = (treaty.id, treaty.short_name, treaty.name, *treaty.aliases)
        if any(n.casefold() == wanted for n in names):
            return treaty
    return None


def eif_for_deposit(treaty: Treaty) -> Callable[[date], date]:
    """The date a deposit of consent on a given day brings the treaty into force for the state.

    Deposits made before the treaty's own entry into force take effect with it: for APMBT and
    CCM, max(treaty EIF, rule(deposit)) is exactly art. 17(1)/(2), because the treaty's EIF is
    itself the rule applied to the deposit of the threshold instrument.
    """
    rule = treaty.eif_rule

    def for_deposit(deposit: date) -> date:
        if rule.rule == "first_day_of_nth_month_after":
            day = first_day_of_nth_month_after(deposit, rule.months or 0)
        elif rule.rule == "months_after":
            day = add_months(deposit, rule.months or 0)
        elif rule.rule == "days_after":
            day = add_days(deposit, rule.days or 0)
        else:
            day = deposit
        if treaty.entry_into_force and day < treaty.entry_into_force:
            return treaty.entry_into_force
        return day

    return for_deposit


def withdrawal_notice_end(treaty: Treaty) -> Callable[[date], date]:
    """The day a withdrawal notified on a given day takes effect, absent any deferral."""
    months, days = treaty.withdrawal.notice_months, treaty.withdrawal.notice_days
    if months is not None:
        return lambda day: add_months(day, months)
    return lambda day: add_days(day, days or 0)


def notice_label(treaty: Treaty) -> str:
    w = treaty.withdrawal
    return f"{w.notice_months} months" if w.notice_months is not None else f"{w.notice_days} days"


def load_conflicts(path: Path = DATA_DIR / "armed_conflicts.yaml") -> tuple[ArmedConflict, ...]:
    return tuple(
        ArmedConflict(
            id=item.id,
            name=item.name or item.id,
            states=item.states,
            start=item.start,
            end=item.end,
            summary=item.summary.strip(),
            sources=tuple(s.url for s in item.sources),
        )
        for item in load_yaml(ConflictsFile, path).conflicts
    )


def load_contested(path: Path = DATA_DIR / "contested_acts.yaml") -> tuple[ContestedActRule, ...]:
    return tuple(
        ContestedActRule(
            id=item.id, iso3=item.iso3, treaty=item.treaty, date=item.date,
            match_window_days=item.match_window_days, act=item.act, claimed_basis=item.claimed_basis,
            treaty_basis=item.treaty_basis, legal_effect=item.legal_effect,
            depositary_position=item.depositary_position, depositary_source=item.depositary_source,
            source_url=item.source_url,
            objections=tuple(Objection(o.by, o.date, o.summary, o.source_url) for o in item.objections),
        )
        for item in load_yaml(ContestedFile, path).acts
    )


def load_claim_mapping(path: Path = DATA_DIR / "claim_steps.yaml") -> ClaimMapping:
    """How claims feed the engine: steps and context from the event-type registry, the rest from
    ``claim_steps.yaml``. A registry step the engine does not know fails here, naming it."""
    doc = load_yaml(ClaimStepsFile, path)
    types = registry()
    steps = types.status_steps()
    for type_id, step in steps.items():
        if step not in STEPS:
            raise DataFileError(f"{types.source}: types[{type_id}].status_step: {step!r} is not a step "
                                f"of the status engine ({', '.join(STEPS)})")
    return ClaimMapping(steps=steps, context=types.status_context(), step_modalities=doc.step_modalities,
                        consent_words=doc.consent_words, signature_words=doc.signature_words)
