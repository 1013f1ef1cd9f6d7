"""Date arithmetic for time expressions: calendar values kept at their grain.

dateparser is not used for relative expressions on purpose: it resolves "in August" or "on
Friday" by a fixed preference (always past, or always future) instead of by the tense of the
sentence, it has no notion of grain ("next year" comes back as a full datetime a year from now),
and its search mode mistakes modal "may" or ordinal words for dates. These rules are small and
fully determined by the publication date and the verb.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import dateparser


def parse_published(value: str | None) -> dt.date | None:
    """The publication date of an article (ISO date or datetime), or None if unknown/invalid."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def format_value(grain: str, year: int, month: int = 1, day: int = 1) -> str:
    if grain == "year":
        return f"{year:04d}"
    if grain == "month":
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def relative_value(unit: str, offset: int, published: dt.date) -> tuple[str, str]:
    """Value and grain of "next year", "last month", "yesterday" and the like."""
    if unit == "decade":
        return f"{(published.year // 10 + offset) * 10}s", "decade"
    if unit == "year":
        return format_value("year", published.year + offset), "year"
    if unit == "month":
        year, month = shift_month(published.year, published.month, offset)
        return format_value("month", year, month), "month"
    day = published + dt.timedelta(days=offset)
    return day.isoformat(), "day"


def month_value(month: int, published: dt.date, future: bool, strict: bool = False) -> str:
    """The most recent (or, for future sentences, the next) given month around publication."""
    year = published.year
    if future and (month < published.month or (strict and month == published.month)):
        year += 1
    if not future and (month > published.month or (strict and month == published.month)):
        year -= 1
    return format_value("month", year, month)


def weekday_value(weekday: int, published: dt.date, future: bool, strict: bool = False) -> str:
    """The weekday on/before publication, or on/after it when the verb is future."""
    if future:
        delta = (weekday - published.weekday()) % 7
        if strict and delta == 0:
            delta = 7
        return (published + dt.timedelta(days=delta)).isoformat()
    delta = (published.weekday() - weekday) % 7
    if strict and delta == 0:
        delta = 7
    return (published - dt.timedelta(days=delta)).isoformat()


def day_month_value(day: int, month: int, published: dt.date, future: bool) -> str | None:
    """A day and month without a year: the nearest occurrence before (or, future, after) publication."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if future:
        later = [c for c in candidates if c >= published]
        return min(later).isoformat() if later else None
    earlier = [c for c in candidates if c <= published]
    return max(earlier).isoformat() if earlier else None


@lru_cache(maxsize=2048)
def parse_absolute(text: str) -> str | None:
    """A full calendar date in any common written format, via dateparser (day-first order).

    dateparser is worth its cost here: numeric dates (18.12.2025, 18/12/2025), abbreviated and
    ordinal month forms ("Sept. 18th, 2025") and stray punctuation are many small formats.
    """
    parsed = dateparser.parse(text, languages=["en"], settings={
        "DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": True,
        "REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date().isoformat() if parsed else None
