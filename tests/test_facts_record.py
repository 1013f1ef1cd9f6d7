"""Facts beside the legal record, their impact order, and the ``facts`` commands."""

from __future__ import annotations

import json
from pathlib import Path

from test_kb_facts import event, store
from typer.testing import CliRunner

from treatywatch.cli import app
from treatywatch.kb.store import open_kb
from treatywatch.status import load_facts
from treatywatch.status.factcheck import annotate, by_impact, modality_summary, reference_check


def fact(type: str, iso3: str, date: str | None, treaty: str = "APMBT", modality: str = "asserted") -> dict:
    return {"id": f"{type}-{iso3}-{date}", "type": type, "actor_iso3": iso3, "treaty": treaty, "date": date,
            "modalities": {modality: 1}, "stories": 1, "last_seen": "2026-01-01"}


def test_press_date_matching_the_record_agrees() -> None:
    check = reference_check(fact("treaty_withdrawal_effective", "POL", "2026-02-20"), load_facts())
    assert check["state"] == "agrees"


def test_press_date_contradicting_the_record_is_flagged_with_both_dates() -> None:
    check = reference_check(fact("treaty_withdrawal_effective", "EST", "2025-06-04"), load_facts())
    assert check["state"] == "contradicts" and check["press"] == "2025-06-04"
    assert {(r["step"], r["date"]) for r in check["record"]} >= {
        ("withdrawal_notified", "2025-06-27"), ("withdrawal_effective", "2025-12-27")}


def test_a_step_the_record_lacks_is_not_in_record() -> None:
    assert reference_check(fact("treaty_withdrawal_effective", "RUS", "2025-12-29"), load_facts())["state"] == \
        "not_in_record"


def test_review_queue_puts_facts_that_would_change_a_status_first() -> None:
    rows = [fact("treaty_withdrawal_announced", "FIN", "2025-04-01"),
            fact("treaty_withdrawal_effective", "POL", "2026-02-20"),
            fact("production_started", "RUS", "2025", treaty=""),
            fact("treaty_withdrawal_effective", "EST", "2025-06-04")]
    ordered = by_impact(annotate(rows, load_facts()))
    assert [r["actor_iso3"] for r in ordered] == ["EST", "POL", "FIN", "RUS"]
    assert ordered[0]["changes_status"] and not ordered[1]["changes_status"]


def test_a_planned_step_never_changes_a_status() -> None:
    [row] = annotate([fact("treaty_withdrawal_effective", "RUS", "2025-12-29", modality="planned")], load_facts())
    assert not row["changes_status"]


def test_modality_mix_reads_as_sentences() -> None:
    assert modality_summary({"planned": 3, "asserted": 1}) == \
        "announced as planned by 3 stories, reported as done by 1 story"


def test_facts_command_lists_json_and_csv_and_reviews_a_fact(tmp_path: Path) -> None:
    db = str(tmp_path / "kb.db")
    with open_kb(db) as kb:
        for domain in ("a.example", "b.example"):
            store(kb, [event("2026-02-20")], domain=domain)
    runner = CliRunner()
    result = runner.invoke(app, ["facts", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert row["stories"] == 2 and row["reference"]["state"] == "agrees"
    csv_out = runner.invoke(app, ["facts", "--db", db, "--format", "csv", "--state", "POL"]).stdout
    assert csv_out.splitlines()[0].startswith("id,date,type") and len(csv_out.splitlines()) == 2
    reviewed = runner.invoke(app, ["review-fact", row["id"][:10], "accept", "--reviewer", "ana", "--db", db])
    assert reviewed.exit_code == 0, reviewed.output
    pending = runner.invoke(app, ["facts", "--db", db, "--review-state", "pending", "--format", "json"])
    assert json.loads(pending.stdout) == []
    shown = json.loads(runner.invoke(app, ["fact", row["id"][:10], "--db", db, "--format", "json"]).stdout)
    assert {c["review_state"] for c in shown["claims"]} == {"accepted"} and len(shown["quotes"]) == 2


def test_facts_command_rejects_a_bad_filter_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["facts", "--db", str(tmp_path / "kb.db"), "--since", "2026-13"])
    assert result.exit_code == 2 and "--since" in result.output


def test_demo_on_the_sample_corpus_shows_polands_effective_withdrawal_as_one_fact(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    result = CliRunner().invoke(app, ["demo", "--db", db, "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "facts in" in result.stdout
    with open_kb(db) as kb:
        from treatywatch.kb import facts_read

        [fact] = facts_read.list_facts(kb, actor_iso3="POL", types=["treaty_withdrawal_effective"])
        claims = facts_read.get_fact(kb, fact["id"])["claims"]
    assert fact["date"] == "2026-02-20" and fact["stories"] >= 4
    assert len(claims) > fact["stories"]  # several articles of one story count once
