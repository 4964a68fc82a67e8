"""Travel model: time and distance matrices for a set of places.

The default is great-circle distance x road circuity at a rural average
speed; :class:`RoadTravel` takes times from a road-network engine instead.
Both multiply times by the town's factor for the month (slower in winter).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from carshare.domain.types import Place

EARTH_RADIUS_M = 6_371_000.0
Matrix = list[list[int]]


class TravelModel(Protocol):
    """Anything that gives integer travel times and distances between places."""

    def matrix(
        self, origins: Sequence[Place], targets: Sequence[Place], day: date | None
    ) -> tuple[Matrix, Matrix]:
        """Return (times, distances), ``[i][j]`` from origins[i] to targets[j]."""
        ...


#: A pair with no road between them (or none that avoids a closure): longer than any day.
UNREACHABLE = 1_000_000
WINTER = (1.3, 1.3, 1.3, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.3)


@dataclass(frozen=True)
class TravelConfig:
    """Parameters of the great-circle model and the month factors of every model."""

    circuity: float = 1.25
    speed_kmh: float = 50.0
    #: Travel times x ``month_factors[month - 1]`` (January first): slower in snow.
    month_factors: tuple[float, ...] = WINTER

    def factor(self, day: date | None) -> float:
        """Return the factor of ``day``'s month (1.0 without a day)."""
        return 1.0 if day is None else self.month_factors[day.month - 1]


def haversine_m(a: Place, b: Place) -> float:
    """Return the great-circle distance in metres."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


class GreatCircleTravel:
    """Great-circle distance x circuity at an average speed; winter is slower."""

    MAX_PAIRS = 400_000  # bounded caches: one instance may serve a process for long
    MAX_SETS = 16

    def __init__(self, config: TravelConfig | None = None) -> None:
        self.config = config or TravelConfig()
        self._pairs: dict[tuple, tuple[int, int]] = {}
        self._sets: dict[tuple, tuple[Matrix, Matrix]] = {}
        self._lock = threading.Lock()

    def _pair(self, a: Place, b: Place, factor: float) -> tuple[int, int]:
        key = (a.lat, a.lon, b.lat, b.lon, factor)
        hit = self._pairs.get(key)
        if hit is None:
            metres = haversine_m(a, b) * self.config.circuity
            speed = self.config.speed_kmh / 3.6 / factor
            hit = (math.ceil(metres / speed), math.ceil(metres))
            if len(self._pairs) >= self.MAX_PAIRS:
                self._pairs.clear()
            self._pairs[key] = hit
        return hit

    def matrix(
        self, origins: Sequence[Place], targets: Sequence[Place], day: date | None
    ) -> tuple[Matrix, Matrix]:
        """Return (seconds, metres) matrices, cached per set of places and per pair.

        Callers must not modify the returned lists (they are shared).
        """
        factor = self.config.factor(day)
        key = (tuple(origins), tuple(targets), factor)
        with self._lock:  # one instance may be shared by several threads
            hit = self._sets.get(key)
            if hit is None:
                rows = [[self._pair(a, b, factor) for b in targets] for a in origins]
                hit = [[t for t, _ in r] for r in rows], [[d for _, d in r] for r in rows]
                if len(self._sets) >= self.MAX_SETS:
                    self._sets.pop(next(iter(self._sets)))
                self._sets[key] = hit
        return hit


class EuclideanTravel:
    """Planar distance of (lat, lon) read as (x, y), scaled and rounded up.

    Used for benchmark instances where travel time equals distance.
    """

    def __init__(self, scale: int = 1000) -> None:
        self.scale = scale

    def matrix(
        self, origins: Sequence[Place], targets: Sequence[Place], day: date | None
    ) -> tuple[Matrix, Matrix]:
        """Return equal time and distance matrices, ceil(distance x scale)."""
        s = self.scale
        m = [
            [math.ceil(math.hypot(a.lat - b.lat, a.lon - b.lon) * s - 1e-7) for b in targets]
            for a in origins
        ]
        return m, [row[:] for row in m]


LatLon = tuple[float, float]
Polygon = tuple[LatLon, ...]
#: A pair the road engine could not place (no road near one end): the caller estimates it.
OFF_ROAD = -1


class RoadMatrixSource(Protocol):
    """A road-network engine: raw seconds and metres, ``None`` where no route exists and
    :data:`OFF_ROAD` where a point has no road near it."""

    def matrix(self, sources: Sequence[LatLon], targets: Sequence[LatLon],
               avoid: Sequence[Polygon] = ()) -> tuple[list[list[int | None]],
                                                       list[list[int | None]]]:
        """Return (seconds, metres) from every source to every target."""
        ...


class RoadTimes:
    """A town's road times, grown as new places appear and kept per set of closed areas.

    Each set of closures keeps one square matrix over every point seen so far; a new point
    costs two engine calls (its row and its column), never the whole matrix again.
    """

    MAX_CLOSURE_SETS = 8

    def __init__(self, source: RoadMatrixSource) -> None:
        self.source = source
        self._grids: dict[tuple[Polygon, ...], _Grid] = {}
        self._lock = threading.Lock()

    def raw(self, origins: Sequence[LatLon], targets: Sequence[LatLon],
            avoid: tuple[Polygon, ...] = ()) -> tuple[list[list[int]], list[list[int]]]:
        """Return (seconds, metres) with :data:`UNREACHABLE` and :data:`OFF_ROAD` marks."""
        with self._lock:
            grid = self._grids.get(avoid)
            if grid is None:
                if len(self._grids) > self.MAX_CLOSURE_SETS:
                    self._grids.pop(next(k for k in self._grids if k))
                grid = self._grids[avoid] = _Grid(self.source, avoid)
            grid.add([*origins, *targets])
            return grid.take(origins, targets)

    def snapshot(self) -> tuple[list[LatLon], list[list[int]], list[list[int]]]:
        """Return the open roads' points and their (seconds, metres) matrices, for storing."""
        with self._lock:
            grid = self._grids.get(())
            if grid is None:
                return [], [], []
            return list(grid.index), [r[:] for r in grid.time], [r[:] for r in grid.dist]

    def seed(self, points: Sequence[LatLon], time: Sequence[Sequence[int]],
             dist: Sequence[Sequence[int]]) -> None:
        """Start the open roads' matrices from stored ones (same order as ``points``)."""
        with self._lock:
            grid = self._grids[()] = _Grid(self.source, ())
            grid.index = {tuple(p): i for i, p in enumerate(points)}  # type: ignore[misc]
            grid.time = [list(r) for r in time]
            grid.dist = [list(r) for r in dist]

    def size(self) -> int:
        """Return how many points the open roads' matrices hold."""
        with self._lock:
            grid = self._grids.get(())
            return len(grid.index) if grid else 0


