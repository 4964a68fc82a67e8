"""Read what the report needs for one town and range: rides, riders, routes, button presses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, or_, select

from carshare.domain import report_math as rm
from carshare.domain.travel import TravelModel
from carshare.models import (
    Place,
    Plan,
    PlanStatus,
    RequestStatus,
    Resident,
    RideRequest,
    Route,
    Stop,
    StopKind,
    TripEvent,
    TripEventKind,
)
from carshare.services.problem import to_place
from carshare.services.ride_changes import CHANGED
from carshare.services.travel import MEASURING, travel_for

DRIVEN = (RequestStatus.COMPLETED, RequestStatus.NO_SHOW)


@dataclass(frozen=True)
class RideFacts:
    """What one served ride measured: its day, party, direct trip, ride time and sharing."""

    day: date
    party: int
    direct_km: float
    direct_s: int
    ride_s: int | None
    shared: bool


@dataclass
class Period:
    """The rows of one town and range that the report's figures come from."""

    requests: list[RideRequest]
    riders: dict[int, Resident]
    places: dict[int, Place]
    driven_routes: list[Route]
    facts: dict[int, RideFacts]

    def settlement_of(self, rider: Resident) -> str:
        """Return the settlement of the rider's home ("" when unknown)."""
        home = self.places.get(rider.home_place_id) if rider.home_place_id else None
        return home.settlement if home else ""


def load_period(session: Session, town_id: int, start: date, end: date,
                tz: ZoneInfo) -> Period:
    """Return the town's rides requested for local days ``start``..``end`` and their trips."""
    lo = datetime.combine(start, time(0), tzinfo=tz)
    hi = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)
    requests = list(session.exec(select(RideRequest).where(
        RideRequest.town_id == town_id, RideRequest.window_start >= lo,
        RideRequest.window_start < hi, RideRequest.status != RequestStatus.QUOTED,
        # a ride replaced by a change is not demand of its own: its replacement counts
        or_(RideRequest.outcome_code.is_(None), RideRequest.outcome_code != CHANGED))
        .order_by(RideRequest.window_start, RideRequest.id)))
    riders = by_id(session, Resident, {r.rider_id for r in requests})
    place_ids = {p for r in requests for p in (r.pickup_place_id, r.dropoff_place_id)}
    place_ids |= {r.home_place_id for r in riders.values() if r.home_place_id}
    places = by_id(session, Place, place_ids)
    routes = _plan_routes(session, town_id, start, end)
    period = Period(requests, riders, places, _driven(routes, requests), {})
    _measure(session, period, routes, tz, travel_for(session, town_id, MEASURING))
    return period


def by_id(session: Session, model, ids: set[int]) -> dict:  # type: ignore[no-untyped-def]
    """Return the rows of ``model`` with the given ids, by id."""
    if not ids:
        return {}
    return {row.id: row for row in session.exec(select(model).where(col(model.id).in_(ids)))}


def _plan_routes(session: Session, town_id: int, start: date,
                 end: date) -> dict[int, tuple[Route, list[Stop]]]:
    """Return the routes of the plans in force on the days of the range, with their stops."""
    rows = session.exec(
        select(Route, Stop).join(Plan, Plan.id == Route.plan_id)
        .join(Stop, Stop.route_id == Route.id)
        .where(Plan.town_id == town_id, Plan.status == PlanStatus.ACTIVE,
               Plan.service_date >= start, Plan.service_date <= end)
        .order_by(Route.id, Stop.sequence))
    routes: dict[int, tuple[Route, list[Stop]]] = {}
    for route, stop in rows:
        routes.setdefault(route.id, (route, []))[1].append(stop)
    return routes


def _driven(routes: dict[int, tuple[Route, list[Stop]]],
            requests: list[RideRequest]) -> list[Route]:
    went = {r.id for r in requests if r.status in DRIVEN}
    return [route for route, stops in routes.values()
            if any(s.kind is StopKind.PICKUP and s.request_id in went for s in stops)]


def _measure(session: Session, period: Period, routes: dict[int, tuple[Route, list[Stop]]],
             tz: ZoneInfo, travel: TravelModel) -> None:
    """Fill ``period.facts`` for every served ride."""
    served = [r for r in period.requests if r.status is RequestStatus.COMPLETED]
    stops: dict[int, list[Stop]] = {}  # request id -> its pick-up and drop-off stops
    shared: set[int] = set()
    for _route, route_stops in routes.values():
        rider_stops = [s for s in route_stops if s.request_id is not None]
        shared |= rm.shared_requests([rm.RiderStop(s.request_id, s.kind is StopKind.PICKUP)
                                      for s in rider_stops])
        for stop in rider_stops:
            stops.setdefault(stop.request_id, []).append(stop)
    pressed = _presses(session, [r.id for r in served])
    for request in served:
        day = request.window_start.astimezone(tz).date()
        direct_s, direct_m = _direct(period, request, day, travel)
        period.facts[request.id] = RideFacts(
            day=day, party=request.party_size, direct_km=direct_m / 1000, direct_s=direct_s,
            ride_s=_ride_s(pressed.get(request.id, {}), stops.get(request.id, [])),
            shared=request.id in shared)


def _presses(session: Session, request_ids: list[int]) -> dict[int, dict[TripEventKind, datetime]]:
    if not request_ids:
        return {}
    kinds = (TripEventKind.PICKED_UP, TripEventKind.DROPPED_OFF)
    events = session.exec(select(TripEvent).where(col(TripEvent.request_id).in_(request_ids),
                                                  col(TripEvent.kind).in_(kinds)))
    pressed: dict[int, dict[TripEventKind, datetime]] = {}
    for event in events:
        pressed.setdefault(event.request_id, {})[event.kind] = event.happened_at
    return pressed


def _ride_s(pressed: dict[TripEventKind, datetime], stops: list[Stop]) -> int | None:
    """Return the ride time: as the driver pressed it, else as planned, else unknown."""
    on, off = pressed.get(TripEventKind.PICKED_UP), pressed.get(TripEventKind.DROPPED_OFF)
    if on is not None and off is not None and off >= on:
        return int((off - on).total_seconds())
    pickup = next((s for s in stops if s.kind is StopKind.PICKUP), None)
    dropoff = next((s for s in stops if s.kind is StopKind.DROPOFF), None)
    if pickup is None or dropoff is None:
        return None
    return int((dropoff.arrival_at - pickup.departure_at).total_seconds())


def _direct(period: Period, request: RideRequest, day: date,
            travel: TravelModel) -> tuple[int, int]:
    """Return (seconds, metres) from pick-up to drop-off by the travel model."""
    origin = to_place(period.places[request.pickup_place_id])
    target = to_place(period.places[request.dropoff_place_id])
    times, metres = travel.matrix([origin], [target], day)
    return times[0][0], metres[0][0]
