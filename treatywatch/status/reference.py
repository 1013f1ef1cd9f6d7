"""The reference data (docs/contracts.md#reference-data): where it lives, how it is checked
and loaded.

The package ships a copy in ``status/data/reference/`` (see SOURCES.md there). An updated copy
is imported with `import_reference` (CLI: ``treatywatch reference import DIR``) into the user
data directory — ``$TREATYWATCH_DATA_DIR/reference``, else ``$XDG_DATA_HOME/treatywatch/reference``,
else ``~/.local/share/treatywatch/reference`` — so an installed package is never modified. The
loader uses, in order: ``$TREATYWATCH_REFERENCE_DIR``, an imported user copy (it has a
MANIFEST.json), the packaged copy. Every reference fact becomes a `Step` of kind ``reference``
(or ``computed`` where the compilers derived it) that keeps its source URL.
"""

from __future__ import annotations

import csv
import functools
import json
import os
from pathlib import Path

from treatywatch.dates import parse_day
from treatywatch.status.model import ChronologyEvent, ClaimMapping, Facts, ReferenceRow, Step
from treatywatch.status.refcheck import (
    STATE_FILES,
    CheckReport,
    check_reference,
    manifest_for,
    write_reference_copy,
)
from treatywatch.status.rules import DateSpan
from treatywatch.status.treaties import (
    DATA_DIR,
    load_claim_mapping,
    load_conflicts,
    load_contested,
    load_treaties,
)

PACKAGE_REFERENCE = DATA_DIR / "reference"
SUPPLEMENT = DATA_DIR / "reference_supplement.csv"
DEFAULT_SNAPSHOT = "2026-02-21"  # "Status values are as of 21 Feb 2026" (reference README)

__all__ = ["CheckReport", "active_reference_dir", "import_reference", "load_facts", "user_reference_dir"]


def user_reference_dir() -> Path:
    """Where `import_reference` writes by default (see the module docstring)."""
    base = os.environ.get("TREATYWATCH_DATA_DIR")
    if base:
        return Path(base).expanduser() / "reference"
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg).expanduser() / "treatywatch" / "reference"


