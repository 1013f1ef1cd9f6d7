"""Date arithmetic as treaties word it, and dates that keep their grain.

Treaties count time in calendar months ("six months after the receipt"), in days ("90 days
after") or in "the first day of the sixth month after the month of deposit" (APMBT art. 17(2),
CCM art. 17(2)). The functions here are that arithmetic and nothing else, so property tests can
pin them down.

End-of-month convention (documented and tested): adding calendar months keeps the day of the
month; when the target month is shorter (31 August + 6 months), the result is the last day of
the target month (28 or 29 February). No treaty in the reference data states otherwise, and no
reference withdrawal falls on such a day.

A `DateSpan` is the interval of days a step could have happened on: a date as sources give it
(parsed as a `treatywatch.dates.GrainDate`: a day, a month or only a year), a "by then" date of
the reference snapshot, or a range the rules compute from an imprecise date. Status questions on
a day inside that interval have no certain answer and are flagged as such.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from treatywatch.dates import GrainDate, last_day_of_month

MIN_DATE = date(1900, 1, 1)


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def add_months(day: date, months: int) -> date:
    """`day` plus calendar months, clamped to the last day of a shorter target month."""
    year, month = _shift_month(day.year, day.month, months)
    return date(year, month, min(day.day, last_day_of_month(year, month)))


def first_day_of_nth_month_after(day: date, months: int) -> date:
    """First day of the `months`-th month after the month of `day` (APMBT/CCM art. 17(2))."""
    year, month = _shift_month(day.year, day.month, months)
    return date(year, month, 1)


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


@dataclass(frozen=True)
class DateSpan:
    """A date with its grain: the first and last day it can stand for."""

    text: str
    grain: str  # day | month | year | not_after
    earliest: date
    latest: date

    @classmethod
    def parse(cls, text: str, grain: str | None = None) -> DateSpan:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; grain ``not_after`` means "by then"."""
        parsed = GrainDate.parse(text)
        if grain == "not_after":
            return cls(parsed.text, "not_after", MIN_DATE, parsed.last)
        return cls(parsed.text, parsed.grain, parsed.first, parsed.last)

    @classmethod
    def of_day(cls, day: date) -> DateSpan:
        return cls(day.isoformat(), "day", day, day)

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    def reached(self, on: date) -> bool | None:
        """True if the step certainly happened by `on`, False if certainly not, None if unknown."""
        if self.latest <= on:
            return True
        if self.earliest > on:
            return False
        return None

    def compatible(self, other: DateSpan) -> bool:
        """Two reports of one step agree when their intervals overlap (2025-08 vs 2025-08-20)."""
        return self.earliest <= other.latest and other.earliest <= self.latest

    def label(self) -> str:
        if self.grain == "not_after":
            return f"by {self.text}"
        return self.text

    def map(self, fn: Callable[[date], date]) -> DateSpan:
        """Apply a monotone date rule to both ends (an imprecise deposit gives an imprecise EIF)."""
        lo, hi = fn(self.earliest), fn(self.latest)
        if lo == hi:
            return DateSpan.of_day(lo)
        if self.grain == "not_after":
            return DateSpan(hi.isoformat(), "not_after", lo, hi)
        return DateSpan(f"{lo.isoformat()}..{hi.isoformat()}", "range", lo, hi)
