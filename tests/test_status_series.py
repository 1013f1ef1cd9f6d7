"""States Parties over time: the change-point series equals `status_for_treaty` day by day.

`treaty_history` asks the engine only on the days a state's status can change; these tests hold
it to the answer of a whole `status_for_treaty` on sampled days (the shortcut must be exact),
with and without claims, and pin what it costs in engine calls.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treatywatch.errors import InputError
from treatywatch.status import engine, status_for_treaty
from treatywatch.status.model import Facts
from treatywatch.status.reference import load_facts
from treatywatch.status.series import (
    SERIES_COLUMNS,
    TreatyHistory,
    count_points,
    sample_days,
    series_csv,
    treaty_history,
)

D = date.fromisoformat
START, END = D("1999-03-01"), D("2026-12-31")


def claim(n: int, iso3: str, kind: str, day: str, review: str = "accepted", treaty: str = "APMBT") -> dict[str, Any]:
    return {"id": f"c{n}", "type": kind, "actor_iso3": iso3, "treaty": treaty, "date": day,
            "modality": "asserted", "review_state": review, "sentence": f"{iso3} {kind} {day}.",
            "source_url": f"https://news.example/{n}", "outlet": "news.example"}


# Claims that move statuses in every way the engine knows: a computed effective date, a
# withdrawal held by the armed-conflict clause, a month-dated step (uncertain for a month), a
# state only claims name, and claims that must not count (unreviewed, rejected).
CLAIMS = [
    claim(1, "HUN", "treaty_withdrawal_notified", "2026-04-02"),
    claim(2, "UKR", "treaty_withdrawal_notified", "2026-03-10"),
    claim(3, "CHE", "treaty_withdrawal_notified", "2026-05"),
    claim(4, "TWN", "treaty_joined", "2026-02-02"),
    claim(5, "FRA", "treaty_withdrawal_notified", "2026-07-01", review="new"),
    claim(6, "NOR", "treaty_withdrawal_notified", "2026-01-05", review="rejected"),
    claim(7, "USA", "treaty_joined", "2024-11", treaty="CCM"),
]


@pytest.fixture(scope="module")
def facts() -> Facts:
    return load_facts()


@pytest.fixture(scope="module")
def plain(facts: Facts) -> TreatyHistory:
    return treaty_history("APMBT", START, END, claims=[], facts=facts)


@pytest.fixture(scope="module")
def with_claims(facts: Facts) -> TreatyHistory:
    return treaty_history("APMBT", START, END, claims=CLAIMS, facts=facts)


def _same_as_engine(history: TreatyHistory, day: date, facts: Facts, claims: list[dict[str, Any]]) -> None:
    answer = status_for_treaty("APMBT", day, claims=claims, facts=facts)
    point = history.on(day)
    assert (dict(point.counts), point.states_parties, point.uncertain) == \
        (dict(answer.counts), answer.states_parties, len(answer.uncertain)), day


def _edges(history: TreatyHistory) -> list[date]:
    """Every change day the history found, and the day before it: where an off-by-one shows."""
    return sorted({d for p in history.points for d in (p.on, p.on - timedelta(days=1)) if START <= d <= END})


@settings(max_examples=25, deadline=None)
@given(st.dates(min_value=START, max_value=END))
def test_series_equals_status_for_treaty_on_any_day(plain: TreatyHistory, facts: Facts, day: date) -> None:
    _same_as_engine(plain, day, facts, [])


@settings(max_examples=25, deadline=None)
@given(st.dates(min_value=D("2024-06-01"), max_value=END))
def test_series_with_claims_equals_status_for_treaty_on_any_day(with_claims: TreatyHistory, facts: Facts,
                                                                day: date) -> None:
    _same_as_engine(with_claims, day, facts, CLAIMS)


def test_series_equals_status_for_treaty_on_each_change_and_the_day_before(
        with_claims: TreatyHistory, facts: Facts) -> None:
    days = [d for d in _edges(with_claims) if d >= D("2025-01-01")]
    assert D("2026-02-20") in days and D("2026-09-10") in days  # Poland leaves; Ukraine's notice ends
    for day in days:
        _same_as_engine(with_claims, day, facts, CLAIMS)


def test_series_equals_status_for_treaty_on_every_day_around_the_withdrawals(
        with_claims: TreatyHistory, facts: Facts) -> None:
    """Day by day, independently of the change days the history found."""
    for first, last in ((D("2025-12-24"), D("2026-01-12")), (D("2026-02-17"), D("2026-02-23"))):
        day = first
        while day <= last:
            _same_as_engine(with_claims, day, facts, CLAIMS)
            day += timedelta(days=1)


def test_claims_move_the_series_as_the_engine_reads_them(plain: TreatyHistory, with_claims: TreatyHistory) -> None:
    assert plain.on(D("2026-12-31")).counts["pending_armed_conflict"] == 0
    late = with_claims.on(D("2026-12-31"))
    assert late.counts["pending_armed_conflict"] == 1  # Ukraine, held by Art. 20(3)
    # Hungary (computed 2026-10-02) and Switzerland (2026-11, from a notice dated 2026-05)
    assert late.counts["withdrawn"] == plain.on(D("2026-12-31")).counts["withdrawn"] + 2
    assert with_claims.on(D("2026-05-15")).uncertain == plain.on(D("2026-05-15")).uncertain + 1  # Switzerland
    summer = with_claims.on(D("2026-08-01"))
    assert summer.counts["withdrawing"] == plain.on(D("2026-08-01")).counts["withdrawing"] + 3  # HUN, UKR, CHE
    # ... and Taiwan, known only from a claim, is in force for itself from 1 August (Art. 17(2))
    assert summer.counts["party"] == plain.on(D("2026-08-01")).counts["party"] - 3 + 1


def test_history_starts_with_the_first_day_and_ends_with_the_last(plain: TreatyHistory) -> None:
    assert plain.points[0].on == START
    assert all(a.on < b.on for a, b in zip(plain.points, plain.points[1:], strict=False))
    assert plain.on(END).on == END
    with pytest.raises(ValueError):
        plain.on(END + timedelta(days=1))


def test_monthly_sample_reads_the_history(plain: TreatyHistory) -> None:
    points = plain.sample("month")
    assert len(points) == 335 and points[0].on == START and points[-1].on == END
    assert points[1].on == D("1999-04-01") and points[-2].on == D("2026-12-01")
    for point in points:
        assert point == plain.on(point.on)


def test_a_series_costs_a_few_whole_treaty_answers_not_one_per_point(facts: Facts,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = engine.status

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "status", counted)
    monkeypatch.setattr("treatywatch.status.series.status", counted)
    history = treaty_history("APMBT", START, END, claims=CLAIMS, facts=facts)
    months = len(history.sample("month"))
    states = len(facts.states) + 1  # Taiwan comes from a claim
    assert months == 335
    assert len(calls) < 4 * states < months * states


def test_sample_days_count_calendar_months_from_the_start() -> None:
    assert sample_days(D("2026-01-31"), D("2026-05-01"), "month") == [
        D("2026-01-31"), D("2026-02-28"), D("2026-03-31"), D("2026-04-30"), D("2026-05-01")]
    assert sample_days(D("2026-01-01"), D("2026-01-15"), "week") == [
        D("2026-01-01"), D("2026-01-08"), D("2026-01-15")]
    assert sample_days(D("2026-01-01"), D("2026-01-01"), "year") == [D("2026-01-01")]
    with pytest.raises(ValueError):
        sample_days(D("2026-01-01"), D("2026-02-01"), "fortnight")


@pytest.mark.parametrize("step", ["day", "week", "month", "quarter", "year"])
def test_count_points_is_never_below_the_real_count(step: str) -> None:
    start, end = D("1999-03-31"), D("2026-12-31")
    assert count_points(start, end, step) >= len(sample_days(start, end, step))


def test_a_history_refuses_days_it_cannot_reach(facts: Facts) -> None:
    with pytest.raises(InputError):
        treaty_history("APMBT", D("2026-01-01"), D("2025-01-01"), claims=[], facts=facts)
    with pytest.raises(InputError):
        treaty_history("APMBT", D("1800-01-01"), D("2025-01-01"), claims=[], facts=facts)


def test_default_range_runs_from_entry_into_force_to_today(facts: Facts) -> None:
    history = treaty_history("Ottawa Convention", claims=[], facts=facts)
    assert (history.treaty, history.start, history.end) == ("APMBT", D("1999-03-01"), date.today())


def test_csv_has_one_row_per_point_and_every_status(plain: TreatyHistory) -> None:
    lines = series_csv(plain.sample("year")).splitlines()
    assert lines[0].split(",") == list(SERIES_COLUMNS)
    assert len(lines) == 1 + len(plain.sample("year"))
    assert lines[-1].startswith(f"{END.isoformat()},{plain.on(END).states_parties},")
