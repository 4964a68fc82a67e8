"""Which planned rides of a day a road closure touches (issue 20).

With road data each stored route is replayed with the day's travel times (which avoid the
closed roads): a ride whose stop comes later than planned is *affected*; one whose stop
passes its promise or window, or that can no longer be reached, is *at risk*.  Without road
data a detour cannot be computed: the rides from the first straight leg through a closed
area on are at risk, to be checked by phoning the driver.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.domain import types as d
from carshare.domain.closure_effect import (
    Visit,
    broken_rides,
    later_rides,
    replay,
    rides_after_crossing,
)
from carshare.domain.travel import UNREACHABLE, LatLon
from carshare.models import (
    Place,
    RequestStatus,
    RideRequest,
    RoadClosure,
    StopKind,
    Town,
    WindowKind,
)
from carshare.services.closure_shapes import polygon_of
from carshare.services.route_rows import RouteRow
from carshare.services.travel import model_info, travel_for

BOOKED = (RequestStatus.PLANNED, RequestStatus.CONFIRMED)
#: At-risk reasons (see ``carshare.web.labels.RISKS``).
CLOSED, UNVERIFIED = "closure", "closure_unverified"


@dataclass(frozen=True)
class Assessment:
    """Rides later than planned (``later``) and rides whose promise breaks (``broken``)."""

    roads: bool
    later: set[int] = field(default_factory=set)
    broken: set[int] = field(default_factory=set)

    @property
    def affected(self) -> set[int]:
        """Return every ride the closures touch."""
        return self.later | self.broken

    def reasons(self) -> dict[int, str]:
        """Return the at-risk reason of each ride whose promise breaks."""
        return {r: CLOSED if self.roads else UNVERIFIED for r in self.broken}


def open_on(session: Session, town_id: int, day: date) -> list[RoadClosure]:
    """Return the town's closures of ``day`` that are not lifted."""
    return list(session.exec(select(RoadClosure).where(
        RoadClosure.town_id == town_id, RoadClosure.day == day,
        RoadClosure.lifted_at.is_(None)).order_by(RoadClosure.id)))  # type: ignore[union-attr]


def risks_on(session: Session, town_id: int, day: date, requests: Sequence[RideRequest],
             routes: Sequence[RouteRow]) -> dict[int, str]:
    """Return the at-risk reason of each booked ride the day's closures break (cheap when
    the day has none: one query)."""
    if not any(r.status in BOOKED for r in requests):
        return {}
    closures = open_on(session, town_id, day)
    if not closures:
        return {}
    return assess(session, town_id, day, routes, requests, closures).reasons()


def assess(session: Session, town_id: int, day: date, routes: Sequence[RouteRow],
           requests: Iterable[RideRequest], closures: Sequence[RoadClosure]) -> Assessment:
    """Return which of the day's booked rides the closures make late or break."""
    booked = {r.id: r for r in requests if r.status in BOOKED}
    zone = ZoneInfo(session.get(Town, town_id).timezone)
    routes_as_visits = [visits_of(route, booked, day, zone) for route in routes]
    if not model_info().roads:
        shapes = [polygon_of(c) for c in closures]
        hit = set().union(*(rides_after_crossing(v, shapes) for v in routes_as_visits))
        return Assessment(False, set(), hit & set(booked))
    planned = {v.request_id for visits in routes_as_visits for v in visits}
    stranded = [booked[r] for r in booked if r not in planned]
    times = _Times(session, town_id, day, routes_as_visits, stranded)
    later, broken = set(), set()
    for visits in routes_as_visits:
        starts = replay(visits, lambda k, v=visits: times.leg(v[k - 1].point, v[k].point))
        later |= later_rides(visits, starts)
        broken |= broken_rides(visits, starts)
    broken |= {r.id for r in stranded if times.direct(r) >= UNREACHABLE}
    return Assessment(True, later & set(booked), broken & set(booked))


def visits_of(route: RouteRow, booked: dict[int, RideRequest], day: date,
              zone: ZoneInfo) -> list[Visit]:
    """Return a stored route as visits, the driver's own stop included where it lies."""
    origin = datetime.combine(day, time(0), tzinfo=zone)
    s = lambda when: int((when - origin).total_seconds())  # noqa: E731  (seconds of the day)
    visits = []
    for n, row in enumerate(route.stops):
        if n == route.own_at and route.own is not None and route.own.leave_after is not None:
            leave = datetime.combine(day, route.own.leave_after, tzinfo=zone)
            spot = route.own.destination
            visits.append(Visit((spot.lat, spot.lon), s(leave), 0))
        visits.append(_visit(row.stop, row.place, booked, s))
    return visits


def _visit(stop, place: Place, booked: dict[int, RideRequest], s) -> Visit:  # type: ignore[no-untyped-def]
    point = (place.lat, place.lon)
    if stop.kind == StopKind.START:
        return Visit(point, s(stop.departure_at), 0)
    start = s(stop.service_start_at)
    request = booked.get(stop.request_id) if stop.request_id is not None else None
    if request is None:
        return Visit(point, start, s(stop.departure_at) - start)
    return Visit(point, start, s(stop.departure_at) - start, _latest(stop, request, s),
                 request.id)


def _latest(stop, request: RideRequest, s) -> int | None:  # type: ignore[no-untyped-def]
    """The latest start of service the rider was promised at this stop (None: no bound)."""
    arrive_by = request.window_kind == WindowKind.ARRIVE_BY
    if stop.kind == StopKind.DROPOFF:
        return s(request.window_end) if arrive_by else None
    bounds = [] if arrive_by else [s(request.window_end)]
    promised = stop.promised_end or request.promised_pickup_end
    if promised is not None:
        bounds.append(s(promised))
    return min(bounds) if bounds else None


class _Times:
    """The day's travel times between every point of the routes, in one matrix call."""

    def __init__(self, session: Session, town_id: int, day: date,
                 routes: list[list[Visit]], stranded: list[RideRequest]) -> None:
        ends = {p.id: p for r in stranded for p in (
            session.get(Place, r.pickup_place_id), session.get(Place, r.dropoff_place_id))}
        self.ends = {r.id: ((ends[r.pickup_place_id].lat, ends[r.pickup_place_id].lon),
                            (ends[r.dropoff_place_id].lat, ends[r.dropoff_place_id].lon))
                     for r in stranded}
        points = [v.point for visits in routes for v in visits]
        points += [p for pair in self.ends.values() for p in pair]
        self.index: dict[LatLon, int] = {p: i for i, p in enumerate(dict.fromkeys(points))}
        places = [d.Place(i, "", lat, lon) for (lat, lon), i in self.index.items()]
        self.time = travel_for(session, town_id).matrix(places, places, day)[0] if places else []

    def leg(self, a: LatLon, b: LatLon) -> int:
        """Return the seconds from ``a`` to ``b`` on the day."""
        return self.time[self.index[a]][self.index[b]]

    def direct(self, request: RideRequest) -> int:
        """Return the seconds of a ride's direct trip on the day."""
        return self.leg(*self.ends[request.id])
