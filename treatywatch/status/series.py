"""States parties over time: the counts of `status_for_treaty` on every day of a range, at once.

A state's status can change only on a day where a date span it turns on begins or ends; the
engine lists those days on each answer (`StatusResult.changes`). So `treaty_history` asks
`status_for_treaty` once, on the first day, then asks the engine again only for each state on
each of its own change days inside the range, and sweeps those changes in date order. The
counts on any day are those after the last change on or before it, which is exactly what
`status_for_treaty` answers for that day (a test holds it so), for the price of a few hundred
one-state answers instead of a whole treaty per day: 330 monthly points cost about as much as
three whole-treaty answers.

`TreatyHistory.points` is the exact step function (a point on the first day and on every day a
count changes), which a chart draws as is; `TreatyHistory.sample` reads it on regular days
(``day``, ``week``, ``month``, ``quarter``, ``year``) for the API, the CLI and exports.
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from typing import Any, Literal, get_args

from treatywatch.errors import InputError
from treatywatch.status.engine import status
from treatywatch.status.model import STATES_PARTIES, STATUSES, Facts, StatusResult
from treatywatch.status.questions import Claims, TreatyStatus, resolve_treaty, status_for_treaty
from treatywatch.status.reference import load_facts
from treatywatch.status.rules import add_months

STEP_MONTHS = {"month": 1, "quarter": 3, "year": 12}
STEP_DAYS = {"day": 1, "week": 7}
Step = Literal["day", "week", "month", "quarter", "year"]
SERIES_STEPS: tuple[str, ...] = get_args(Step)
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)
Standing = tuple[str, bool]  # a state's status and whether it is uncertain


@dataclass(frozen=True)
class CountsOn:
    """The counts `status_for_treaty` gives on one day."""

    on: date
    counts: Mapping[str, int]
    states_parties: int
    uncertain: int

    def to_json(self) -> dict[str, Any]:
        return {"date": self.on.isoformat(), "states_parties": self.states_parties,
                "uncertain": self.uncertain, **self.counts}


@dataclass(frozen=True)
class TreatyHistory:
    """The counts under one treaty on every day from ``start`` to ``end`` (both included)."""

    treaty: str
    start: date
    end: date
    points: tuple[CountsOn, ...]  # on `start` and on each day a count changes, in order

    @functools.cached_property
    def _days(self) -> list[date]:
        return [p.on for p in self.points]

    def _at(self, day: date) -> CountsOn:
        point = self.points[bisect.bisect_right(self._days, day) - 1]
        return CountsOn(day, point.counts, point.states_parties, point.uncertain)

    def on(self, day: date) -> CountsOn:
        """The counts on ``day`` (from ``start`` to ``end``)."""
        if not self.start <= day <= self.end:
            raise ValueError(f"{day.isoformat()} is outside {self.start.isoformat()}..{self.end.isoformat()}")
        return self._at(day)

    def sample(self, step: str) -> list[CountsOn]:
        """The counts on `sample_days` (``end`` always included)."""
        return [self._at(day) for day in sample_days(self.start, self.end, step)]


def sample_days(start: date, end: date, step: str) -> list[date]:
    """``start``, then every ``step`` after it (calendar months counted from ``start``, so
    31 January + 1 month is 28/29 February and + 2 months is 31 March), then ``end``."""
    if step not in SERIES_STEPS:
        raise ValueError(f"unknown step {step!r}; use one of {', '.join(SERIES_STEPS)}")
    days: list[date] = []
    k, day = 0, start
    while day < end:
        days.append(day)
        k += 1
        day = add_months(start, k * STEP_MONTHS[step]) if step in STEP_MONTHS else start + timedelta(days=k * STEP_DAYS[step])
    return [*days, end]


def count_points(start: date, end: date, step: str) -> int:
    """At most how many points `sample_days` gives, without listing them (to refuse huge requests)."""
    if step in STEP_DAYS:
        return -(-(end - start).days // STEP_DAYS[step]) + 1
    months = (end.year - start.year) * 12 + end.month - start.month
    return months // STEP_MONTHS[step] + 2


def check_day(day: date, name: str = "date") -> date:
    """``day`` if a history can reach it (1900 to 2100), else `InputError` naming it."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(f"{name} {day.isoformat()} is outside {FIRST_DAY.isoformat()}..{LAST_DAY.isoformat()}")
    return day


def _standing(result: StatusResult) -> Standing:
    return result.status, result.uncertain


