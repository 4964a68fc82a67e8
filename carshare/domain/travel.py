"""Travel model: time and distance matrices for a set of places.

The default is great-circle distance x road circuity at a rural average
speed, slower in winter months.  A road-network engine can replace it by
implementing :class:`TravelModel`.
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


@dataclass(frozen=True)
class TravelConfig:
    """Parameters of the great-circle model (from configuration)."""

    circuity: float = 1.25
    speed_kmh: float = 50.0
    winter_factor: float = 1.3
    winter_months: tuple[int, ...] = (12, 1, 2, 3)


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

    def _pair(self, a: Place, b: Place, winter: bool) -> tuple[int, int]:
        key = (a.lat, a.lon, b.lat, b.lon, winter)
        hit = self._pairs.get(key)
        if hit is None:
            metres = haversine_m(a, b) * self.config.circuity
            speed = self.config.speed_kmh / 3.6
            if winter:
                speed /= self.config.winter_factor
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
        winter = day is not None and day.month in self.config.winter_months
        key = (tuple(origins), tuple(targets), winter)
        with self._lock:  # one instance may be shared by several threads
            hit = self._sets.get(key)
            if hit is None:
                rows = [[self._pair(a, b, winter) for b in targets] for a in origins]
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
