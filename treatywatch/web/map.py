"""The treaty status map: every state coloured by its status on one day, as inline SVG.

Drawn on the server from the shapes in ``mapdata/world-110m.json`` (Natural Earth, public domain;
see the README there), so it needs no script, no tile server and nothing from elsewhere. Every
state of the answer has a mark: its shape, or a dot where 1:110m has none (Andorra, Malta, the
small island states), and a row in the table the page prints below the map from the same rows
(`map_rows`). Every text in the SVG goes through `markupsafe.escape` (names come from data files,
but are treated as untrusted anyway). Colours are presentation attributes, which the
Content-Security-Policy allows, so the same SVG works in the web page and in the static report.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from treatywatch.status import StatusResult, TreatyStatus
from treatywatch.status.timeline import STATUS_COLOURS

GEOMETRY = Path(__file__).parent / "mapdata" / "world-110m.json"
# Legend order: in the treaty, on the way in, on the way out, out, unknown.
MAP_KEYS = ("party", "consented", "signatory", "withdrawing", "pending_armed_conflict", "withdrawn",
            "non_party", "uncertain", "no_status")
MAP_LABELS = {
    "party": "party",
    "consented": "consented (not yet in force)",
    "signatory": "signatory",
    "withdrawing": "withdrawing",
    "pending_armed_conflict": "pending: armed-conflict clause",
    "withdrawn": "withdrawn",
    "non_party": "non-party",
    "uncertain": "uncertain (dated only to a month or year)",
    "no_status": "no status (not in the lists)",
}
UNCERTAIN_PATTERN = "map-uncertain"
MAP_COLOURS = {**STATUS_COLOURS, "uncertain": f"url(#{UNCERTAIN_PATTERN})", "no_status": "#ffffff"}
LEGEND_ROW, LEGEND_COLUMNS, LEGEND_COLUMN = 20, 3, 320


@dataclass(frozen=True)
class Shape:
    iso3: str | None
    name: str
    d: str


@dataclass(frozen=True)
class Dot:
    iso3: str
    name: str
    x: float
    y: float


@dataclass(frozen=True)
class World:
    """The projected shapes and dots of ``world-110m.json``."""

    width: float
    height: float
    shapes: tuple[Shape, ...]
    dots: tuple[Dot, ...]
    source: str

    @functools.cached_property
    def marks(self) -> dict[str, str]:
        """How each state appears: ``shape`` or ``dot``."""
        return {**{d.iso3: "dot" for d in self.dots}, **{s.iso3: "shape" for s in self.shapes if s.iso3}}


@functools.cache
def load_world(path: Path = GEOMETRY) -> World:
    """The map geometry (read once per process; it is package data)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    return World(
        width=float(doc["width"]), height=float(doc["height"]),
        shapes=tuple(Shape(s["iso3"], s["name"], s["d"]) for s in doc["shapes"]),
        dots=tuple(Dot(d["iso3"], d["name"], float(d["x"]), float(d["y"])) for d in doc["dots"]),
        source=str(doc["source"]),
    )


@dataclass(frozen=True)
class MapRow:
    """One state as the map and the table below it show it."""

    iso3: str
    name: str
    status: str
    since: str | None
    uncertain: bool
    mark: str  # shape | dot | table only

    @property
    def key(self) -> str:
        return "uncertain" if self.uncertain else self.status

    @property
    def label(self) -> str:
        text = MAP_LABELS.get(self.status, self.status)
        if self.since:
            text += f" since {self.since}"
        return text + ("; uncertain: a step it turns on is dated only to a month or a year" if self.uncertain else "")


def map_rows(answer: TreatyStatus, world: World | None = None) -> list[MapRow]:
    """Every state of the answer, by name, with how the map shows it."""
    marks = (world or load_world()).marks
    return sorted((_row(r, marks.get(r.iso3, "table only")) for r in answer.results),
                  key=lambda row: (row.name.casefold(), row.iso3))


def _row(result: StatusResult, mark: str) -> MapRow:
    return MapRow(result.iso3, result.name or result.iso3, result.status, result.since, result.uncertain, mark)


