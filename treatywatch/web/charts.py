"""States Parties over time as an inline SVG line chart, drawn on the server.

The line is the exact step function of `treatywatch.status.series.TreatyHistory` (a level from
each change to the next), so no day is hidden between two samples; withdrawals are marked where
they were notified and where they take effect. Every text goes through `markupsafe.escape`, and
colours are presentation attributes, so the SVG works in the web page (under its
Content-Security-Policy) and in the static report alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from treatywatch.status.series import CountsOn, TreatyHistory
from treatywatch.status.timeline import STATUS_COLOURS

WIDTH, HEIGHT = 960, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 30, 34
LINE = STATUS_COLOURS["party"]
MARK_COLOURS = {"notified": STATUS_COLOURS["withdrawing"], "effective": STATUS_COLOURS["withdrawn"]}


@dataclass(frozen=True)
class ChartMark:
    """A dated step of one state's withdrawal, drawn as a vertical line with its title."""

    day: date
    kind: str  # notified | effective
    text: str


@dataclass(frozen=True)
class _Frame:
    start: date
    end: date
    low: int
    high: int

    def x(self, day: date) -> float:
        span = max((self.end - self.start).days, 1)
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - self.start).days / span

    def y(self, value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (self.high - value) / max(self.high - self.low, 1)


def _nice_step(span: float) -> int:
    """A round tick step giving about five ticks."""
    raw = max(span / 5, 1)
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def _y_range(values: Sequence[int], zero_based: bool) -> tuple[int, int, int]:
    top, bottom = max(values), min(values)
    low = 0 if zero_based else max(0, bottom - max(2, (top - bottom) // 5))
    step = _nice_step((top - low) or 1)
    low = low // step * step
    high = -(-(top + (step if zero_based else 1)) // step) * step
    return low, high, step


def _x_ticks(start: date, end: date) -> list[tuple[date, str]]:
    """Years for long spans (every n-th, at most about 14), quarters for spans up to six years."""
    if (end - start).days > 6 * 366:
        years = list(range(start.year + 1, end.year + 1))
        step = max(1, math.ceil(len(years) / 14))
        return [(date(y, 1, 1), str(y)) for y in years[::step]]
    ticks = []
    year, month = start.year, (start.month - 1) // 3 * 3 + 1
    while date(year, month, 1) <= end:
        if date(year, month, 1) > start:
            ticks.append((date(year, month, 1), f"{year}-{month:02d}"))
        year, month = (year + 1, 1) if month == 10 else (year, month + 3)
    return ticks


def _axes(frame: _Frame, step: int) -> list[str]:
    bottom = HEIGHT - BOTTOM
    out = [f'<g class="axes" font-size="11" fill="#4b5563"><line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" '
           f'y2="{bottom}" stroke="#9ca3af"/>']
    for value in range(frame.low, frame.high + 1, step):
        y = frame.y(value)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e5e7eb"/>'
                   f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    for day, label in _x_ticks(frame.start, frame.end):
        x = frame.x(day)
        out.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" stroke="#9ca3af"/>'
                   f'<text x="{x:.1f}" y="{bottom + 17}" text-anchor="middle">{escape(label)}</text>')
    out.append(f'<text x="{LEFT - 44}" y="{TOP - 12}">States Parties</text></g>')
    return out


def _steps(points: Sequence[CountsOn], frame: _Frame) -> str:
    """Path data of the step function: level until the next change, then straight up or down."""
    parts = [f"M{frame.x(points[0].on):.1f} {frame.y(points[0].states_parties):.1f}"]
    for point in points[1:]:
        parts.append(f"H{frame.x(point.on):.1f}V{frame.y(point.states_parties):.1f}")
    parts.append(f"H{frame.x(frame.end):.1f}")
    return "".join(parts)


def _marks(marks: Sequence[ChartMark], frame: _Frame) -> list[str]:
    out = ['<g class="withdrawals">']
    for mark in marks:
        if not frame.start <= mark.day <= frame.end:
            continue
        x = frame.x(mark.day)
        dash = ' stroke-dasharray="4 3"' if mark.kind == "notified" else ""
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" stroke="{MARK_COLOURS[mark.kind]}" '
                   f'stroke-width="1.5"{dash} data-kind="{mark.kind}"><title>{escape(mark.text)}</title></line>')
    out.append("</g>")
    return out


def parties_chart_svg(history: TreatyHistory, marks: Sequence[ChartMark] = (), *, start: date | None = None,
                      zero_based: bool = True, label: str = "") -> Markup:
    """The chart of ``history`` from ``start`` (default: its own start) to its end.

    ``zero_based`` puts 0 at the bottom (the whole history); otherwise the axis is fitted to the
    values shown, which makes a change of a few states visible (a recent panel).
    """
    first = history.start if start is None or start < history.start else start
    shown = [history.on(first), *(p for p in history.points if first < p.on)]
    last = history.on(history.end)
    low, high, step = _y_range([p.states_parties for p in shown], zero_based)
    frame = _Frame(first, history.end, low, high)
    title = (f"States Parties to {history.treaty}, {first.isoformat()} to {history.end.isoformat()}"
             + (f" ({label})" if label else ""))
    peak = max(shown, key=lambda p: p.states_parties)
    desc = (f"{shown[0].states_parties} on {first.isoformat()}, {last.states_parties} on "
            f"{last.on.isoformat()}; highest {peak.states_parties} from {peak.on.isoformat()}. "
            f"Vertical lines: withdrawals notified (dashed) and taking effect (solid).")
    out = [f'<svg class="parties-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'role="img" aria-label="{escape(title)}" font-family="sans-serif">',
           f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>", *_axes(frame, step),
           *_marks(marks, frame),
           f'<path class="parties-line" d="{_steps(shown, frame)}" fill="none" stroke="{LINE}" stroke-width="2"/>',
           '<g class="changes" fill="#ffffff" stroke="#1d4ed8">']
    for point in shown[1:]:
        out.append(f'<circle cx="{frame.x(point.on):.1f}" cy="{frame.y(point.states_parties):.1f}" r="2.2">'
                   f"<title>{point.on.isoformat()}: {point.states_parties} States Parties</title></circle>")
    x, y = frame.x(last.on), frame.y(last.states_parties)
    out += ["</g>",
            f'<circle class="last-point" cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{LINE}" '
            f'data-date="{last.on.isoformat()}" data-value="{last.states_parties}">'
            f"<title>{last.on.isoformat()}: {last.states_parties} States Parties</title></circle>",
            f'<text x="{x - 8:.1f}" y="{y - 9:.1f}" text-anchor="end" font-size="12" font-weight="bold">'
            f"{last.states_parties} on {last.on.isoformat()}</text>",
            "</svg>"]
    return Markup("".join(out))
