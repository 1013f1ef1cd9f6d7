"""Reference data: the packaged copy, its checks, re-import, and the treaty rule files."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from treatywatch.status import status
from treatywatch.status.refcheck import check_reference
from treatywatch.status.reference import (
    PACKAGE_REFERENCE,
    active_reference_dir,
    import_reference,
    load_facts,
    user_reference_dir,
)
from treatywatch.status.treaties import load_treaties


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "src"
    shutil.copytree(PACKAGE_REFERENCE, target)
    (target / "MANIFEST.json").unlink()
    return target


def _edit(path: Path, iso3: str, **changes: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames or [], list(reader)
    for row in rows:
        if row["iso3"] == iso3:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_the_packaged_copy_is_clean_and_matches_its_manifest() -> None:
    report = check_reference(PACKAGE_REFERENCE)
    assert report.errors == []
    assert report.rows == {"treaties.csv": 9, "apmbt_states.csv": 197, "ccm_states.csv": 197,
                           "events_2024_2026.csv": 63}
    manifest = json.loads((PACKAGE_REFERENCE / "MANIFEST.json").read_text(encoding="utf-8"))
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((PACKAGE_REFERENCE / name).read_bytes()).hexdigest() == digest
    assert manifest["snapshot_date"] == "2026-02-21"


def test_every_treaty_row_has_a_rule_file_that_agrees_with_it() -> None:
    rules = load_treaties()
    with (PACKAGE_REFERENCE / "treaties.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        treaty = rules[row["id"]]
        notice = row["withdrawal_notice_months_or_days"]
        number, unit = re.match(r"(\d+) (months|year|days)", notice).groups()  # type: ignore[union-attr]
        w = treaty.withdrawal
        expected = {"months": w.notice_months, "year": (w.notice_months or 0) / 12, "days": w.notice_days}[unit]
        assert int(number) == expected, row["id"]
        assert w.armed_conflict_clause == row["armed_conflict_clause"].startswith("yes"), row["id"]
        assert treaty.entry_into_force == date.fromisoformat(row["entry_into_force"])
        assert treaty.depositary == row["depositary"]


def test_reference_facts_are_shown_as_reference_with_their_source() -> None:
    result = status("MHL", "APMBT", date(2025, 9, 1), facts=load_facts())
    consent = [e for e in result.evidence if e.step == "consent"]
    assert consent and all(e.kind == "reference" and e.source_url.startswith("http") for e in consent)


def test_an_updated_copy_is_imported_and_used(copy: Path, tmp_path: Path) -> None:
    _edit(copy / "apmbt_states.csv", "USA", signature_date="2026-03-02", status="signatory")
    dest = tmp_path / "installed"
    report = import_reference(copy, dest)
    assert report.errors == []
    assert (dest / "MANIFEST.json").is_file() and (dest / "apmbt_states.csv").is_file()
    facts = load_facts(dest)
    assert status("USA", "APMBT", date(2026, 3, 2), facts=facts).status == "signatory"
    assert status("USA", "APMBT", date(2026, 3, 2), facts=load_facts()).status == "non_party"


def test_a_broken_copy_is_refused_and_nothing_is_written(copy: Path, tmp_path: Path) -> None:
    _edit(copy / "ccm_states.csv", "VUT", consent_date="2025-09-31")
    dest = tmp_path / "installed"
    report = import_reference(copy, dest)
    assert any("ccm_states.csv" in e and "VUT" in e for e in report.errors)
    assert not dest.exists()


def test_a_missing_column_is_an_error(copy: Path) -> None:
    text = (copy / "events_2024_2026.csv").read_text(encoding="utf-8").replace("event_type", "kind", 1)
    (copy / "events_2024_2026.csv").write_text(text, encoding="utf-8")
    assert any("missing columns event_type" in e for e in check_reference(copy).errors)


def test_inconsistent_facts_are_warnings(copy: Path) -> None:
    _edit(copy / "apmbt_states.csv", "POL", withdrawal_effective_date="2026-02-21",
          entry_into_force_for_state="2013-07-01")
    warnings = check_reference(copy).warnings
    assert any("POL" in w and "notice gives 2026-02-20" in w for w in warnings)
    assert any("POL" in w and "gives 2013-06-01" in w for w in warnings)


def test_the_user_copy_wins_once_imported(copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TREATYWATCH_REFERENCE_DIR", raising=False)
    monkeypatch.setenv("TREATYWATCH_DATA_DIR", str(tmp_path / "data"))
    assert active_reference_dir() == PACKAGE_REFERENCE
    import_reference(copy)
    assert active_reference_dir() == user_reference_dir() == tmp_path / "data" / "reference"
    import_reference(copy)  # a second import replaces the first
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["reference"]
