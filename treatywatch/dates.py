"""Dates at their grain: a year (2026), a month (2026-03) or a day (2026-03-15).

docs/contracts.md#dates-keep-their-grain: a date keeps its grain. Sources, claims, corrections and filters (``--since``,
``--until``, ``?since=``, ``?until=``, ``--on``) all speak in such dates, so they are parsed,
validated and compared here, once. A `GrainDate` is the interval of days it stands for, from
`first` to `last`; two dates agree when their intervals overlap, and a filter keeps a date
that *may* fall on its side of the bound (``until=2026-03`` keeps 2026-03-15 and 2026, not
2026-04).

The knowledge base stores these dates as text ("2026", "2026-03", "2026-03-15") and publication
dates as ISO dates or datetimes. `GrainDate` gives the string bounds that select them with plain
comparisons, so a date index still serves the query (see `since_texts`, `until_text` and
`before_text`); `kb` turns them into SQL.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Grain = Literal["year", "month", "day"]
_GRAIN_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
GRAIN_FORMATS = "YYYY, YYYY-MM or YYYY-MM-DD"


def last_day_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True)
class GrainDate:
    """A real calendar date at some grain: the text as written and the days it can stand for."""

    text: str
    grain: Grain
    first: date
    last: date

    @classmethod
    def parse(cls, text: str) -> GrainDate:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, a real date (no month 13, no 30 February).

        Raises ValueError naming the text otherwise. Surrounding white space is ignored.
        """
        value = text.strip()
        match = _GRAIN_DATE.fullmatch(value)
        if not match:
            raise ValueError(f"not a date ({GRAIN_FORMATS}): {text!r}")
        year, month, day = match.groups()
        try:
            if day:
                first = last = date(int(year), int(month), int(day))
                return cls(value, "day", first, last)
            if month:
                y, m = int(year), int(month)
                return cls(value, "month", date(y, m, 1), date(y, m, last_day_of_month(y, m)))
            return cls(value, "year", date(int(year), 1, 1), date(int(year), 12, 31))
        except ValueError:
            raise ValueError(f"not a real date: {text!r}") from None

    @classmethod
    def of_day(cls, day: date) -> GrainDate:
        return cls(day.isoformat(), "day", day, day)

    def __str__(self) -> str:
        return self.text

    @property
    def exact(self) -> bool:
        """True for a single day."""
        return self.first == self.last

    def overlaps(self, other: GrainDate) -> bool:
        """Both may be the same day: 2025-08 and 2025-08-20 overlap, 2025-08 and 2025-09 do not."""
        return self.first <= other.last and other.first <= self.last

    def may_be_on_or_after(self, bound: GrainDate) -> bool:
        """What ``since=bound`` keeps: some day of this date is on or after the bound's first day."""
        return self.last >= bound.first

    def may_be_on_or_before(self, bound: GrainDate) -> bool:
        """What ``until=bound`` keeps: some day of this date is on or before the bound's last day."""
        return self.first <= bound.last

    # --- string bounds for dates stored as text ------------------------------------------------

    def since_texts(self) -> tuple[str, tuple[str, ...]]:
        """For ``since``: a stored date ``d`` (at any grain) may be on or after this date when
        ``d >= lower`` or ``d`` is one of the coarser dates that contain the first day (the year
        and the month: "2026-03" may be on or after 2026-03-15, yet sorts before it)."""
        lower = self.first.isoformat()
        return lower, (lower[:4], lower[:7])

    def until_text(self) -> str:
        """For ``until``: a stored date ``d`` (at any grain) may be on or before this date when
        ``d <= upper``; a coarser date sorts before its own first day, so one comparison does."""
        return self.last.isoformat()

    def before_text(self) -> str:
        """For ``until`` on a date-or-datetime column (publication dates): ``value < this`` keeps
        every moment of the last day ("2026-03-31T23:00" included)."""
        return (self.last + timedelta(days=1)).isoformat()


def parse_grain_date(value: str | GrainDate | None) -> GrainDate | None:
    """A filter value as given (text, already parsed, or absent) as a `GrainDate` or None."""
    if value is None or isinstance(value, GrainDate):
        return value
    return GrainDate.parse(value)


def parse_day(text: str) -> date:
    """A full day, ``YYYY-MM-DD``, strictly (the date a status is asked about, for example)."""
    parsed = GrainDate.parse(text)
    if parsed.grain != "day":
        raise ValueError(f"not a day (YYYY-MM-DD): {text!r}")
    return parsed.first