def active_reference_dir() -> Path:
    """The reference copy the engine reads now."""
    explicit = os.environ.get("TREATYWATCH_REFERENCE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    user = user_reference_dir()
    if (user / "MANIFEST.json").is_file():
        return user
    return PACKAGE_REFERENCE


def import_reference(source: Path, dest: Path | None = None, *, as_of: str | None = None) -> CheckReport:
    """Check an updated reference folder and, if it has no errors, install it at `dest`.

    Returns the check report (errors, warnings, row counts). Nothing is written when there are
    errors; otherwise the files are replaced together (written to a temporary folder first).
    """
    report = check_reference(source)
    if report.errors:
        return report
    target = dest or user_reference_dir()
    manifest = manifest_for(source, report, as_of or _snapshot_of(PACKAGE_REFERENCE))
    write_reference_copy(source, target, manifest)
    _clear_cache()
    return report


def _snapshot_of(directory: Path) -> str:
    try:
        manifest = json.loads((directory / "MANIFEST.json").read_text(encoding="utf-8"))
        return str(manifest.get("snapshot_date") or DEFAULT_SNAPSHOT)
    except (OSError, ValueError):
        return DEFAULT_SNAPSHOT


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _others(text: str) -> tuple[str, ...]:
    return tuple(u.strip() for u in text.split(" ; ") if u.strip())


def _state_steps(row: dict[str, str], treaty: str, origin: str) -> list[Step]:
    """The dated steps in one row of a *_states.csv."""
    derived = {f.strip() for f in row.get("derived_fields", "").split(";") if f.strip()}
    basis = row.get("eif_basis", "")
    if basis.startswith("computed"):
        derived.add("entry_into_force_for_state")
    columns = (
        ("signature", "signature_date", "day"),
        ("consent", "consent_date", row.get("consent_date_precision") or None),
        ("entry_into_force", "entry_into_force_for_state", None),
        ("withdrawal_notified", "withdrawal_notified_date", None),
        ("withdrawal_effective", "withdrawal_effective_date", None),
    )
    steps = []
    for step, column, _grain in columns:
        if not row.get(column):
            continue
        note = f"eif basis: {basis}" if step == "entry_into_force" and basis else ""
        if step == "consent" and row.get("consent_type"):
            note = row["consent_type"]
        kind = "computed" if column in derived else "reference"
        if kind == "computed":
            note = (note + "; " if note else "") + "derived by the reference compilers"
        steps.append(
            Step(row["iso3"], treaty, step, DateSpan.parse(row[column]), kind, row.get("source_url"),
                 origin, note, _others(row.get("other_sources", "")))
        )
    return steps


def _snapshot_fallback(row: dict[str, str], treaty: str, steps: list[Step], origin: str,
                       snapshot: str) -> list[Step]:
    """A listed party or signatory with no dated step is known only "as of the snapshot date"."""
    have = {s.step for s in steps}
    wanted = {"party": "consent", "withdrawn": "consent", "signatory": "signature"}.get(row["status"])
    if wanted is None or have & {wanted, "entry_into_force", "consent"}:
        return []
    span = DateSpan.parse(snapshot, "not_after")
    note = f"listed as {row['status']} in the reference (status as of {snapshot}); date unknown"
    return [Step(row["iso3"], treaty, wanted, span, "reference", row.get("source_url"), origin, note)]


def _supplement_steps(path: Path) -> list[Step]:
    steps = []
    for i, row in enumerate(_read_csv(path), start=2):
        grain = "not_after" if row["grain"] == "not_after" else None
        steps.append(
            Step(row["iso3"], row["treaty"], row["step"], DateSpan.parse(row["date"], grain),
                 "reference", row["source_url"], f"{path.name}:{i}", row.get("note", ""))
        )
    return steps


def _chronology(path: Path, mapping: ClaimMapping) -> tuple[list[ChronologyEvent], list[Step]]:
    """The reference chronology as events, plus the treaty steps among them."""
    events, steps = [], []
    for i, row in enumerate(_read_csv(path), start=2):
        origin = f"{path.name}:{i}"
        grain = row.get("date_precision", "")
        span = DateSpan.parse(row["date"])
        events.append(ChronologyEvent(
            row["iso3"] or None, row["treaty"] or None, row["event_type"], span, row["summary"],
            "reference", row["source_url"], origin, outlet=row.get("source_outlet") or None,
        ))
        step = mapping.steps.get(row["event_type"])
        if step and row["iso3"] and row["treaty"]:
            kind = "computed" if "derived" in grain else "reference"
            steps.append(Step(row["iso3"], row["treaty"], step, span, kind, row["source_url"],
                              origin, row["summary"], _others(row.get("other_sources", "")),
                              row.get("source_outlet") or None))
    return events, steps


def load_facts(reference_dir: Path | None = None) -> Facts:
    """Treaty rules + reference data + armed conflicts + contested acts, ready for the engine.

    Loaded once per folder and process (the files are read-only data); `import_reference`
    clears the cache.
    """
    return _load_facts(Path(reference_dir or active_reference_dir()).resolve())


def _clear_cache() -> None:
    _load_facts.cache_clear()


@functools.lru_cache(maxsize=4)
def _load_facts(directory: Path) -> Facts:
    treaties = load_treaties()
    mapping = load_claim_mapping()
    snapshot = _snapshot_of(directory)
    steps: dict[tuple[str, str], list[Step]] = {}
    rows: dict[tuple[str, str], ReferenceRow] = {}
    states: dict[str, str] = {}
    for filename, treaty in STATE_FILES.items():
        for i, row in enumerate(_read_csv(directory / filename), start=2):
            origin = f"{filename}:{i} ({row['iso3']})"
            states.setdefault(row["iso3"], row["name"])
            rows[(treaty, row["iso3"])] = ReferenceRow(
                row["iso3"], row["name"], treaty, row["status"], row["source_url"],
                row.get("note", ""), origin)
            found = _state_steps(row, treaty, origin)
            found += _snapshot_fallback(row, treaty, found, origin, snapshot)
            steps.setdefault((treaty, row["iso3"]), []).extend(found)
    chronology, event_steps = _chronology(directory / "events_2024_2026.csv", mapping)
    extra = _supplement_steps(SUPPLEMENT) if SUPPLEMENT.is_file() else []
    for step in event_steps + extra:
        steps.setdefault((step.treaty, step.iso3), []).append(step)
    return Facts(
        treaties=treaties,
        steps={key: tuple(value) for key, value in steps.items()},
        rows=rows,
        chronology=tuple(chronology),
        conflicts=load_conflicts(),
        contested=load_contested(),
        states=dict(sorted(states.items())),
        snapshot_date=parse_day(snapshot),
        claim_mapping=mapping,
        location=str(directory),
    )
