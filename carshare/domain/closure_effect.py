"""What a road closure does to a planned route (issue 20): pure, no database.

A driver keeps to the plan: never at a stop before its planned time, and from each stop on
as soon as the day's legs allow.  Replaying a stored route with the day's travel times (which
avoid the closed roads) says which stops become later than planned and which break their
bound (the promise or the ride's window).  Without road data only the straight line between
two stops can be checked against the closed area.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from carshare.domain.travel import UNREACHABLE, LatLon, Polygon

#: A stop counts as later than planned from this many seconds on (rounding is no delay).
LATER_S = 60


@dataclass(frozen=True)
class Visit:
    """A planned stop: its point, planned start of service and stay (seconds), the latest its
    service may start (None: no bound) and the ride it serves (None: start, end, own stop)."""

    point: LatLon
    start: int
    service: int
    latest: int | None = None
    request_id: int | None = None


def replay(visits: Sequence[Visit], leg: Callable[[int], int]) -> list[int]:
    """Return each visit's start of service when the driver keeps to the plan.

    :param leg: seconds from visit ``k - 1`` to visit ``k`` (``UNREACHABLE``: no way).
    """
    if not visits:
        return []
    starts = [visits[0].start]
    for k in range(1, len(visits)):
        travel, before = leg(k), starts[-1]
        if travel >= UNREACHABLE or before >= UNREACHABLE:
            starts.append(UNREACHABLE)
            continue
        starts.append(max(visits[k].start, before + visits[k - 1].service + travel))
    return starts


def later_rides(visits: Sequence[Visit], starts: Sequence[int]) -> set[int]:
    """Return the rides with a stop later than planned (by :data:`LATER_S` or more)."""
    return {v.request_id for v, t in zip(visits, starts, strict=True)
            if v.request_id is not None and t >= v.start + LATER_S}


def broken_rides(visits: Sequence[Visit], starts: Sequence[int]) -> set[int]:
    """Return the rides with a stop past its bound, or that cannot be reached at all."""
    return {v.request_id for v, t in zip(visits, starts, strict=True)
            if v.request_id is not None
            and (t >= UNREACHABLE or (v.latest is not None and t > v.latest))}


def rides_after_crossing(visits: Sequence[Visit], shapes: Sequence[Polygon]) -> set[int]:
    """Return the rides with a stop at or after the first straight leg through a closed area."""
    for k in range(1, len(visits)):
        if any(crosses(visits[k - 1].point, visits[k].point, shape) for shape in shapes):
            return {v.request_id for v in visits[k:] if v.request_id is not None}
    return set()


def crosses(a: LatLon, b: LatLon, shape: Polygon) -> bool:
    """Tell whether the straight segment ``a``–``b`` touches the closed ring ``shape``
    (lat/lon read as a plane: closures are small)."""
    if inside(a, shape) or inside(b, shape):
        return True
    return any(_segments_meet(a, b, p, q) for p, q in zip(shape, shape[1:], strict=False))


def inside(point: LatLon, shape: Polygon) -> bool:
    """Tell whether ``point`` lies inside the closed ring ``shape`` (ray casting)."""
    y, x = point
    found = False
    for (y1, x1), (y2, x2) in zip(shape, shape[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            found = not found
    return found


def _segments_meet(a: LatLon, b: LatLon, c: LatLon, d: LatLon) -> bool:
    d1, d2 = _turn(c, d, a), _turn(c, d, b)
    d3, d4 = _turn(a, b, c), _turn(a, b, d)
    if ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and 0 not in (d1, d2, d3, d4):
        return True
    return any(t == 0 and _between(p, q, r) for t, p, q, r in (
        (d1, c, d, a), (d2, c, d, b), (d3, a, b, c), (d4, a, b, d)))


def _turn(p: LatLon, q: LatLon, r: LatLon) -> float:
    return (q[1] - p[1]) * (r[0] - p[0]) - (q[0] - p[0]) * (r[1] - p[1])


def _between(p: LatLon, q: LatLon, r: LatLon) -> bool:
    return (min(p[0], q[0]) <= r[0] <= max(p[0], q[0])
            and min(p[1], q[1]) <= r[1] <= max(p[1], q[1]))