class _Grid:
    """Square matrices over the points seen so far, for one set of closed areas."""

    def __init__(self, source: RoadMatrixSource, avoid: tuple[Polygon, ...]) -> None:
        self.source, self.avoid = source, avoid
        self.index: dict[LatLon, int] = {}
        self.time: list[list[int]] = []
        self.dist: list[list[int]] = []

    def add(self, points: Sequence[LatLon]) -> None:
        new = list(dict.fromkeys(p for p in points if p not in self.index))
        if not new:
            return
        old = list(self.index)
        everyone = old + new
        out_t, out_d = self.source.matrix(old, new, self.avoid) if old else ([], [])
        in_t, in_d = self.source.matrix(new, everyone, self.avoid)
        for row_t, row_d, add_t, add_d in zip(self.time, self.dist, out_t, out_d, strict=True):
            row_t.extend(_cell(x) for x in add_t)
            row_d.extend(_cell(x) for x in add_d)
        self.time.extend([_cell(x) for x in row] for row in in_t)
        self.dist.extend([_cell(x) for x in row] for row in in_d)
        for point in new:
            self.index[point] = len(self.index)

    def take(self, origins: Sequence[LatLon], targets: Sequence[LatLon]):  # type: ignore[no-untyped-def]
        cols = [self.index[p] for p in targets]
        rows = [self.index[p] for p in origins]
        return ([[self.time[r][c] for c in cols] for r in rows],
                [[self.dist[r][c] for c in cols] for r in rows])


def _cell(value: int | None) -> int:
    return UNREACHABLE if value is None else value


class RoadTravel:
    """Travel times by road (a :class:`RoadTimes`), times the month's factor; closed areas
    of a day are avoided on that day.  Points the engine cannot place fall back to the
    great-circle estimate of ``config``."""

    MAX_SETS = 16

    def __init__(self, times: RoadTimes, config: TravelConfig,
                 closures: dict[date, tuple[Polygon, ...]] | None = None) -> None:
        self.times, self.config = times, config
        self.closures = closures or {}
        self.estimate = GreatCircleTravel(config)
        self._sets: dict[tuple, tuple[Matrix, Matrix]] = {}
        self._lock = threading.Lock()

    def matrix(
        self, origins: Sequence[Place], targets: Sequence[Place], day: date | None
    ) -> tuple[Matrix, Matrix]:
        """Return (seconds, metres) matrices; callers must not modify the returned lists."""
        avoid = self.closures.get(day, ()) if day is not None else ()
        factor = self.config.factor(day)
        key = (tuple(origins), tuple(targets), factor, avoid)
        with self._lock:
            hit = self._sets.get(key)
        if hit is None:
            hit = self._compute(origins, targets, day, avoid, factor)
            with self._lock:
                if len(self._sets) >= self.MAX_SETS:
                    self._sets.pop(next(iter(self._sets)))
                self._sets[key] = hit
        return hit

    def _compute(self, origins: Sequence[Place], targets: Sequence[Place], day: date | None,
                 avoid: tuple[Polygon, ...], factor: float) -> tuple[Matrix, Matrix]:
        raw_t, raw_d = self.times.raw([(p.lat, p.lon) for p in origins],
                                      [(p.lat, p.lon) for p in targets], avoid)
        times: Matrix = []
        for i, row in enumerate(raw_t):
            times.append([_scaled(t, factor) for t in row])
            for j, t in enumerate(row):
                if t == OFF_ROAD:
                    est_t, est_d = self.estimate.matrix([origins[i]], [targets[j]], day)
                    times[i][j], raw_d[i][j] = est_t[0][0], est_d[0][0]
        return times, raw_d


def _scaled(seconds: int, factor: float) -> int:
    return seconds if seconds in (UNREACHABLE, OFF_ROAD) else math.ceil(seconds * factor)
