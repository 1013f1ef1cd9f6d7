"""Build treatywatch/web/mapdata/world-110m.json, the country shapes of the treaty status map.

Run once, when the geometry should change; the result is committed and read at run time (no
network, no tile server, no JavaScript). Inputs: the npm package world-atlas 2.0.2 (Natural
Earth 4.1.0 admin-0 countries as TopoJSON, ISC; Natural Earth itself is public domain) and
pycountry (ISO 3166 numeric codes to alpha-3), neither a dependency of treatywatch::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz     # gives ./package/
    python -m venv /tmp/mapenv && /tmp/mapenv/bin/pip install pycountry
    PYTHONPATH=. /tmp/mapenv/bin/python scripts/build_world_map.py package/

What it does: decodes the 1:110m TopoJSON, drops Antarctica, projects longitude/latitude with
the Equal Earth projection (equal-area, so no state looks larger than it is) onto a 960-wide
plane, simplifies each ring with Douglas-Peucker at a quarter of a unit, drops rings smaller
than a unit of area (a state keeps at least its largest ring), and writes one SVG path per
shape with coordinates at 0.1 units. States of the reference lists that 1:110m leaves out
(Andorra, Malta, the small island states, ...) get a dot at the centre of their largest
polygon in the 1:10m file, so every state has a mark on the map.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

import pycountry

from treatywatch.status import load_facts

OUT = Path(__file__).resolve().parent.parent / "treatywatch" / "web" / "mapdata" / "world-110m.json"
WIDTH = 960.0
TOLERANCE = 0.25
MIN_RING_AREA = 1.0
DROPPED = {"010"}  # Antarctica: no state, and a fifth of the picture
Point = tuple[float, float]


def equal_earth(lon: float, lat: float) -> Point:
    """Equal Earth (Šavrič, Patterson, Jenny 2018), unit sphere, y pointing north."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    m = math.sqrt(3) / 2
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(m * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (m * (a1 + 3 * a2 * t2 + t6 * (7 * a3 + 9 * a4 * t2)))
    y = theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))
    return x, y


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The topology's arcs as longitude/latitude points (delta-decoded, de-quantised)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[Point]], indexes: list[int]) -> list[Point]:
    """A closed ring from arc indexes (~i is arc i reversed); shared end points kept once."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def polygons(geometry: dict[str, Any], arcs: list[list[Point]]) -> list[list[list[Point]]]:
    if geometry["type"] == "Polygon":
        return [[ring(arcs, r) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(arcs, r) for r in polygon] for polygon in geometry["arcs"]]
    return []


def unwrap(points: list[Point]) -> list[Point]:
    """A ring that crosses the antimeridian made continuous (longitudes beyond 180 where needed)."""
    out = [points[0]]
    for lon, lat in points[1:]:
        previous = out[-1][0]
        while lon - previous > 180:
            lon -= 360
        while previous - lon > 180:
            lon += 360
        out.append((lon, lat))
    return out


def clip(points: list[Point], edge: float, keep_below: bool) -> list[Point]:
    """Sutherland-Hodgman against the meridian ``edge``: the part west (or east) of it."""
    def inside(p: Point) -> bool:
        return p[0] <= edge if keep_below else p[0] >= edge

    out: list[Point] = []
    for current, following in zip(points, points[1:] + points[:1], strict=True):
        if inside(current):
            out.append(current)
        if inside(current) != inside(following):
            (x0, y0), (x1, y1) = current, following
            out.append((edge, y0 + (y1 - y0) * (edge - x0) / (x1 - x0)))
    return out


def split_at_antimeridian(points: list[Point]) -> list[list[Point]]:
    """The ring as one or two rings within -180..180 (Fiji and Chukotka cross it)."""
    ring_ = unwrap(points)
    if all(-180 <= lon <= 180 for lon, _ in ring_):
        return [points]
    west = [(lon - 360, lat) for lon, lat in clip(ring_, 180, False)] if max(x for x, _ in ring_) > 180 else []
    east = clip(ring_, 180, True) if max(x for x, _ in ring_) > 180 else []
    if min(x for x, _ in ring_) < -180:
        west, east = clip(ring_, -180, False), [(lon + 360, lat) for lon, lat in clip(ring_, -180, True)]
    return [r for r in (west, east) if len(r) >= 3]


def area(points: list[Point]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True))) / 2


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker for a closed ring: each half, split at the point farthest from the start."""
    if len(points) < 4:
        return points
    x0, y0 = points[0]
    far = max(range(len(points)), key=lambda i: math.hypot(points[i][0] - x0, points[i][1] - y0))
    return _simplify_line(points[: far + 1], tolerance)[:-1] + _simplify_line(points[far:], tolerance)


