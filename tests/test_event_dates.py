"""Event dates: a coarse date completed by a finer one next to it, re-anchoring by tense."""

from __future__ import annotations

from datetime import date

from nlp_helpers import run

from treatywatch.events import detect_events
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



def _dates(text: str) -> list[tuple[str, str | None]]:
    return [(e.type, e.date) for e in detect_events(run(text, "2025-10-02"))]


def test_sole_date_of_the_clause_dates_a_deeper_event() -> None:
    assert ("treaty_withdrawal_notified", "2025-08") in _dates(
        "Poland withdrew its signature plans. Warsaw told the United Nations of its decision to leave the Mine Ban Treaty in August.")
