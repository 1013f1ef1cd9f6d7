"""Dates at their grain: strict parsing, the days they stand for, and the string bounds kb uses."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treatywatch.dates import GrainDate, parse_day, parse_grain_date

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def grain_dates(draw: st.DrawFn) -> GrainDate:
    day = draw(days)
    text = draw(st.sampled_from([day.isoformat(), day.isoformat()[:7], day.isoformat()[:4]]))
    return GrainDate.parse(text)


@pytest.mark.parametrize(
    ("text", "grain", "first", "last"),
    [
        ("2026", "year", date(2026, 1, 1), date(2026, 12, 31)),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-03-15", "day", date(2026, 3, 15), date(2026, 3, 15)),
        (" 2025-08 ", "month", date(2025, 8, 1), date(2025, 8, 31)),
    ],
)
def test_a_date_stands_for_the_days_of_its_grain(text: str, grain: str, first: date, last: date) -> None:
    parsed = GrainDate.parse(text)
    assert (parsed.grain, parsed.first, parsed.last, str(parsed)) == (grain, first, last, text.strip())


@pytest.mark.parametrize(
    "text",
    ["9999-99-99", "2026-13", "2026-02-30", "2025-00", "0000", "26", "2026-3", "2026/03/15", "20260315",
     "2026-W11-1", "2026-03-15T10:00", "٢٠٢٦", "last week", ""],
)
def test_only_real_dates_at_some_grain_are_accepted(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        GrainDate.parse(text)


def test_a_status_day_must_be_a_whole_day() -> None:
    assert parse_day("2026-01-01") == date(2026, 1, 1)
    with pytest.raises(ValueError, match="not a day"):
        parse_day("2026-01")
    assert parse_grain_date(None) is None
    assert parse_grain_date("2026") == GrainDate.parse("2026")


def test_overlap_is_what_two_reports_of_one_date_share() -> None:
    month = GrainDate.parse("2025-08")
    assert month.overlaps(GrainDate.parse("2025-08-20")) and month.overlaps(GrainDate.parse("2025"))
    assert not month.overlaps(GrainDate.parse("2025-09"))
    assert GrainDate.of_day(date(2025, 8, 20)).exact and not month.exact


@given(grain_dates(), grain_dates())
def test_since_bounds_on_stored_text_agree_with_the_days(stored: GrainDate, bound: GrainDate) -> None:
    lower, coarser = bound.since_texts()
    assert (stored.text >= lower or stored.text in coarser) == stored.may_be_on_or_after(bound)


@given(grain_dates(), grain_dates())
def test_until_bound_on_stored_text_agrees_with_the_days(stored: GrainDate, bound: GrainDate) -> None:
    assert (stored.text <= bound.until_text()) == stored.may_be_on_or_before(bound)


@given(days, st.times(), grain_dates())
def test_publication_moments_compare_by_their_day(day: date, moment: time, bound: GrainDate) -> None:
    for published in (day.isoformat(), f"{day.isoformat()}T{moment.isoformat()}+00:00"):
        assert (published >= bound.since_texts()[0]) == (day >= bound.first)
        assert (published < bound.before_text()) == (day <= bound.last)