def _title(row: MapRow | None, name: str) -> str:
    if row is None:
        return f"{name}: {MAP_LABELS['no_status']}, no claims"
    return f"{row.name} ({row.iso3}): {row.label}"


def _linked(element: str, row: MapRow | None, href: Callable[[str], str] | None) -> str:
    if row is None or href is None:
        return element
    return f'<a href="{escape(href(row.iso3))}">{element}</a>'


def _legend(rows: list[MapRow], top: float) -> list[str]:
    counts = {key: sum(1 for r in rows if r.key == key) for key in MAP_KEYS}
    out = [f'<g class="map-legend" transform="translate(8 {top:.1f})" font-size="12">']
    for i, key in enumerate(MAP_KEYS):
        x, y = (i % LEGEND_COLUMNS) * LEGEND_COLUMN, (i // LEGEND_COLUMNS) * LEGEND_ROW
        shown = f"{MAP_LABELS[key]} ({counts[key]})" if key != "no_status" else MAP_LABELS[key]
        out.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{MAP_COLOURS[key]}" stroke="#6b7280" '
                   f'stroke-width=".5"/><text x="{x + 19}" y="{y + 11}">{escape(shown)}</text>')
    out.append("</g>")
    return out


def status_map_svg(answer: TreatyStatus, *, href: Callable[[str], str] | None = None,
                   world: World | None = None) -> Markup:
    """The map of ``answer`` (one treaty on one day); ``href`` links each state to its page."""
    world = world or load_world()
    rows = {r.iso3: r for r in map_rows(answer, world)}
    legend_top = world.height + 12
    height = legend_top + LEGEND_ROW * -(-len(MAP_KEYS) // LEGEND_COLUMNS) + 4
    title = f"{answer.treaty}: status of each state on {answer.on.isoformat()}"
    out = [f'<svg class="world-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {world.width:g} {height:.1f}" '
           f'role="img" aria-labelledby="map-title map-desc" font-family="sans-serif">',
           f'<title id="map-title">{escape(title)}</title>',
           f'<desc id="map-desc">{escape(_description(answer, rows))}</desc>',
           f'<defs><pattern id="{UNCERTAIN_PATTERN}" width="6" height="6" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3f4f6"/>'
           '<line x1="0" y1="0" x2="0" y2="6" stroke="#6b7280" stroke-width="2.5"/></pattern></defs>',
           f'<rect class="sea" width="{world.width:g}" height="{world.height:g}" fill="#f0f6fb"/>',
           '<g class="shapes" stroke="#4b5563" stroke-width=".4" stroke-linejoin="round" fill-rule="evenodd">']
    for shape in world.shapes:
        row = rows.get(shape.iso3) if shape.iso3 else None
        key = row.key if row else "no_status"
        element = (f'<path d="{escape(shape.d)}" fill="{MAP_COLOURS[key]}" data-iso3="{escape(shape.iso3 or "")}" '
                   f'data-status="{escape(row.status if row else "no_status")}" data-key="{key}">'
                   f'<title>{escape(_title(row, shape.name))}</title></path>')
        out.append(_linked(element, row, href))
    out.append('</g><g class="dots" stroke="#111827" stroke-width=".8">')
    for dot in world.dots:
        row = rows.get(dot.iso3)
        key = row.key if row else "no_status"
        element = (f'<circle cx="{dot.x:g}" cy="{dot.y:g}" r="3.2" fill="{MAP_COLOURS[key]}" '
                   f'data-iso3="{escape(dot.iso3)}" data-status="{escape(row.status if row else "no_status")}" '
                   f'data-key="{key}"><title>{escape(_title(row, dot.name))}</title></circle>')
        out.append(_linked(element, row, href))
    out += ["</g>", *_legend(list(rows.values()), legend_top), "</svg>"]
    return Markup("".join(out))


def _description(answer: TreatyStatus, rows: dict[str, MapRow]) -> str:
    parts = [f"{MAP_LABELS[k]}: {n}" for k in MAP_KEYS if (n := sum(1 for r in rows.values() if r.key == k))]
    return (f"World map of {answer.treaty} on {answer.on.isoformat()}, {answer.states_parties} States "
            f"Parties. {'; '.join(parts)}. States too small for the map are dots; every state is in "
            "the table below the map.")
