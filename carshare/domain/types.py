"""Input types of a matching problem: places, vehicles, requests, promises.

Times are integers relative to :attr:`Problem.origin` (seconds for real
days; a benchmark reader may use another unit and says so).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

PlaceId = str | int
VehicleId = str | int
RequestId = str | int


@dataclass(frozen=True)
class Place:
    """A named point (a home, a facility, a settlement centre)."""

    id: PlaceId
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Window:
    """A closed interval ``[start, end]`` of problem time."""

    start: int
    end: int

    def contains(self, t: int) -> bool:
        """Return whether ``t`` lies inside the window."""
        return self.start <= t <= self.end

    def shifted(self, delta: int) -> Window:
        """Return the window moved by ``delta``."""
        return Window(self.start + delta, self.end + delta)


@dataclass(frozen=True)
class OwnStop:
    """Where the driver is going anyway: arrive by ``arrive_by``, leave not before ``leave_after``.

    The driver is at their own appointment in between: no rider stop, nobody in the car.
    A one-way trip has no own stop: its vehicle simply ends at the destination.
    """

    place: PlaceId
    arrive_by: int
    leave_after: int


@dataclass(frozen=True)
class Vehicle:
    """A driver's car for one offer.

    ``max_duration`` bounds the route duration; alternatively
    ``detour_budget`` is added to the driver's own direct trip start -> end.
    With neither, the window length is the only limit.
    ``own`` is the driver's own destination (visited as a pair of stops),
    ``extra_drive`` the driving (time units) the driver accepts beyond their
    own direct trip, start -> own destination -> end (or start -> end).
    """

    id: VehicleId
    start: PlaceId
    end: PlaceId
    window: Window
    seats: int
    wheelchair_spaces: int = 0
    max_duration: int | None = None
    detour_budget: int | None = None
    own: OwnStop | None = None
    extra_drive: int | None = None


@dataclass(frozen=True)
class Promise:
    """The vehicle and pick-up window already told to a rider."""

    vehicle_id: VehicleId
    pickup_window: Window


@dataclass(frozen=True)
class Request:
    """One ride request (one party travelling together).

    Give a ``dropoff_window`` ending at the appointment for arrive-by
    requests and a ``pickup_window`` for pick-up-after requests (or both).
    ``max_ride`` defaults to :meth:`RideRules.max_ride` of the direct time.
    """

    id: RequestId
    pickup: PlaceId
    dropoff: PlaceId
    pickup_window: Window | None = None
    dropoff_window: Window | None = None
    party: int = 1
    wheelchair: bool = False
    pickup_service: int = 60
    dropoff_service: int = 60
    max_ride: int | None = None
    allowed_vehicles: frozenset[VehicleId] | None = None
    promise: Promise | None = None


@dataclass(frozen=True)
class RideRules:
    """Configurable limits: maximum ride = direct x ratio + extra."""

    max_ride_ratio: float = 1.5
    max_ride_extra: int = 15 * 60

    def max_ride(self, direct: int) -> int:
        """Return the default maximum ride time for a direct travel time."""
        return math.ceil(direct * self.max_ride_ratio) + self.max_ride_extra


@dataclass(frozen=True)
class Problem:
    """One day to plan: places, vehicles (offers) and requests.

    ``objective`` is ``"time"`` (total driving time) or ``"distance"``.
    """

    places: tuple[Place, ...]
    vehicles: tuple[Vehicle, ...]
    requests: tuple[Request, ...]
    origin: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    rules: RideRules = field(default_factory=RideRules)
    objective: str = "time"
    horizon: Window = Window(0, 48 * 3600)

    def to_datetime(self, t: int) -> datetime:
        """Convert problem seconds to an aware datetime."""
        return self.origin + timedelta(seconds=t)

    def from_datetime(self, when: datetime) -> int:
        """Convert an aware datetime to problem seconds (rounded down)."""
        if when.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware datetime")
        return math.floor((when - self.origin).total_seconds())

    def with_requests(self, requests: tuple[Request, ...]) -> Problem:
        """Return a copy with other requests."""
        return Problem(self.places, self.vehicles, requests, self.origin, self.rules,
                       self.objective, self.horizon)