def _changes_of(result: StatusResult, treaty: str, start: date, end: date, facts: Facts,
                claims: list[Mapping[str, Any]]) -> list[tuple[date, Standing, Standing]]:
    """(day, before, after) for each day in (start, end] on which this state's standing changes."""
    out = []
    before = _standing(result)
    for day in result.changes:
        if start < day <= end:
            after = _standing(status(result.iso3, treaty, day, facts=facts, claims=claims))
            if after != before:
                out.append((day, before, after))
                before = after
    return out


def _by_state(claims: Iterable[Mapping[str, Any]], treaty: str) -> dict[str, list[Mapping[str, Any]]]:
    """The claims the engine reads for each state under ``treaty`` (its `claims_for`, at once)."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for claim in claims:
        if claim.get("treaty") == treaty and claim.get("actor_iso3"):
            grouped.setdefault(str(claim["actor_iso3"]), []).append(claim)
    return grouped


def treaty_history(treaty: str, start: date | None = None, end: date | None = None, *, claims: Claims,
                   facts: Facts | None = None) -> TreatyHistory:
    """The counts under ``treaty`` (id or name) on every day from ``start`` (default: its entry
    into force) to ``end`` (default today), from the reference data and ``claims``, as
    `status_for_treaty` gives them (see the module docstring).

    Raises `InputError` for a day outside 1900..2100 or an end before the start.
    """
    facts = load_facts() if facts is None else facts
    treaty_id = resolve_treaty(facts, treaty)
    end = check_day(end or date.today(), "the end")
    start = check_day(start or history_start(facts, treaty_id, end), "the start")
    if end < start:
        raise InputError(f"the end {end.isoformat()} is before the start {start.isoformat()}")
    claims = list(claims)
    first = status_for_treaty(treaty_id, start, claims=claims, facts=facts)
    mine = _by_state(claims, treaty_id)
    changes = sorted(change for r in first.results
                     for change in _changes_of(r, treaty_id, start, end, facts, mine.get(r.iso3, [])))
    return TreatyHistory(treaty_id, start, end, _sweep(first, changes))


def _sweep(first: TreatyStatus, changes: list[tuple[date, Standing, Standing]]) -> tuple[CountsOn, ...]:
    """The counts on the first day, then after each day's changes (when they moved a count)."""
    counts, uncertain = dict(first.counts), len(first.uncertain)
    points = [CountsOn(first.on, dict(counts), first.states_parties, uncertain)]
    for day, group in groupby(changes, key=lambda change: change[0]):
        for _, (old, was_unsure), (new, is_unsure) in group:
            counts[old] -= 1
            counts[new] += 1
            uncertain += is_unsure - was_unsure
        point = CountsOn(day, dict(counts), sum(n for s, n in counts.items() if s in STATES_PARTIES), uncertain)
        if (point.counts, point.uncertain) != (points[-1].counts, points[-1].uncertain):
            points.append(point)
    return tuple(points)


def history_start(facts: Facts, treaty: str, end: date) -> date:
    """Where a treaty's history begins by default: its entry into force, else ten years back."""
    found = facts.treaties[resolve_treaty(facts, treaty)].entry_into_force
    return found if found is not None and found <= end else max(FIRST_DAY, date(end.year - 10, 1, 1))


@dataclass(frozen=True)
class TreatyOverview:
    """A treaty on one day (every state, with its reasons) and its counts up to that day."""

    status: TreatyStatus
    history: TreatyHistory


def treaty_overview(treaty: str, on: date, *, claims: Claims, facts: Facts | None = None,
                    start: date | None = None) -> TreatyOverview:
    """`status_for_treaty` on ``on`` and the `treaty_history` from ``start`` (default: the
    treaty's entry into force) to ``on``: what a treaty page, its map and its chart show."""
    facts = load_facts() if facts is None else facts
    claims = list(claims)
    check_day(on, "the day")
    answer = status_for_treaty(treaty, on, claims=claims, facts=facts)
    first = min(start or history_start(facts, answer.treaty, on), on)
    return TreatyOverview(answer, treaty_history(answer.treaty, first, on, claims=claims, facts=facts))


SERIES_COLUMNS = ("date", "states_parties", "uncertain", *STATUSES)


def series_document(treaty: str, start: date, end: date, step: str, points: Iterable[CountsOn], *,
                    claims_considered: bool = True) -> dict[str, Any]:
    """The JSON document of a sampled series (the API's answer and ``status --series --format json``)."""
    return {"treaty": treaty, "from": start.isoformat(), "to": end.isoformat(), "step": step,
            "claims_considered": claims_considered, "columns": list(SERIES_COLUMNS),
            "points": [p.to_json() for p in points]}


def series_csv(points: Iterable[CountsOn]) -> str:
    """A sampled series as CSV, one row per day, the columns of `SERIES_COLUMNS`."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(SERIES_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(p.to_json() for p in points)
    return buffer.getvalue()
