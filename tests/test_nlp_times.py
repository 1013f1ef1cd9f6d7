"""Time expressions resolved against the publication date, keeping their grain."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nlp_helpers import run

from treatywatch.nlp import timeresolve as tr


def times(text: str, published: str | None = "2025-12-17") -> list[tuple[str, str, str]]:
    return [(t.text, t.value, t.grain) for t in run(text, published).times]


@pytest.mark.parametrize(("text", "value"), [
    ("The treaty was signed on 18 December 2024 in Geneva.", "2024-12-18"),
    ("The treaty was signed on December 18, 2024 in Geneva.", "2024-12-18"),
    ("The treaty was signed on Dec. 18, 2024 in Geneva.", "2024-12-18"),
    ("The treaty was signed on 2024-12-18 in Geneva.", "2024-12-18"),
    ("The treaty was signed on 18.12.2024 in Geneva.", "2024-12-18"),
    ("The treaty was signed on 18/12/2024 in Geneva.", "2024-12-18"),
    ("The treaty was signed on the 18th of December 2024 in Geneva.", "2024-12-18"),
])
def test_full_dates_in_common_formats(text: str, value: str) -> None:
    found = run(text).times
    assert [(t.value, t.grain, t.relative) for t in found] == [(value, "day", False)]


def test_next_year_in_a_december_article_is_the_following_year() -> None:
    assert times("Production will start next year.", "2025-12-18") == [("next year", "2026", "year")]


def test_relative_years_and_months() -> None:
    found = times("Earlier this year it voted; last month it notified the UN and last year it "
                  "debated. Next month it will decide.", "2025-03-10")
    assert found == [("Earlier this year", "2025", "year"), ("last month", "2025-02", "month"),
                     ("last year", "2024", "year"), ("Next month", "2025-04", "month")]


def test_on_friday_before_publication() -> None:
    # 2025-12-17 is a Wednesday: "on Friday" in the past tense is 2025-12-12.
    assert times("The minister said on Friday that the plan stood.") == [("Friday", "2025-12-12", "day")]


def test_on_friday_with_future_verb_is_after_publication() -> None:
    assert times("The parliament will vote on Friday.") == [("Friday", "2025-12-19", "day")]


def test_weekday_of_publication_is_that_day() -> None:
    assert times("Zalewski said on Wednesday that the plant was ready.") == [("Wednesday", "2025-12-17", "day")]


def test_in_august_past_versus_future() -> None:
    assert times("Poland notified the UN in August.", "2025-06-10") == [("August", "2024-08", "month")]
    assert times("Poland will notify the UN in August.", "2025-06-10") == [("August", "2025-08", "month")]
    assert times("Poland plans to notify the UN in August.", "2025-06-10") == [("August", "2025-08", "month")]


def test_day_and_month_without_year_follow_the_tense() -> None:
    assert times("The exit takes effect on Feb. 20.") == [("Feb. 20", "2026-02-20", "day")]
    assert times("Lithuania deposited the instrument on 27 June.") == [("27 June", "2025-06-27", "day")]


def test_decades_and_years() -> None:
    found = times("Mines were made in the mid-1980s and the '90s; Poland signed in 1997 and ratified "
                  "it in 2012.")
    assert found == [("the mid-1980s", "1980s", "decade"), ("the '90s", "1990s", "decade"),
                     ("1997", "1997", "year"), ("2012", "2012", "year")]


def test_month_and_year() -> None:
    assert times("The law passed in March 2025.") == [("March 2025", "2025-03", "month")]


def test_durations_and_numbers_are_not_dates() -> None:
    text = ("The withdrawal takes effect after a six-month period. It lasted for three years. "
            "Belma made 2000 mines under Article 2024 and spent $2025 on it; 1,998 people fled.")
    assert times(text) == []


def test_modal_may_is_not_a_month() -> None:
    assert times("Poland may leave the treaty, and it may do so soon.") == []


def test_ago_expressions() -> None:
    assert times("Two years ago Finland joined.", "2025-12-17") == [("Two years ago", "2023", "year")]


def test_relative_dates_need_a_publication_date() -> None:
    found = run("Next year it will start; it signed in 1997.", None).times
    assert [(t.value, t.relative) for t in found] == [("1997", False)]


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
       st.integers(0, 6), st.booleans())
def test_weekday_resolution_is_within_a_week_in_the_tense_direction(
        published: dt.date, weekday: int, future: bool) -> None:
    value = dt.date.fromisoformat(tr.weekday_value(weekday, published, future))
    assert value.weekday() == weekday
    assert 0 <= (value - published).days <= 6 if future else 0 <= (published - value).days <= 6


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
       st.integers(1, 12), st.booleans())
def test_month_resolution_is_within_a_year(published: dt.date, month: int, future: bool) -> None:
    year, got_month = map(int, tr.month_value(month, published, future).split("-"))
    distance = (year * 12 + got_month) - (published.year * 12 + published.month)
    assert got_month == month
    assert 0 <= distance <= 11 if future else -11 <= distance <= 0


def test_year_ranges_give_both_years() -> None:
    assert times("The pandemic of 2009-2010 and the expedition of 1957-58 were long ago.") == [
        ("2009", "2009", "year"), ("2010", "2010", "year"), ("1957", "1957", "year"), ("58", "1958", "year")]


def test_infinitive_of_purpose_is_future_but_completed_attempts_are_past() -> None:
    assert times("Microsoft said it has picked three firms for the program to run through June.",
                 "2013-03-18") == [("June", "2013-06", "month")]
    assert times("BP agreed to sell its stake in October.", "2013-03-22") == [("October", "2012-10", "month")]


@pytest.mark.parametrize(("text", "value"), [
    ("The withdrawal is taking effect on Feb. 20.", "2026-02-20"),
    ("The government proposed the withdrawal in March.", "2025-03"),
    ("The move follows a ratification in March.", "2025-03"),
    ("Poland is the fifth country to leave, after Finland in January.", "2025-01"),
    ("Lithuania left last July.", "2025-07"),
])
def test_tense_of_the_governing_verb(text: str, value: str) -> None:
    assert [t.value for t in run(text, "2025-12-17").times] == [value]


def test_end_of_the_decade() -> None:
    assert times("Output will double by the end of the decade.", "2025-10-08") == [
        ("the end of the decade", "2020s", "decade")]


def test_next_morning_and_day_before_count_from_the_last_named_day() -> None:
    text = "On 9 November the patrol found the fence cut. The next morning a mine went off. The day before, guards had left."
    assert times(text)[1:] == [("The next morning", "2025-11-10", "day"), ("The day before", "2025-11-08", "day")]


def test_day_before_with_no_earlier_date_counts_from_publication() -> None:
    assert times("The day before, the ministers met in Riga.") == [("The day before", "2025-12-16", "day")]
