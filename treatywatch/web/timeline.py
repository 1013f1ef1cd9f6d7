"""The country timeline as inline SVG, drawn on the server (no script, no external asset).

One lane per event type (in the registry's order, named by its label) plus a lane for the treaty
steps the status engine dated; x is time.
Every label and tooltip goes through `markupsafe.escape`; colours come from CSS classes, since
the Content-Security-Policy forbids inline styles.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from treatywatch.dates import GrainDate
from treatywatch.event_types import registry

LANE_HEIGHT = 26
LEFT = 190
RIGHT = 20
TOP = 24
WIDTH = 960


def to_day(value: str | None) -> date | None:
    """First day of a date with any grain (2026, 2026-02, 2026-02-20, or a datetime); None if none."""
    if not value:
        return None
    try:
        return GrainDate.parse(str(value)[:10]).first
    except ValueError:
        return None


def _points(claims: Iterable[Mapping[str, Any]], steps: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    points = []
    for claim in claims:
        day = to_day(claim.get("date")) or to_day(claim.get("published"))
        if day is not None:
            label = f"{claim.get('type')}: {claim.get('date') or claim.get('published')} — {claim.get('sentence') or ''}"
            points.append({"lane": str(claim.get("type")), "day": day, "css": f"pt-{claim.get('review_state')}",
                           "label": label[:300], "href": f"/articles/{claim.get('article_id')}"})
    for step in steps:
        day = to_day(step.get("date"))
        if day is not None:
            points.append({"lane": f"status: {step.get('treaty')}", "day": day, "css": "pt-step",
                           "label": f"{step.get('treaty')} {step.get('step')}: {step.get('date')}", "href": None})
    return points


def _x(day: date, first: date, last: date) -> float:
    span = max((last - first).days, 1)
    return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span


def order_lanes(lanes: Iterable[str]) -> list[str]:
    """Lanes top to bottom: event types in the registry's order, then the treaty-step lanes."""
    types = registry()
    return sorted(lanes, key=lambda lane: (not lane.startswith("status"), types.rank(lane), lane))


def svg_frame(lanes: list[str], first: date, last: date, aria_label: str) -> list[str]:
    """The opening <svg> tag, one labelled line per lane and the year ticks, shared by both timelines.

    The caller appends its marks and the closing tag.
    """
    types = registry()
    height = TOP + LANE_HEIGHT * len(lanes) + 24
    out = [f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="{escape(aria_label)}" xmlns="http://www.w3.org/2000/svg">']
    for i, lane in enumerate(lanes):
        y = TOP + LANE_HEIGHT * i + LANE_HEIGHT / 2
        out.append(f'<text class="lane-label" x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">'
                   f'{escape(types.label(lane))}</text>')
        out.append(f'<line class="lane" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
    step_years = max(1, (last.year - first.year) // 10)
    for year in range(first.year, last.year + 1, step_years):
        x = _x(date(year, 1, 1), first, last)
        out.append(f'<line class="tick" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 6}" y2="{height - 20}"/>')
        out.append(f'<text class="tick-label" x="{x:.1f}" y="{height - 6}" text-anchor="middle">{year}</text>')
    return out


def timeline_svg(claims: Iterable[Mapping[str, Any]], steps: Iterable[Mapping[str, Any]] = ()) -> Markup:
    """An SVG timeline of the claims (by type) and dated treaty steps; empty markup if no dates."""
    points = _points(claims, steps)
    if not points:
        return Markup("")
    lanes = order_lanes({p["lane"] for p in points})
    first = date(min(p["day"] for p in points).year, 1, 1)
    last = date(max(p["day"] for p in points).year + 1, 1, 1)
    out = svg_frame(lanes, first, last, "Timeline of developments")
    for p in points:
        x = _x(p["day"], first, last)
        y = TOP + LANE_HEIGHT * lanes.index(p["lane"]) + LANE_HEIGHT / 2
        dot = (f'<circle class="pt {escape(p["css"])}" cx="{x:.1f}" cy="{y:.1f}" r="5">'
               f'<title>{escape(p["label"])}</title></circle>')
        out.append(f'<a href="{escape(p["href"])}">{dot}</a>' if p["href"] else dot)
    out.append("</svg>")
    return Markup("".join(out))
