"""Event dates: a coarse date completed by a finer one next to it, re-anchoring by tense."""

from __future__ import annotations

from datetime import date

from treatywatch.events.eventdates import _finer_neighbour, reanchor
from treatywatch.models import TimeExpr


def test_year_next_to_a_day_takes_the_day() -> None:
    # "deposited earlier this year on 26 June": 'on' stands between the two expressions
    year = TimeExpr("earlier this year", (10, 27), "2025", "year", True)
    day = TimeExpr("26 June", (31, 38), "2025-06-26", "day", True)
    assert _finer_neighbour(year, (year, day)).value == "2025-06-26"


def test_distant_day_does_not_complete_a_year() -> None:
    year = TimeExpr("this year", (10, 19), "2025", "year", True)
    day = TimeExpr("26 June", (60, 67), "2025-06-26", "day", True)
    assert _finer_neighbour(year, (year, day)).value == "2025"


def test_month_in_a_future_clause_is_the_next_one() -> None:
    august = TimeExpr("in August", (0, 9), "2025-08", "month", True)
    assert reanchor(august, date(2025, 10, 2), "future") == "2026-08"
    assert reanchor(august, date(2025, 10, 2), "past") == "2025-08"
