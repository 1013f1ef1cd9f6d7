"""Loading the rule data: treaties, armed conflicts, contested acts and the claim-to-step mapping.

Each file is validated on load; a broken file raises `DataError` naming the file and the field,
so a bad edit is caught when the engine starts, not when an odd state is queried.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from treatywatch.dates import parse_day
from treatywatch.status.model import ArmedConflict, ContestedActRule, Objection, Treaty
from treatywatch.status.rules import add_days, add_months, first_day_of_nth_month_after

DATA_DIR = Path(__file__).parent / "data"
TREATY_DIR = DATA_DIR / "treaties"
EIF_RULES = ("first_day_of_nth_month_after", "months_after", "days_after", "on_deposit")


class DataError(ValueError):
    """A data file of the status engine is missing or malformed."""


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: cannot read: {exc}") from None


def _day_or_none(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return parse_day(str(value))
    except ValueError as exc:
        raise DataError(f"{where}: {exc}") from None


def _treaty_from(doc: dict[str, Any], path: Path) -> Treaty:
    for key in ("id", "name", "short_name", "depositary", "entry_into_force_rule", "withdrawal"):
        if key not in doc:
            raise DataError(f"{path}: missing field {key!r}")
    eif_rule, withdrawal = dict(doc["entry_into_force_rule"]), dict(doc["withdrawal"])
    if eif_rule.get("rule") not in EIF_RULES:
        raise DataError(f"{path}: entry_into_force_rule.rule must be one of {EIF_RULES}")
    if ("notice_months" in withdrawal) == ("notice_days" in withdrawal):
        raise DataError(f"{path}: withdrawal needs exactly one of notice_months / notice_days")
    if not isinstance(withdrawal.get("armed_conflict_clause"), bool):
        raise DataError(f"{path}: withdrawal.armed_conflict_clause must be true or false")
    return Treaty(
        id=str(doc["id"]),
        name=str(doc["name"]),
        short_name=str(doc["short_name"]),
        aliases=tuple(str(a) for a in doc.get("aliases") or ()),
        depositary=str(doc["depositary"]),
        entry_into_force=_day_or_none(doc.get("entry_into_force"), f"{path}: entry_into_force"),
        eif_rule=eif_rule,
        withdrawal=withdrawal,
        sources=tuple(str(s) for s in doc.get("sources") or ()),
        adopted=doc.get("adopted"),
        opened_for_signature=doc.get("opened_for_signature"),
    )


def load_treaties(directory: Path = TREATY_DIR) -> dict[str, Treaty]:
    """All treaty files in `directory`, keyed by id (the file stem must equal the id)."""
    treaties: dict[str, Treaty] = {}
    for path in sorted(directory.glob("*.yaml")):
        treaty = _treaty_from(_read_yaml(path) or {}, path)
        if treaty.id != path.stem:
            raise DataError(f"{path}: id {treaty.id!r} does not match the file name")
        treaties[treaty.id] = treaty
    if not treaties:
        raise DataError(f"{directory}: no treaty files")
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
    kind = rule["rule"]

    def for_deposit(deposit: date) -> date:
        if kind == "first_day_of_nth_month_after":
            day = first_day_of_nth_month_after(deposit, int(rule["months"]))
        elif kind == "months_after":
            day = add_months(deposit, int(rule["months"]))
        elif kind == "days_after":
            day = add_days(deposit, int(rule["days"]))
        else:
            day = deposit
        if treaty.entry_into_force and day < treaty.entry_into_force:
            return treaty.entry_into_force
        return day

    return for_deposit


def withdrawal_notice_end(treaty: Treaty) -> Callable[[date], date]:
    """The day a withdrawal notified on a given day takes effect, absent any deferral."""
    w = treaty.withdrawal
    if "notice_months" in w:
        months = int(w["notice_months"])
        return lambda day: add_months(day, months)
    days = int(w["notice_days"])
    return lambda day: add_days(day, days)


def notice_label(treaty: Treaty) -> str:
    w = treaty.withdrawal
    if "notice_months" in w:
        return f"{w['notice_months']} months"
    return f"{w['notice_days']} days"


def load_conflicts(path: Path = DATA_DIR / "armed_conflicts.yaml") -> tuple[ArmedConflict, ...]:
    doc = _read_yaml(path) or {}
    out = []
    for i, item in enumerate(doc.get("conflicts") or ()):
        where = f"{path}: conflicts[{i}]"
        start = _day_or_none(item.get("start"), where)
        if start is None or not item.get("states") or not item.get("sources"):
            raise DataError(f"{where}: needs start, states and sources")
        out.append(
            ArmedConflict(
                id=str(item["id"]),
                name=str(item.get("name", item["id"])),
                states=tuple(str(s) for s in item["states"]),
                start=start,
                end=_day_or_none(item.get("end"), where),
                summary=str(item.get("summary", "")).strip(),
                sources=tuple(str(s["url"]) for s in item["sources"]),
            )
        )
    return tuple(out)


def load_contested(path: Path = DATA_DIR / "contested_acts.yaml") -> tuple[ContestedActRule, ...]:
    doc = _read_yaml(path) or {}
    out = []
    for i, item in enumerate(doc.get("acts") or ()):
        where = f"{path}: acts[{i}]"
        day = _day_or_none(item.get("date"), where)
        if day is None:
            raise DataError(f"{where}: needs a date")
        try:
            objections = tuple(
                Objection(str(o["by"]), str(o["date"]), str(o["summary"]), str(o["source_url"]))
                for o in item.get("objections") or ()
            )
            out.append(
                ContestedActRule(
                    id=str(item["id"]),
                    iso3=str(item["iso3"]),
                    treaty=str(item["treaty"]),
                    date=day,
                    match_window_days=int(item.get("match_window_days", 0)),
                    act=str(item["act"]),
                    claimed_basis=str(item["claimed_basis"]),
                    treaty_basis=str(item["treaty_basis"]),
                    legal_effect=str(item["legal_effect"]),
                    depositary_position=str(item["depositary_position"]),
                    depositary_source=str(item.get("depositary_source", "")),
                    source_url=str(item["source_url"]),
                    objections=objections,
                )
            )
        except KeyError as exc:
            raise DataError(f"{where}: missing field {exc}") from None
    return tuple(out)


def load_claim_mapping(path: Path = DATA_DIR / "claim_steps.yaml") -> dict[str, Any]:
    doc = _read_yaml(path) or {}
    for key in ("steps", "context", "step_modalities", "consent_words", "signature_words"):
        if key not in doc:
            raise DataError(f"{path}: missing field {key!r}")
    return dict(doc)
