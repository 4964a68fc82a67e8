"""Each driver's route of the day as a timeline, and the requests at risk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import (
    Driver,
    Offer,
    OfferStatus,
    Place,
    RequestStatus,
    Resident,
    RideRequest,
    Route,
    Stop,
    Town,
    Vehicle,
)
from carshare.services.batch import by_id, riders_of
from carshare.services.closure_risks import risks_on
from carshare.services.driver_pending import refused
from carshare.services.legs import own_stop_at, own_trip
from carshare.services.plans import active_plan, routes_of
from carshare.services.route_rows import RouteRow, StopRow


@dataclass(frozen=True)
class AtRisk:
    """A ride without a driver, or a confirmed one whose promise is in danger; why (a code).

    ``no_driver``: nobody carries it yet (asked for, or on the waiting list), with the
    planner's reason in ``detail`` when it has one (``capacity``, ``off_route``...).
    """

    request: RideRequest
    reason: str
    rider: Resident | None = None
    detail: str | None = None


#: Statuses of a ride that nobody carries yet.
NO_DRIVER = (RequestStatus.REQUESTED, RequestStatus.WAITING)


def routes_on(session: Session, town_id: int, day: date) -> list[RouteRow]:
    """Return the routes of the day's active plan, in start order (a fixed number of
    queries, however many routes and stops)."""
    plan = active_plan(session, town_id, day)
    if plan is None:
        return []
    rows = route_rows(session, routes_of(session, plan))
    return sorted(rows, key=lambda r: r.route.starts_at)


def route_rows(session: Session, routes: list[tuple[Route, list[Stop]]]) -> list[RouteRow]:
    """Return stored routes (with their stops in order) with their drivers, cars, places and
    riders, loaded one table at a time."""
    offers = by_id(session, Offer, (r.offer_id for r, _ in routes))
    drivers = by_id(session, Driver, (o.driver_id for o in offers.values()))
    people = by_id(session, Resident, (d.resident_id for d in drivers.values()))
    cars = by_id(session, Vehicle, (r.vehicle_id for r, _ in routes))
    stops = [s for _, route_stops in routes for s in route_stops]
    places = by_id(session, Place, [s.place_id for s in stops]
                   + [o.destination_place_id for o in offers.values()])
    riders = riders_of(session, (s.request_id for s in stops))
    zones = {t.id: ZoneInfo(t.timezone)
             for t in by_id(session, Town, (o.town_id for o in offers.values())).values()}
    rows = []
    for route, route_stops in routes:
        offer = offers[route.offer_id]
        rows.append(RouteRow(
            route, people[drivers[offer.driver_id].resident_id], cars[route.vehicle_id],
            [StopRow(s, places[s.place_id], riders.get(s.request_id) if s.request_id else None)
             for s in route_stops],
            own_trip(session, offer, places),
            own_stop_at(session, offer, route_stops, zones[offer.town_id])))
    return rows


def at_risk(session: Session, requests: list[RideRequest], routes: list[RouteRow],
            day: date) -> list[AtRisk]:
    """Return the rides nobody carries yet, confirmed rides that the plan no longer carries
    or whose driver cannot drive, and booked rides that a road closure of the day makes
    late; in the order of ``requests``."""
    planned = {s.stop.request_id for r in routes for s in r.stops}
    declined = refused(session, requests)
    closed = _closed(session, requests, routes, day)
    confirmed = [r for r in requests if r.status == RequestStatus.CONFIRMED]
    offers = by_id(session, Offer, (r.promised_offer_id for r in confirmed))
    drivers = by_id(session, Driver, (o.driver_id for o in offers.values()))
    found: list[tuple[RideRequest, str, str | None]] = []
    for request in requests:
        if request.status in NO_DRIVER:
            found.append((request, "no_driver", request.outcome_code))
            continue
        if request.status != RequestStatus.CONFIRMED:
            if request.id in closed:  # a planned ride that a road closure makes late
                found.append((request, closed[request.id], None))
            continue
        offer = offers.get(request.promised_offer_id) if request.promised_offer_id else None
        reason = _risk(request, offer, drivers.get(offer.driver_id) if offer else None,
                       planned, day) or (
            "driver_refused" if request.id in declined else "") or closed.get(request.id, "")
        if reason:
            found.append((request, reason, None))
    riders = by_id(session, Resident, (r.rider_id for r, _, _ in found))
    return [AtRisk(r, reason, riders.get(r.rider_id), detail) for r, reason, detail in found]


def _closed(session: Session, requests: list[RideRequest], routes: list[RouteRow],
            day: date) -> dict[int, str]:
    """The booked rides the day's road closures make late (one query when there are none)."""
    if not requests:
        return {}
    return risks_on(session, requests[0].town_id, day, requests, routes)


def _risk(request: RideRequest, offer: Offer | None, driver: Driver | None,
          planned: set[int | None], day: date) -> str:
    if offer is None or driver is None or offer.status == OfferStatus.WITHDRAWN:
        return "driver_declined"
    if not driver.active or driver.licence_expiry < day or driver.insurance_expiry < day:
        return "documents_expired"
    if request.id not in planned:
        return "promise_broken"
    return ""


def route_row(session: Session, route: Route) -> RouteRow:
    """Return one stored route with its driver, car and stops."""
    stops = list(session.exec(select(Stop).where(Stop.route_id == route.id)
                              .order_by(Stop.sequence)))  # type: ignore[arg-type]
    return route_rows(session, [(route, stops)])[0]
