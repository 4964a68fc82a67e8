"""A road closure as the closed area the road engine must avoid (a polygon of lat/lon)."""

from __future__ import annotations

import math

from carshare.domain.travel import Polygon
from carshare.models import ClosureKind, RoadClosure

EARTH_M = 6_371_000.0
CIRCLE_SIDES = 24


def polygon_of(closure: RoadClosure) -> Polygon:
    """Return the closed area: a circle (24-gon) or a strip either side of a road segment."""
    if closure.kind is ClosureKind.AREA or closure.lat2 is None or closure.lon2 is None:
        return circle(closure.lat, closure.lon, closure.radius_m)
    return strip((closure.lat, closure.lon), (closure.lat2, closure.lon2), closure.radius_m)


def circle(lat: float, lon: float, radius_m: float) -> Polygon:
    """Return a closed ring approximating a circle of ``radius_m`` around a point."""
    dlat, dlon = _degrees(lat, radius_m)
    ring = [(round(lat + dlat * math.sin(a), 7), round(lon + dlon * math.cos(a), 7))
            for a in (2 * math.pi * k / CIRCLE_SIDES for k in range(CIRCLE_SIDES))]
    return (*ring, ring[0])


def strip(a: tuple[float, float], b: tuple[float, float], half_width_m: float) -> Polygon:
    """Return a closed rectangle around segment ``a``–``b``, ``half_width_m`` either side
    (and beyond either end)."""
    dlat, dlon = _degrees((a[0] + b[0]) / 2, half_width_m)
    along_y, along_x = (b[0] - a[0]) / dlat, (b[1] - a[1]) / dlon  # in units of half width
    length = math.hypot(along_y, along_x) or 1.0
    uy, ux = along_y / length, along_x / length  # unit vector along the road
    corners = []
    for end, sign in ((a, -1), (b, 1)):
        for side in (-1, 1):
            y = sign * uy - side * ux  # one half width beyond the end, one to the side
            x = sign * ux + side * uy
            corners.append((round(end[0] + y * dlat, 7), round(end[1] + x * dlon, 7)))
    ring = [corners[0], corners[1], corners[3], corners[2]]
    return (*ring, ring[0])


def _degrees(lat: float, metres: float) -> tuple[float, float]:
    dlat = math.degrees(metres / EARTH_M)
    return dlat, dlat / max(math.cos(math.radians(lat)), 1e-6)
