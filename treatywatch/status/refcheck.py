"""Checking a reference folder before it is used, and writing an imported copy.

Errors make a folder unusable (a missing file or column, a date that does not parse, a row
without a source); warnings are facts that disagree with each other or with the treaty rules
(a withdrawal whose effective date is not notification + notice period, an entry into force that
is not what art. 17 gives). Warnings are reported, never silently fixed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from treatywatch.status.rules import DateSpan
from treatywatch.status.treaties import eif_for_deposit, load_treaties, withdrawal_notice_end

STATE_FILES = {"apmbt_states.csv": "APMBT", "ccm_states.csv": "CCM"}
FILES = ("treaties.csv", *STATE_FILES, "events_2024_2026.csv")
STATE_COLUMNS = (
    "iso3", "name", "signature_date", "consent_date", "consent_type", "entry_into_force_for_state",
    "withdrawal_notified_date", "withdrawal_effective_date", "status", "source_url",
)
EVENT_COLUMNS = ("date", "iso3", "treaty", "event_type", "summary", "source_url")
TREATY_COLUMNS = ("id", "name", "depositary", "withdrawal_notice_months_or_days", "armed_conflict_clause", "source_url")
STATUS_VALUES = {"party", "signatory", "withdrawn", "non_party", "withdrawing"}
DATE_COLUMNS = STATE_COLUMNS[2:4] + STATE_COLUMNS[5:8]
_ISO3 = re.compile(r"^[A-Z]{3}$")


@dataclass
class CheckReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def _read(path: Path, needed: tuple[str, ...], report: CheckReport) -> list[dict[str, str]]:
    if not path.is_file():
        report.errors.append(f"{path}: missing file")
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in needed if c not in (reader.fieldnames or [])]
        if missing:
            report.errors.append(f"{path}: missing columns {', '.join(missing)}")
            return []
        rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    report.rows[path.name] = len(rows)
    return rows


def _span(value: str, where: str, report: CheckReport) -> DateSpan | None:
    if not value:
        return None
    try:
        return DateSpan.parse(value)
    except ValueError as exc:
        report.errors.append(f"{where}: {exc}")
        return None


def _check_state_row(row: dict[str, str], where: str, treaty: Any, report: CheckReport) -> None:
    if not _ISO3.match(row["iso3"]):
        report.errors.append(f"{where}: bad iso3 {row['iso3']!r}")
    if row["status"] not in STATUS_VALUES:
        report.errors.append(f"{where}: unknown status {row['status']!r}")
    if not row["source_url"].startswith(("http://", "https://")):
        report.errors.append(f"{where}: no http source_url")
    spans = {c: _span(row[c], f"{where} {c}", report) for c in DATE_COLUMNS}
    precision = row.get("consent_date_precision", "")
    consent = spans["consent_date"]
    if consent and precision and consent.grain != precision:
        report.warnings.append(f"{where}: consent_date {consent.text} but precision {precision!r}")
    order = [spans["signature_date"], consent, spans["entry_into_force_for_state"]]
    known = [s for s in order if s]
    for a, b in zip(known, known[1:], strict=False):
        if a.earliest > b.latest:
            report.warnings.append(f"{where}: steps out of order ({a.text} after {b.text})")
    if treaty is not None:
        _check_rules(row, where, spans, treaty, report)
    _check_status(row, where, spans, report)


def _check_rules(row: dict[str, str], where: str, spans: dict[str, DateSpan | None], treaty: Any,
                 report: CheckReport) -> None:
    consent, eif = spans["consent_date"], spans["entry_into_force_for_state"]
    if consent and consent.exact and eif and eif.exact:
        expected = eif_for_deposit(treaty)(consent.earliest)
        if expected != eif.earliest:
            report.warnings.append(
                f"{where}: entry into force {eif.text} but {treaty.eif_rule.article} gives "
                f"{expected.isoformat()} for deposit {consent.text}")
    notified, effective = spans["withdrawal_notified_date"], spans["withdrawal_effective_date"]
    if notified and effective and notified.exact and effective.exact:
        expected = withdrawal_notice_end(treaty)(notified.earliest)
        if expected != effective.earliest:
            report.warnings.append(
                f"{where}: withdrawal effective {effective.text} but notified {notified.text} + "
                f"notice gives {expected.isoformat()}")


def _check_status(row: dict[str, str], where: str, spans: dict[str, DateSpan | None],
                  report: CheckReport) -> None:
    status = row["status"]
    if status == "withdrawn" and not spans["withdrawal_effective_date"]:
        report.warnings.append(f"{where}: status withdrawn without a withdrawal_effective_date")
    if status in ("party", "signatory") and spans["withdrawal_effective_date"]:
        report.warnings.append(f"{where}: status {status} but a withdrawal_effective_date")
    if status == "non_party" and (spans["consent_date"] or spans["signature_date"]):
        report.warnings.append(f"{where}: status non_party but a signature or consent date")
    if status == "party" and not (spans["consent_date"] or spans["entry_into_force_for_state"]):
        report.warnings.append(f"{where}: party with neither consent nor entry-into-force date")


def check_reference(directory: Path) -> CheckReport:
    """Check every file of a reference folder; see the module docstring."""
    report = CheckReport()
    if not directory.is_dir():
        report.errors.append(f"{directory}: not a directory")
        return report
    rules = load_treaties()
    treaty_rows = _read(directory / "treaties.csv", TREATY_COLUMNS, report)
    treaty_ids = {r["id"] for r in treaty_rows}
    for tid in sorted(treaty_ids - set(rules)):
        report.warnings.append(f"treaties.csv: {tid} has no rule file in status/data/treaties")
    states: set[str] = set()
    for filename, tid in STATE_FILES.items():
        seen: set[str] = set()
        for i, row in enumerate(_read(directory / filename, STATE_COLUMNS, report), start=2):
            where = f"{filename}:{i} ({row['iso3']})"
            if row["iso3"] in seen:
                report.errors.append(f"{where}: duplicate iso3")
            seen.add(row["iso3"])
            _check_state_row(row, where, rules.get(tid), report)
        states |= seen
    _check_events(directory, treaty_ids | set(rules), states, report)
    return report


def _check_events(directory: Path, treaties: set[str], states: set[str], report: CheckReport) -> None:
    path = directory / "events_2024_2026.csv"
    for i, row in enumerate(_read(path, EVENT_COLUMNS, report), start=2):
        where = f"{path.name}:{i}"
        _span(row["date"], f"{where} date", report)
        if row["iso3"] and row["iso3"] not in states:
            report.warnings.append(f"{where}: iso3 {row['iso3']} not in the states files")
        if row["treaty"] and row["treaty"] not in treaties:
            report.warnings.append(f"{where}: unknown treaty {row['treaty']}")
        if not row["source_url"].startswith(("http://", "https://")):
            report.errors.append(f"{where}: no http source_url")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_for(source: Path, report: CheckReport, snapshot_date: str) -> dict[str, Any]:
    files = [name for name in (*FILES, "README.md") if (source / name).is_file()]
    return {
        "imported_from": str(source.resolve()),
        "imported_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "snapshot_date": snapshot_date,
        "files": {name: _sha256(source / name) for name in files},
        "rows": dict(report.rows),
        "warnings": list(report.warnings),
    }


def write_reference_copy(source: Path, target: Path, manifest: dict[str, Any]) -> None:
    """Replace `target` with the files of `source` and a MANIFEST.json, all or nothing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".reference-", dir=target.parent))
    try:
        for name in manifest["files"]:
            shutil.copy2(source / name, staging / name)
        (staging / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        kept = target / "SOURCES.md"  # our provenance note stays with the copy it describes
        if kept.is_file() and not (staging / "SOURCES.md").exists():
            shutil.copy2(kept, staging / "SOURCES.md")
        if target.exists():
            old = target.with_name(target.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
