"""The status engine over the packaged reference data and plain-dict claims."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treatywatch.status import counts, states_parties, status, status_all
from treatywatch.status.model import ArmedConflict, Facts
from treatywatch.status.reference import load_facts

D = date.fromisoformat


@pytest.fixture(scope="module")
def facts() -> Facts:
    return load_facts()


def claim(**fields: Any) -> dict[str, Any]:
    base = {"id": "c1", "type": "treaty_withdrawal_notified", "actor_iso3": "BRA", "treaty": "APMBT",
            "date": "2025-01-15", "modality": "asserted", "review_state": "accepted",
            "sentence": "Brasilia deposited its instrument of withdrawal.",
            "source_url": "https://news.example/brazil", "outlet": "news.example", "corroboration": 2}
    return {**base, **fields}


@pytest.mark.parametrize(
    ("on", "expected", "since"),
    [
        ("1997-12-03", "non_party", None),
        ("1997-12-04", "signatory", "1997-12-04"),
        ("2012-12-26", "signatory", "1997-12-04"),
        ("2012-12-27", "consented", "2012-12-27"),
        ("2013-05-31", "consented", "2012-12-27"),
        ("2013-06-01", "party", "2013-06-01"),
        ("2025-08-19", "party", "2013-06-01"),
        ("2025-08-20", "withdrawing", "2025-08-20"),
        ("2026-01-01", "withdrawing", "2025-08-20"),
        ("2026-02-19", "withdrawing", "2025-08-20"),
        ("2026-02-20", "withdrawn", "2026-02-20"),
        ("2026-03-01", "withdrawn", "2026-02-20"),
    ],
)
def test_poland_before_on_and_after_each_step(facts: Facts, on: str, expected: str, since: str | None) -> None:
    result = status("POL", "APMBT", D(on), facts=facts)
    assert (result.status, result.since) == (expected, since)
    assert result.reasons[0].startswith(f"{expected} on {on}")


def test_poland_withdrawing_says_when_notified_and_when_effective(facts: Facts) -> None:
    result = status("pol", "APMBT", D("2026-01-01"), facts=facts)
    assert result.dates["withdrawal_notified"] == "2025-08-20"
    assert result.dates["withdrawal_effective"] == "2026-02-20"
    assert "notified 2025-08-20" in result.reasons[0] and "effective 2026-02-20" in result.reasons[0]
    computed = [e for e in result.evidence if e.kind == "computed" and e.step == "withdrawal_effective"]
    assert computed and computed[0].date == "2026-02-20"
    assert {e.kind for e in result.evidence} >= {"reference", "computed"}


@pytest.mark.parametrize(
    ("iso3", "treaty"),
    [("EST", "APMBT"), ("LVA", "APMBT"), ("LTU", "APMBT"), ("FIN", "APMBT"), ("POL", "APMBT"), ("LTU", "CCM")],
)
def test_every_reference_withdrawal_goes_party_withdrawing_withdrawn(facts: Facts, iso3: str, treaty: str) -> None:
    dates = status(iso3, treaty, D("2026-06-01"), facts=facts).dates
    notified, effective = D(dates["withdrawal_notified"]), D(dates["withdrawal_effective"])
    day = timedelta(days=1)
    seen = [status(iso3, treaty, d, facts=facts).status for d in (notified - day, notified, effective - day, effective)]
    assert seen == ["party", "withdrawing", "withdrawing", "withdrawn"]


@pytest.mark.parametrize(
    ("treaty", "on", "expected"),
    [
        ("APMBT", "2024-12-31", 164),
        ("APMBT", "2025-06-30", 166),
        ("APMBT", "2025-12-28", 163),
        ("APMBT", "2026-01-11", 162),
        ("APMBT", "2026-02-21", 161),
        ("CCM", "2024-12-31", 112),
        ("CCM", "2025-03-07", 111),
        ("CCM", "2025-09-06", 112),
    ],
)
def test_states_parties_match_the_reference_cross_checks(facts: Facts, treaty: str, on: str, expected: int) -> None:
    results = status_all(treaty, D(on), facts=facts)
    assert states_parties(results) == expected
    assert sum(counts(results).values()) == len(results) == 197


def test_lebanon_is_uncertain_within_its_year_of_accession(facts: Facts) -> None:
    result = status("LBN", "APMBT", D("2026-02-21"), facts=facts)
    assert (result.status, result.uncertain) == ("non_party", True)
    assert "2026" in result.reasons[0]
    assert status("LBN", "APMBT", D("2027-01-01"), facts=facts).status == "consented"
    assert status("LBN", "APMBT", D("2027-06-01"), facts=facts).status == "party"


def test_every_state_on_the_snapshot_date_matches_the_reference_status(facts: Facts) -> None:
    as_listed = {"consented": "party", "party": "party", "withdrawing": "party",
                 "pending_armed_conflict": "party"}
    mismatches = []
    for (treaty, iso3), row in facts.rows.items():
        result = status(iso3, treaty, facts.snapshot_date, facts=facts)
        if as_listed.get(result.status, result.status) != row.status and not result.uncertain:
            mismatches.append((treaty, iso3, result.status, row.status))
    assert mismatches == []


def test_ukraine_suspension_leaves_it_a_party_with_the_dispute_shown(facts: Facts) -> None:
    result = status("UKR", "APMBT", D("2026-03-01"), facts=facts)
    assert result.status == "party"
    assert "withdrawal_effective" not in result.dates
    [act] = result.contested_acts
    assert act.date == "2025-07-18" and "suspen" in act.act
    assert {o.by for o in act.objections} >= {"Human Rights Watch"}
    assert "pending under the armed-conflict clause" in act.if_withdrawal
    assert any("contested act" in r for r in result.reasons)
    assert status("UKR", "APMBT", D("2025-07-17"), facts=facts).contested_acts == []


def test_a_claimed_withdrawal_notice_that_is_the_suspension_is_not_a_withdrawal(facts: Facts) -> None:
    notice = claim(actor_iso3="UKR", date="2025-07-18", sentence="Ukraine notified the UN of its withdrawal.")
    result = status("UKR", "APMBT", D("2026-03-01"), facts=facts, claims=[notice])
    assert result.status == "party"
    assert any("read as the contested act" in r for r in result.reasons)


def test_a_withdrawal_ending_during_an_armed_conflict_is_pending(facts: Facts) -> None:
    notice = claim(actor_iso3="UKR", date="2025-09-01")
    before = status("UKR", "APMBT", D("2026-02-28"), facts=facts, claims=[notice])
    after = status("UKR", "APMBT", D("2026-03-02"), facts=facts, claims=[notice])
    assert before.status == "withdrawing"
    assert after.status == "pending_armed_conflict"
    assert after.since == "2026-03-01"
    assert after.dates["withdrawal_effective"] == "pending: armed-conflict clause"
    assert any("armed-conflict clause" in r for r in after.reasons)


def _with_conflict(facts: Facts, iso3: str, start: date, end: date | None) -> Facts:
    conflict = ArmedConflict("test", "test conflict", (iso3,), start, end, "written for a test",
                             ("https://example.org/conflict",))
    return dataclasses.replace(facts, conflicts=(conflict,))


def test_a_deferred_withdrawal_takes_effect_the_day_after_the_conflict_ends(facts: Facts) -> None:
    local = _with_conflict(facts, "BRA", D("2025-06-01"), D("2025-09-30"))
    notice = claim()
    assert status("BRA", "APMBT", D("2025-08-01"), facts=local, claims=[notice]).status == "pending_armed_conflict"
    result = status("BRA", "APMBT", D("2025-10-01"), facts=local, claims=[notice])
    assert (result.status, result.since) == ("withdrawn", "2025-10-01")
    assert status("BRA", "APMBT", D("2025-08-01"), facts=facts, claims=[notice]).status == "withdrawn"


def test_no_clause_no_deferral(facts: Facts) -> None:
    local = _with_conflict(facts, "BRA", D("2000-01-01"), None)
    notice = claim(treaty="ATT", date="2025-01-01")
    assert status("BRA", "ATT", D("2025-03-31"), facts=local, claims=[notice]).status == "withdrawing"
    assert status("BRA", "ATT", D("2025-04-01"), facts=local, claims=[notice]).status == "withdrawn"
    assert status("BRA", "APMBT", D("2025-08-01"), facts=local, claims=[claim()]).status == "pending_armed_conflict"


@settings(max_examples=40, deadline=None)
@given(
    notified=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    start_offset=st.integers(min_value=-400, max_value=400),
    length=st.one_of(st.none(), st.integers(min_value=0, max_value=800)),
    probe=st.integers(min_value=0, max_value=1500),
)
def test_the_armed_conflict_clause_never_lets_a_withdrawal_take_effect_during_the_conflict(
    notified: date, start_offset: int, length: int | None, probe: int
) -> None:
    facts = load_facts()
    start = notified + timedelta(days=start_offset)
    end = None if length is None else start + timedelta(days=length)
    local = _with_conflict(facts, "BRA", start, end)
    notice = claim(date=notified.isoformat())
    on = notified + timedelta(days=probe)
    result = status("BRA", "APMBT", on, facts=local, claims=[notice])
    notice_end = D(status("BRA", "APMBT", on, facts=facts, claims=[notice]).dates["withdrawal_effective"])
    in_conflict_at_end = start <= notice_end and (end is None or notice_end <= end)
    if on < notified:
        assert result.status == "party"
    elif on < notice_end:
        assert result.status == "withdrawing"
    elif not in_conflict_at_end:
        assert result.status == "withdrawn"
    elif end is None or on <= end:
        assert result.status == "pending_armed_conflict"
    else:
        assert result.status == "withdrawn" and result.since == (end + timedelta(days=1)).isoformat()


def test_sources_that_disagree_are_shown_side_by_side(facts: Facts) -> None:
    result = status("TON", "APMBT", D("2025-07-01"), facts=facts)
    [dispute] = result.disputes
    assert dispute.step == "consent" and dispute.chosen == "2025-06-25"
    assert [a[0] for a in dispute.alternatives] == ["2025-06-26"]
    assert any("sources disagree" in r for r in result.reasons)
    assert result.status == "consented"


def test_an_accepted_claim_with_another_date_is_a_dispute_not_an_override(facts: Facts) -> None:
    joined = claim(actor_iso3="MHL", type="treaty_joined", date="2025-04-02",
                   sentence="The Marshall Islands ratified the treaty.")
    result = status("MHL", "APMBT", D("2025-03-20"), facts=facts, claims=[joined])
    assert result.status == "consented" and result.dates["consent"] == "2025-03-12"
    assert result.disputes[0].alternatives[0][:2] == ("2025-04-02", "claim_accepted")


def test_a_finer_accepted_claim_refines_a_year_and_entry_into_force_is_computed(facts: Facts) -> None:
    joined = claim(actor_iso3="LBN", type="treaty_joined", date="2026-02-03",
                   sentence="Lebanon deposited its instrument of accession.")
    result = status("LBN", "APMBT", D("2026-02-21"), facts=facts, claims=[joined])
    assert (result.status, result.since, result.uncertain) == ("consented", "2026-02-03", False)
    assert result.dates["entry_into_force"] == "2026-08-01"
    assert any(e.kind == "computed" and e.step == "entry_into_force" for e in result.evidence)
    assert status("LBN", "APMBT", D("2026-08-01"), facts=facts, claims=[joined]).status == "party"


def test_unreviewed_claims_are_shown_but_do_not_change_the_status(facts: Facts) -> None:
    reported = claim(review_state="new")
    result = status("BRA", "APMBT", D("2025-12-01"), facts=facts, claims=[reported])
    assert result.status == "party"
    assert any(e.kind == "claim_reported" for e in result.evidence)
    assert any(r.startswith("reported, not reviewed") for r in result.reasons)


def test_rejected_and_non_asserted_claims_are_ignored(facts: Facts) -> None:
    for extra in (claim(review_state="rejected"), claim(modality="planned")):
        result = status("BRA", "APMBT", D("2025-12-01"), facts=facts, claims=[extra])
        assert result.status == "party"
        assert not any(e.kind == "claim_accepted" and e.step == "withdrawal_notified" for e in result.evidence)


def test_a_corrected_claim_counts_like_an_accepted_one(facts: Facts) -> None:
    result = status("BRA", "APMBT", D("2025-02-01"), facts=facts, claims=[claim(review_state="corrected")])
    assert result.status == "withdrawing"


def test_a_joined_claim_that_only_speaks_of_signing_is_a_signature(facts: Facts) -> None:
    signed = claim(actor_iso3="USA", type="treaty_joined", date="2025-05-05",
                   sentence="Washington signed the convention on Monday.")
    result = status("USA", "APMBT", D("2025-06-01"), facts=facts, claims=[signed])
    assert (result.status, result.dates.get("signature")) == ("signatory", "2025-05-05")


def test_states_known_only_from_claims_appear_in_the_list(facts: Facts) -> None:
    extra = claim(actor_iso3="XKX", type="treaty_joined", date="2025-01-01", sentence="Kosovo acceded.")
    results = status_all("APMBT", D("2025-03-01"), facts=facts, claims=[extra])
    assert [r.status for r in results if r.iso3 == "XKX"] == ["consented"]


def test_unknown_treaty_is_an_error(facts: Facts) -> None:
    with pytest.raises(ValueError, match="unknown treaty"):
        status("POL", "NOPE", D("2025-01-01"), facts=facts)


def test_results_serialise_to_json(facts: Facts) -> None:
    data = status("UKR", "APMBT", D("2026-03-01"), facts=facts).to_json()
    assert data["status"] == "party" and data["contested_acts"][0]["objections"]
    assert all(set(e) >= {"kind", "source_url", "date"} for e in data["evidence"])


def test_the_profile_plot_changes_status_at_a_month_dated_step(facts: Facts) -> None:
    """A withdrawal notified "in August 2025" is certain once August is over: the engine says
    withdrawing on its last day (a step is reached on the last day it may fall on) and uncertain
    before it, and the bars change on that same day."""
    from xml.etree import ElementTree

    from treatywatch.status.report import build_profile

    notified = [claim(date="2025-08")]
    assert status("BRA", "APMBT", D("2025-08-31"), facts=facts, claims=notified).status == "withdrawing"
    assert status("BRA", "APMBT", D("2025-08-30"), facts=facts, claims=notified).uncertain
    profile = build_profile("BRA", D("2025-12-01"), facts=facts, claims=notified)
    svg = "{http://www.w3.org/2000/svg}"
    bars = [r.find(f"{svg}title").text for r in ElementTree.fromstring(profile.timeline_recent).iter(f"{svg}rect")]
    assert any(t.startswith("withdrawing: 2025-08-31 to ") for t in bars)
