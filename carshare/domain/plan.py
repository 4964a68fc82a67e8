"""Output types: stops, routes, plans and unserved requests with reasons."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from carshare.domain.types import PlaceId, RequestId, VehicleId


class StopKind(StrEnum):
    """What happens at a stop."""

    START = "start"
    PICKUP = "pickup"
    DROPOFF = "dropoff"
    OWN_ARRIVE = "own_arrive"  # the driver arrives at their own destination
    OWN_LEAVE = "own_leave"  # and leaves it after their own appointment
    END = "end"


@dataclass(frozen=True)
class Stop:
    """One stop of a route with its schedule.

    ``slack`` is how much later service could start without breaking any
    constraint of the route (the rest of the schedule adjusting).
    """

    kind: StopKind
    place: PlaceId
    request_id: RequestId | None
    arrival: int
    service_start: int
    departure: int
    slack: int
    load: int


@dataclass(frozen=True)
class Route:
    """The stops of one vehicle, start and end included."""

    vehicle_id: VehicleId
    stops: tuple[Stop, ...]
    distance: int
    duration: int

    @property
    def request_ids(self) -> tuple[RequestId, ...]:
        """Return the request ids in pick-up order."""
        return tuple(s.request_id for s in self.stops if s.kind is StopKind.PICKUP)

    def stop_of(self, request_id: RequestId, kind: StopKind) -> Stop:
        """Return the pick-up or drop-off stop of a request."""
        for stop in self.stops:
            if stop.request_id == request_id and stop.kind is kind:
                return stop
        raise KeyError(request_id)


class UnservedReason(StrEnum):
    """Why a request could not be served, in words a person can act on."""

    NO_OFFER = "no_offer"  # no car offered that day
    NOT_ALLOWED = "not_allowed"  # none of the allowed vehicles is offered
    NO_WHEELCHAIR_SPACE = "no_wheelchair_space"
    CAPACITY = "capacity"  # cars that could take it are full
    TOO_FAR = "too_far"  # beyond every driver's detour budget
    TIME = "time"  # no car is available at the requested time
    OFF_ROUTE = "off_route"  # nobody is going that way at that time
    EXTRA_DRIVE = "extra_drive"  # beyond the driver's accepted extra driving


@dataclass(frozen=True)
class Unserved:
    """A request left out of the plan and why."""

    request_id: RequestId
    reason: UnservedReason
    detail: str


@dataclass(frozen=True)
class Plan:
    """Routes of used vehicles plus unserved requests; ``cost`` per objective."""

    routes: tuple[Route, ...]
    unserved: tuple[Unserved, ...]
    cost: int

    def route_of(self, request_id: RequestId) -> Route | None:
        """Return the route serving a request, or None."""
        for route in self.routes:
            if request_id in route.request_ids:
                return route
        return None

    @property
    def served(self) -> tuple[RequestId, ...]:
        """Return every served request id."""
        return tuple(r for route in self.routes for r in route.request_ids)

    def sequences(self) -> dict[VehicleId, list[tuple[RequestId, StopKind]]]:
        """Return each vehicle's visiting order as (request id, kind) pairs."""
        return {
            route.vehicle_id: [
                (s.request_id, s.kind) for s in route.stops if s.request_id is not None
            ]
            for route in self.routes
        }
