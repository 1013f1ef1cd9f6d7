"""The country-profile timeline as inline SVG, drawn here (no JavaScript, no external assets).

One lane per treaty: coloured bars for the status in force over time (computed by the engine at
each change), and dots for the dated developments (reference rows, reviewed and unreviewed
claims); hovering a dot shows its summary through the SVG ``<title>`` element. Every text is
escaped, so article sentences can never inject markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from treatywatch.status.model import ChronologyEvent

STATUS_COLOURS = {
    "non_party": "#e5e7eb",
    "signatory": "#fde68a",
    "consented": "#93c5fd",
    "party": "#2563eb",
    "withdrawing": "#f97316",
    "pending_armed_conflict": "#a855f7",
    "withdrawn": "#dc2626",
}
KIND_COLOURS = {"reference": "#111827", "claim_accepted": "#15803d", "claim_reported": "#ea580c",
                "computed": "#6b7280"}
WIDTH, LEFT, RIGHT, LANE, GAP, TOP = 900, 90, 20, 18, 34, 28


@dataclass(frozen=True)
class Segment:
    start: date
    end: date
    status: str


def segments(breakpoints: Sequence[date], start: date, end: date,
             status_on: Callable[[date], str]) -> list[Segment]:
    """Status bars between `start` and `end`: the status at each breakpoint, merged when equal."""
    points = sorted({start, *(d for d in breakpoints if start < d < end)})
    out: list[Segment] = []
    for left, right in zip(points, [*points[1:], end], strict=True):
        state = status_on(left)
        if out and out[-1].status == state:
            out[-1] = Segment(out[-1].start, right, state)
        else:
            out.append(Segment(left, right, state))
    return out


def _x(day: date, start: date, end: date) -> float:
    span = max((end - start).days, 1)
    return LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span


def _axis(start: date, end: date, bottom: int) -> list[str]:
    years = range(start.year + (start.month > 1 or start.day > 1), end.year + 1)
    step = max(1, len(years) // 12)
    parts = [f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#9ca3af"/>']
    for year in list(years)[::step]:
        x = _x(date(year, 1, 1), start, end)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{bottom}" stroke="#f3f4f6"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 14}" font-size="10" text-anchor="middle">{year}</text>')
    return parts


def timeline_svg(title: str, start: date, end: date, lanes: dict[str, list[Segment]],
                 events: dict[str, list[ChronologyEvent]]) -> str:
    """An SVG panel: a lane per treaty with status bars and event dots, and a year axis."""
    height = TOP + len(lanes) * GAP + 30
    bottom = TOP + len(lanes) * GAP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif">',
             f'<title>{escape(title)}</title>',
             f'<text x="4" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
             *_axis(start, end, bottom)]
    for row, (treaty, bars) in enumerate(lanes.items()):
        y = TOP + row * GAP
        parts.append(f'<text x="4" y="{y + 13}" font-size="11">{escape(treaty)}</text>')
        for bar in bars:
            x0, x1 = _x(bar.start, start, end), _x(bar.end, start, end)
            parts.append(
                f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" height="{LANE}" '
                f'fill="{STATUS_COLOURS.get(bar.status, "#000")}"><title>{escape(bar.status)}: '
                f'{bar.start.isoformat()} to {bar.end.isoformat()}</title></rect>')
        for event in events.get(treaty, []):
            if not start <= event.date.earliest <= end:
                continue
            x = _x(event.date.earliest, start, end)
            colour = KIND_COLOURS.get(event.kind, "#000")
            fill = "white" if event.kind == "claim_reported" else colour
            tip = f"{event.date.label()} {event.type} ({event.kind}): {event.summary}"
            parts.append(f'<circle cx="{x:.1f}" cy="{y + LANE + 6}" r="4" fill="{fill}" stroke="{colour}">'
                         f'<title>{escape(tip)}</title></circle>')
    parts.append("</svg>")
    return "\n".join(parts)


def legend_svg() -> str:
    """A small legend for the status colours and event kinds."""
    items = [*STATUS_COLOURS.items()]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="40" font-family="sans-serif">']
    for i, (name, colour) in enumerate(items):
        x = 4 + i * 125
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 16}" y="14" font-size="10">{escape(name)}</text>')
    for i, (name, colour) in enumerate(KIND_COLOURS.items()):
        x = 4 + i * 160
        fill = "white" if name == "claim_reported" else colour
        parts.append(f'<circle cx="{x + 6}" cy="30" r="4" fill="{fill}" stroke="{colour}"/>'
                     f'<text x="{x + 16}" y="34" font-size="10">{escape(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
