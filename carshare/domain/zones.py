"""Service-zone polygons for open data, built so that no home's position can be read back.

Every place of a settlement is snapped to a grid cell (0.01 degree, about 1.1 km north-south
and 0.8 km east-west here), the cell is widened by a margin of whole cells, and the zone is the
convex hull of those cells' corners. Each corner is a grid point, never a place's coordinate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

CELL = 0.01
MARGIN_CELLS = 1

Point = tuple[float, float]  # (lon, lat), the GeoJSON order


def zone_ring(places: Iterable[tuple[float, float]], cell: float = CELL,
              margin: int = MARGIN_CELLS) -> list[Point]:
    """Return the closed exterior ring (counter-clockwise, lon/lat) around ``(lat, lon)`` places.

    :raise ValueError: no places.
    """
    corners: set[Point] = set()
    for lat, lon in places:
        row, col = _cell(lat, cell), _cell(lon, cell)
        for d_row in (-margin, margin + 1):
            for d_col in (-margin, margin + 1):
                corners.add((_grid(col + d_col, cell), _grid(row + d_row, cell)))
    if not corners:
        raise ValueError("a zone needs at least one place")
    hull = convex_hull(sorted(corners))
    return [*hull, hull[0]]


def _cell(value: float, cell: float) -> int:
    """Return the grid index of a coordinate (45.3 / 0.01 is 4529.999... in floating point)."""
    return math.floor(round(value / cell, 6))


def _grid(index: int, cell: float) -> float:
    return round(index * cell, 6)


def convex_hull(points: list[Point]) -> list[Point]:
    """Return the convex hull of sorted, distinct points, counter-clockwise (monotone chain)."""
    if len(points) < 3:
        return points

    def half(seq: Iterable[Point]) -> list[Point]:
        chain: list[Point] = []
        for p in seq:
            while len(chain) >= 2 and _cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
        return chain

    lower, upper = half(points), half(reversed(points))
    return lower[:-1] + upper[:-1]


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def signed_area(ring: list[Point]) -> float:
    """Return the shoelace area of a closed ring: positive when counter-clockwise."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False)) / 2


def contains(ring: list[Point], point: Point) -> bool:
    """Return whether ``point`` (lon, lat) lies inside the closed ring (ray casting)."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside
