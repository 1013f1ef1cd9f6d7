"""The country timeline drawn from facts: one mark per fact, conflicts visible.

Each fact is a dot on its type's lane at its best-supported date, its radius growing with its
independent stories; a date that disagrees is a hollow mark on the same lane joined to the dot
by a dashed line, so a conflict is seen at a glance. The legal record's dated steps get their
own lanes, as in `web.timeline` (whose scale and escaping this reuses).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from treatywatch.event_types import registry
from treatywatch.web.timeline import LANE_HEIGHT, TOP, _x, order_lanes, svg_frame, to_day


def _marks(facts: Iterable[Mapping[str, Any]], steps: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    marks = []
    for fact in facts:
        day = to_day(fact.get("date"))
        if day is None:
            continue
        lane = str(fact.get("type"))
        label = (f"{registry().label(lane)} {fact.get('treaty') or fact.get('weapon') or ''}: {fact.get('date')} — "
                 f"{fact.get('stories')} stories, {fact.get('review_state')}")
        others = [(to_day(d["date"]), d) for d in fact.get("dates", []) if not d.get("agrees")]
        if others:
            label += "; disagreeing: " + ", ".join(f"{d['date']} ({d['stories']})" for _, d in others)
        if (fact.get("reference") or {}).get("state") == "contradicts":
            label += "; contradicts the legal record"
        marks.append({"lane": lane, "day": day, "css": f"pt-{fact.get('review_state')}", "label": label[:400],
                      "r": min(4 + 1.5 * int(fact.get("stories") or 1), 11), "href": f"/facts/{fact.get('id')}",
                      "others": [o for o, _ in others if o is not None],
                      "record_conflict": (fact.get("reference") or {}).get("state") == "contradicts"})
    for step in steps:
        day = to_day(step.get("date"))
        if day is not None:
            marks.append({"lane": f"status: {step.get('treaty')}", "day": day, "css": "pt-step", "r": 5,
                          "label": f"{step.get('treaty')} {step.get('step')}: {step.get('date')}", "href": None,
                          "others": [], "record_conflict": False})
    return marks


def facts_timeline_svg(facts: Iterable[Mapping[str, Any]], steps: Iterable[Mapping[str, Any]] = ()) -> Markup:
    """An SVG timeline of the facts (by type, conflicts drawn) and dated steps; empty if no dates."""
    marks = _marks(facts, steps)
    if not marks:
        return Markup("")
    lanes = order_lanes({m["lane"] for m in marks})
    days = [m["day"] for m in marks] + [o for m in marks for o in m["others"]]
    first, last = date(min(days).year, 1, 1), date(max(days).year + 1, 1, 1)
    out = svg_frame(lanes, first, last, "Timeline of facts")
    for m in marks:
        out.extend(_mark(m, lanes.index(m["lane"]), first, last))
    out.append("</svg>")
    return Markup("".join(out))


def _mark(m: dict[str, Any], lane: int, first: date, last: date) -> list[str]:
    x, y = _x(m["day"], first, last), TOP + LANE_HEIGHT * lane + LANE_HEIGHT / 2
    out = []
    for other in m["others"]:
        ox = _x(other, first, last)
        out.append(f'<line class="conflict-link" x1="{x:.1f}" x2="{ox:.1f}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<circle class="pt pt-conflict" cx="{ox:.1f}" cy="{y:.1f}" r="4">'
                   f'<title>{escape(m["label"])}</title></circle>')
    ring = " pt-record-conflict" if m["record_conflict"] else ""
    dot = (f'<circle class="pt {escape(m["css"])}{ring}" cx="{x:.1f}" cy="{y:.1f}" r="{m["r"]:.1f}">'
           f'<title>{escape(m["label"])}</title></circle>')
    out.append(f'<a href="{escape(m["href"])}">{dot}</a>' if m["href"] else dot)
    return out