def _simplify_line(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        length = math.hypot(x1 - x0, y1 - y0) or 1e-12
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            distance = abs((x1 - x0) * (y0 - y) - (x0 - x) * (y1 - y0)) / length
            if distance > worst:
                worst, index = distance, i
        if worst > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def path_data(rings: list[list[Point]]) -> str:
    """SVG path data: absolute move, then relative lines at 0.1 units, each ring closed."""
    parts = []
    for points in rings:
        coords = [(round(x * 10), round(y * 10)) for x, y in points]
        deduped = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
        x0, y0 = deduped[0]
        steps = [f"{(x - px) / 10:g} {(y - py) / 10:g}" for (px, py), (x, y) in pairwise(deduped)]
        parts.append(f"M{x0 / 10:g} {y0 / 10:g}l" + " ".join(steps) + "z")
    return re.sub(r"(?<![0-9])0\.", ".", "".join(parts).replace(" -", "-"))


def iso3_of(geometry: dict[str, Any]) -> str | None:
    found = pycountry.countries.get(numeric=geometry["id"]) if geometry.get("id") else None
    return found.alpha_3 if found else None


class Plane:
    """Equal Earth coordinates scaled and shifted onto the SVG plane (y pointing down)."""

    def __init__(self, shapes: list[list[list[list[Point]]]]) -> None:
        projected = [equal_earth(lon, lat) for s in shapes for poly in s for r in poly for lon, lat in r]
        self.min_x = min(x for x, _ in projected)
        self.max_y = max(y for _, y in projected)
        self.scale = WIDTH / (max(x for x, _ in projected) - self.min_x)
        self.height = round((self.max_y - min(y for _, y in projected)) * self.scale, 1)

    def __call__(self, lon: float, lat: float) -> Point:
        x, y = equal_earth(lon, lat)
        return (x - self.min_x) * self.scale, (self.max_y - y) * self.scale


def shape_rings(shape: list[list[list[Point]]], plane: Plane) -> list[list[Point]]:
    pieces = [piece for poly in shape for r in poly for piece in split_at_antimeridian(r)]
    rings = [simplify([plane(lon, lat) for lon, lat in r], TOLERANCE) for r in pieces]
    rings = [r for r in rings if len(r) >= 3]
    largest = max(rings, key=area)
    return [r for r in rings if r is largest or area(r) >= MIN_RING_AREA]


def dot_position(geometry: dict[str, Any], arcs: list[list[Point]], plane: Plane) -> Point:
    """The centroid of the largest polygon's outer ring, projected."""
    outer = max((p[0] for p in polygons(geometry, arcs)), key=area)
    pairs = list(zip(outer, outer[1:] + outer[:1], strict=True))
    cross = [x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs]
    total = sum(cross)
    if abs(total) < 1e-12:
        lon, lat = sum(x for x, _ in outer) / len(outer), sum(y for _, y in outer) / len(outer)
    else:
        lon = sum((x0 + x1) * c for ((x0, _), (x1, _)), c in zip(pairs, cross, strict=True)) / (3 * total)
        lat = sum((y0 + y1) * c for ((_, y0), (_, y1)), c in zip(pairs, cross, strict=True)) / (3 * total)
    x, y = plane(lon, lat)
    return round(x, 1), round(y, 1)


def build(atlas: Path) -> dict[str, Any]:
    coarse = json.loads((atlas / "countries-110m.json").read_text(encoding="utf-8"))
    fine = json.loads((atlas / "countries-10m.json").read_text(encoding="utf-8"))
    arcs = decode_arcs(coarse)
    kept = [g for g in coarse["objects"]["countries"]["geometries"] if g.get("id") not in DROPPED]
    plane = Plane([polygons(g, arcs) for g in kept])
    shapes = [{"iso3": iso3_of(g), "name": g["properties"]["name"],
               "d": path_data(shape_rings(polygons(g, arcs), plane))} for g in kept]
    on_map = {s["iso3"] for s in shapes}
    states = load_facts().states
    fine_arcs = decode_arcs(fine)
    dots = []
    for geometry in fine["objects"]["countries"]["geometries"]:
        iso3 = iso3_of(geometry)
        if iso3 in states and iso3 not in on_map:
            x, y = dot_position(geometry, fine_arcs, plane)
            dots.append({"iso3": iso3, "name": geometry["properties"]["name"], "x": x, "y": y})
    missing = sorted(set(states) - on_map - {d["iso3"] for d in dots})
    if missing:
        sys.exit(f"no geometry for reference states: {', '.join(missing)}")
    return {
        "source": "Natural Earth 4.1.0 admin-0 countries, 1:110m (shapes) and 1:10m (dots), "
                  "via the npm package world-atlas 2.0.2; built by scripts/build_world_map.py",
        "licence": "Natural Earth: public domain; world-atlas packaging: ISC (see README.md)",
        "projection": "Equal Earth",
        "width": WIDTH,
        "height": plane.height,
        "shapes": sorted(shapes, key=lambda s: (s["iso3"] or "~", s["name"])),
        "dots": sorted(dots, key=lambda d: d["iso3"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("atlas", type=Path, help="the unpacked world-atlas package folder")
    args = parser.parse_args()
    document = build(args.atlas)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(document['shapes'])} shapes, {len(document['dots'])} dots, "
          f"{OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
