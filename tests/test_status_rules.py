"""Date rules of the status engine: calendar months, art. 17 entry into force, grains."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treatywatch.status.reference import load_facts
from treatywatch.status.rules import DateSpan, add_months, first_day_of_nth_month_after
from treatywatch.status.treaties import (
    eif_for_deposit,
    find_treaty,
    load_treaties,
    withdrawal_notice_end,
)

days = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
TREATIES = load_treaties()


@given(days, st.integers(min_value=-240, max_value=240))
def test_add_months_moves_the_calendar_month_and_keeps_or_clamps_the_day(day: date, n: int) -> None:
    result = add_months(day, n)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == n
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)


@given(days, days, st.integers(min_value=0, max_value=36))
def test_add_months_is_monotone(a: date, b: date, n: int) -> None:
    lo, hi = sorted((a, b))
    assert add_months(lo, n) <= add_months(hi, n)


@given(days.filter(lambda d: d.day <= 28), st.integers(min_value=1, max_value=60))
def test_add_months_is_reversible_when_no_clamping_happens(day: date, n: int) -> None:
    assert add_months(add_months(day, n), -n) == day


@given(days)
def test_six_months_is_between_181_and_184_days(day: date) -> None:
    assert 181 <= (add_months(day, 6) - day).days <= 184


@pytest.mark.parametrize(
    ("notified", "effective"),
    [
        ("2025-08-31", "2026-02-28"),  # end of month: 31 Aug + 6 months, no 31 Feb
        ("2023-08-31", "2024-02-29"),  # leap year
        ("2025-03-31", "2025-09-30"),
        ("2025-08-30", "2026-02-28"),
        ("2025-02-28", "2025-08-28"),  # a short month's last day is not moved to the 31st
        ("2025-08-20", "2026-02-20"),  # Poland
        ("2025-06-27", "2025-12-27"),  # the Baltic states
        ("2025-07-10", "2026-01-10"),  # Finland
        ("2024-09-06", "2025-03-06"),  # Lithuania, CCM
    ],
)
def test_six_month_withdrawal_dates(notified: str, effective: str) -> None:
    rule = withdrawal_notice_end(TREATIES["APMBT"])
    assert rule(date.fromisoformat(notified)) == date.fromisoformat(effective)


def test_notice_in_days_and_years() -> None:
    assert withdrawal_notice_end(TREATIES["ATT"])(date(2025, 1, 1)) == date(2025, 4, 1)
    assert withdrawal_notice_end(TREATIES["CCW"])(date(2024, 2, 29)) == date(2025, 2, 28)
    assert withdrawal_notice_end(TREATIES["NPT"])(date(2025, 11, 30)) == date(2026, 2, 28)


@given(days, st.integers(min_value=1, max_value=24))
def test_first_day_of_nth_month_after(day: date, n: int) -> None:
    result = first_day_of_nth_month_after(day, n)
    assert result.day == 1 and result > day
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == n
    assert result == first_day_of_nth_month_after(day.replace(day=1), n)


@pytest.mark.parametrize(
    ("treaty", "deposit", "in_force"),
    [
        ("APMBT", "2012-12-27", "2013-06-01"),  # Poland (README example)
        ("APMBT", "2025-03-12", "2025-09-01"),  # Marshall Islands (README example)
        ("APMBT", "2025-06-25", "2025-12-01"),  # Tonga
        ("APMBT", "1998-09-16", "1999-03-01"),  # the 40th instrument
        ("APMBT", "1998-07-01", "1999-03-01"),  # before the treaty's own entry into force
        ("APMBT", "1998-10-02", "1999-04-01"),  # after the 40th: art. 17(2)
        ("CCM", "2010-02-16", "2010-08-01"),
        ("CCM", "2025-09-05", "2026-03-01"),  # Vanuatu
        ("ATT", "2025-01-01", "2025-04-01"),
        ("BWC", "2025-05-05", "2025-05-05"),
    ],
)
def test_entry_into_force_for_a_deposit(treaty: str, deposit: str, in_force: str) -> None:
    assert eif_for_deposit(TREATIES[treaty])(date.fromisoformat(deposit)) == date.fromisoformat(in_force)


@given(days)
def test_entry_into_force_is_never_before_the_treaty_or_the_deposit(deposit: date) -> None:
    for treaty in TREATIES.values():
        result = eif_for_deposit(treaty)(deposit)
        assert result >= deposit
        assert treaty.entry_into_force is None or result >= treaty.entry_into_force


def test_the_rule_reproduces_every_reported_deposit_and_entry_into_force_pair() -> None:
    facts = load_facts()
    pairs = 0
    for (treaty, _iso3), steps in facts.steps.items():
        deposits = [s for s in steps if s.step == "consent" and s.date.exact and s.kind == "reference"]
        reported = [s for s in steps if s.step == "entry_into_force" and s.date.exact
                    and s.kind == "reference" and "reported" in s.note]
        if deposits and reported:
            pairs += 1
            rule = eif_for_deposit(facts.treaties[treaty])
            assert rule(deposits[0].date.earliest) == reported[0].date.earliest
    assert pairs >= 15


@pytest.mark.parametrize(
    ("text", "grain", "first", "last"),
    [
        ("2026", "year", "2026-01-01", "2026-12-31"),
        ("2024-02", "month", "2024-02-01", "2024-02-29"),
        ("2025-08-20", "day", "2025-08-20", "2025-08-20"),
    ],
)
def test_date_spans_keep_their_grain(text: str, grain: str, first: str, last: str) -> None:
    span = DateSpan.parse(text)
    assert (span.grain, span.earliest.isoformat(), span.latest.isoformat()) == (grain, first, last)


@pytest.mark.parametrize("bad", ["2025-13", "2025-02-30", "20250820", "August 2025", ""])
def test_bad_dates_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="date|month"):
        DateSpan.parse(bad)


@given(days, days, days)
def test_span_reached_is_true_false_or_unknown(a: date, b: date, on: date) -> None:
    lo, hi = sorted((a, b))
    span = DateSpan(f"{lo}..{hi}", "range", lo, hi)
    reached = span.reached(on)
    assert reached is (True if hi <= on else False if lo > on else None)


@given(days, days)
def test_compatibility_is_symmetric_and_a_day_agrees_with_its_year(a: date, b: date) -> None:
    x, y = DateSpan.of_day(a), DateSpan.of_day(b)
    assert x.compatible(y) == y.compatible(x) == (a == b)
    assert DateSpan.parse(str(a.year)).compatible(x)
    assert DateSpan.parse(f"{a.year}-{a.month:02d}").compatible(x)


@given(days, st.integers(min_value=0, max_value=400))
def test_an_imprecise_deposit_gives_an_interval_of_entry_into_force(day: date, width: int) -> None:
    span = DateSpan(f"{day}..", "range", day, day + timedelta(days=width))
    result = span.map(eif_for_deposit(TREATIES["APMBT"]))
    assert result.earliest <= result.latest
    assert result.earliest == eif_for_deposit(TREATIES["APMBT"])(span.earliest)


def test_treaties_are_found_by_alias() -> None:
    assert find_treaty(TREATIES, "ottawa convention").id == "APMBT"
    assert find_treaty(TREATIES, "Oslo Convention").id == "CCM"
    assert find_treaty(TREATIES, "nothing") is None
