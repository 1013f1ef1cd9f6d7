"""Country profiles: status per treaty, a timeline plot, events with evidence, officials' quotes.

`build_profile` gathers everything as plain data (a pure function of facts, claims and quotes);
`render_profile` turns it into a self-contained HTML page (inline CSS and SVG, readable offline)
or Markdown. Texts that come from articles are escaped in both formats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from treatywatch.event_types import registry
from treatywatch.status.claimsteps import claim_event
from treatywatch.status.engine import status
from treatywatch.status.model import ChronologyEvent, Facts, StatusResult
from treatywatch.status.questions import status_for_state
from treatywatch.status.rules import MIN_DATE
from treatywatch.status.timeline import legend_svg, segments, timeline_svg

TEMPLATES = Path(__file__).parent / "templates"
KIND_LABELS = {"reference": "reference", "claim_accepted": "accepted claim",
               "claim_reported": "reported, not reviewed", "computed": "computed"}


@dataclass(frozen=True)
class Profile:
    iso3: str
    name: str
    on: date
    statuses: list[StatusResult]
    events: dict[str, list[ChronologyEvent]]
    quotes: list[dict[str, Any]]
    timeline_full: str
    timeline_recent: str
    legend: str
    reference_location: str


def _breakpoints(result: StatusResult) -> list[date]:
    """Days on which the status may change, as the engine lists them (`StatusResult.changes`),
    less the open start of a date known only as "by" a day."""
    return [day for day in result.changes if day > MIN_DATE]


def _events(facts: Facts, iso3: str, claims: Iterable[Mapping[str, Any]]) -> list[ChronologyEvent]:
    found = [e for e in facts.chronology if e.iso3 == iso3]
    found += [e for e in (claim_event(c) for c in claims if c.get("actor_iso3") == iso3) if e is not None]
    return sorted(found, key=lambda e: (e.date.earliest, e.type))


def _grouped(events: list[ChronologyEvent]) -> dict[str, list[ChronologyEvent]]:
    groups: dict[str, list[ChronologyEvent]] = {}
    for event in events:
        groups.setdefault(event.type, []).append(event)
    types = registry()  # the registry's order; types it does not know come last
    return dict(sorted(groups.items(), key=lambda kv: types.rank(kv[0])))


def _panel(title: str, start: date, end: date, results: list[StatusResult], facts: Facts,
           claims: list[Mapping[str, Any]], events: list[ChronologyEvent]) -> str:
    lanes = {}
    for result in results:
        def status_on(day: date, iso3: str = result.iso3, treaty: str = result.treaty) -> str:
            return status(iso3, treaty, day, facts=facts, claims=claims).status
        lanes[result.treaty] = segments(_breakpoints(result), start, end, status_on)
    by_treaty: dict[str, list[ChronologyEvent]] = {}
    for event in events:
        if event.treaty in lanes:
            by_treaty.setdefault(event.treaty, []).append(event)
    return timeline_svg(title, start, end, lanes, by_treaty)


def build_profile(iso3: str, on: date, *, facts: Facts, claims: Iterable[Mapping[str, Any]] = (),
                  quotes: Iterable[Mapping[str, Any]] = ()) -> Profile:
    """Everything a country profile shows, as data."""
    iso3, claims = iso3.upper(), list(claims)
    results = status_for_state(iso3, on, claims=claims, facts=facts)
    events = _events(facts, iso3, claims)
    points = [p for r in results for p in _breakpoints(r)] + [e.date.earliest for e in events]
    start = date(min([*points, on - timedelta(days=3 * 365)]).year, 1, 1)
    end = max([on, *(e.date.latest for e in events)]) + timedelta(days=90)
    recent_start = date(on.year - 2, 1, 1)
    return Profile(
        iso3=iso3,
        name=facts.states.get(iso3, iso3),
        on=on,
        statuses=results,
        events=_grouped(events),
        quotes=[dict(q) for q in quotes],
        timeline_full=_panel(f"{iso3}: status over time", start, end, results, facts, claims, events),
        timeline_recent=_panel(f"{iso3}: since {recent_start.year}", recent_start, end, results,
                               facts, claims, events),
        legend=legend_svg(),
        reference_location=facts.location,
    )


def _md(value: Any) -> str:
    """Text safe inside a Markdown table cell: no pipes, no raw HTML, one line."""
    text = "" if value is None else str(value)
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\n", " "))


def render_profile(profile: Profile, fmt: str) -> str:
    """The profile as a self-contained HTML page (``html``) or Markdown (``md``)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = _md
    env.globals["kind_label"] = lambda kind: KIND_LABELS.get(kind, kind)
    name = {"html": "profile.html", "md": "profile.md"}[fmt]
    return env.get_template(name).render(p=profile)
