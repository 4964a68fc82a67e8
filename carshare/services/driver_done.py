"""What already happened on the road outlives re-planning.

Planning loads only the open rides of a day, so a new plan version would lose the stops of
riders already dropped off or not there, and forget which stops are done. Saving a plan
carries those stops (with their status) into the driver's route; riders on board are never
moved, and a car with someone on board keeps its route as it is.
"""

from __future__ import annotations

import heapq
from datetime import date

from sqlmodel import Session, select

from carshare.models import (
    Plan,
    RequestStatus,
    RideRequest,
    Route,
    Stop,
    StopStatus,
    TripEvent,
    TripEventKind,
)
from carshare.services.plan_rows import routes_of

#: Open rides that planning left alone keep their stops.
HELD = (RequestStatus.PLANNED, RequestStatus.CONFIRMED)
COPIED = ("kind", "place_id", "request_id", "arrival_at", "service_start_at", "departure_at",
          "promised_start", "promised_end", "load_after", "status")


def on_board(session: Session, town_id: int, day: date) -> dict[int, int]:
    """Return the riders picked up and not yet dropped off on ``day``: request -> offer."""
    events = list(session.exec(select(TripEvent).where(
        TripEvent.town_id == town_id, TripEvent.service_date == day,
        TripEvent.request_id.is_not(None))))
    ended = {e.request_id for e in events
             if e.kind in (TripEventKind.DROPPED_OFF, TripEventKind.NO_SHOW)}
    return {e.request_id: e.offer_id for e in events  # type: ignore[misc]
            if e.kind is TripEventKind.PICKED_UP and e.request_id not in ended}


def is_on_board(session: Session, request_id: int) -> bool:
    """Tell whether the rider was picked up and not yet dropped off."""
    kinds = set(session.exec(select(TripEvent.kind).where(TripEvent.request_id == request_id)))
    return TripEventKind.PICKED_UP in kinds and TripEventKind.DROPPED_OFF not in kinds


def riders_of_routes(session: Session, plan: Plan | None, offer_ids: set[int]) -> set[int]:
    """Return the riders on the routes of ``offer_ids`` in ``plan``."""
    if plan is None or not offer_ids:
        return set()
    query = (select(Stop.request_id).join(Route, Route.id == Stop.route_id)
             .where(Route.plan_id == plan.id, Route.offer_id.in_(offer_ids),
                    Stop.request_id.is_not(None)))
    return set(session.exec(query))  # type: ignore[arg-type]


class Carried:
    """The stops of an old route that a new plan version keeps, and every old stop status."""

    def __init__(self, route: Route, stops: list[Stop], kept: list[Stop]) -> None:
        self.route = route
        self.start = stops[0]
        self.end = stops[-1]
        self.kept = kept
        self.statuses = {(s.request_id, s.kind): s.status for s in stops if s.request_id}

    def merged(self, new: list[Stop]) -> list[Stop]:
        """Return the new route's stops with the kept ones, in time order.

        Kept stops keep their old times and status; with any, the route keeps its old start
        (the trip began then). New stops take the status their ride had (a rider on board).
        """
        for stop in new:
            stop.status = self.statuses.get((stop.request_id, stop.kind), stop.status)
        if not self.kept:
            return new
        middle = heapq.merge([copy(s) for s in self.kept], new[1:-1],
                             key=lambda s: s.service_start_at)
        return [copy(self.start), *middle, new[-1]]

    def alone(self) -> list[Stop]:
        """Return the stops of a route that the new plan does not drive any more."""
        return [copy(self.start), *(copy(s) for s in self.kept), copy(self.end)]


def carried(session: Session, based_on: Plan | None, planned: set[int]) -> dict[int, Carried]:
    """Return, by offer, what each route of ``based_on`` hands on to the next version.

    :param planned: the rides the new version was computed with. Of the other rides of the
        old routes, those the driver already reported on (done, not there) and the open
        ones that planning deliberately left alone (a car with someone on board) are kept;
        cancelled rides go.
    """
    if based_on is None:
        return {}
    found = {}
    for route, stops in routes_of(session, based_on):
        others = {s.request_id for s in stops if s.request_id and s.request_id not in planned}
        status = _statuses(session, others)
        seen = {s.request_id for s in stops if s.status != StopStatus.PLANNED}
        kept = [s for s in stops if s.request_id in others
                and (status.get(s.request_id) in HELD or s.request_id in seen)]
        found[route.offer_id] = Carried(route, stops, kept)
    return found


def _statuses(session: Session, ids: set[int]) -> dict[int, RequestStatus]:
    if not ids:
        return {}
    rows = session.exec(select(RideRequest.id, RideRequest.status)
                        .where(RideRequest.id.in_(ids)))
    return dict(rows.all())  # type: ignore[arg-type]


def copy(stop: Stop) -> Stop:
    """Return an unsaved copy of a stop (for another route)."""
    return Stop(sequence=stop.sequence, **{name: getattr(stop, name) for name in COPIED})


def copy_route(route: Route, plan_id: int) -> Route:
    """Return an unsaved copy of a route for another plan version."""
    fields = route.model_dump(exclude={"id", "plan_id"})
    return Route(plan_id=plan_id, **fields)
