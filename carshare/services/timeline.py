"""Each driver's route of the day as a timeline, and the requests at risk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

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
    Vehicle,
)
from carshare.services.driver_pending import refused
from carshare.services.legs import OwnTrip, own_stop_at, own_trip
from carshare.services.plans import active_plan, routes_of


@dataclass(frozen=True)
class StopRow:
    """A stop with its place and, for pick-ups and drop-offs, the rider."""

    stop: Stop
    place: Place
    rider: Resident | None


@dataclass(frozen=True)
class RouteRow:
    """One driver's route: who drives which car, and the stops in order."""

    route: Route
    driver: Resident
    vehicle: Vehicle
    stops: list[StopRow]
    own: OwnTrip | None = None  # the driver's own errand (shown from the offer)
    own_at: int | None = None  # the stop index the own errand comes before


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
    """Return the routes of the day's active plan, in start order."""
    plan = active_plan(session, town_id, day)
    if plan is None:
        return []
    rows = [route_row(session, route) for route, _stops in routes_of(session, plan)]
    return sorted(rows, key=lambda r: r.route.starts_at)


def _stop_row(session: Session, stop: Stop) -> StopRow:
    rider = None
    if stop.request_id is not None:
        rider = session.get(Resident, session.get(RideRequest, stop.request_id).rider_id)
    return StopRow(stop, session.get(Place, stop.place_id), rider)


def at_risk(session: Session, requests: list[RideRequest], routes: list[RouteRow],
            day: date) -> list[AtRisk]:
    """Return the rides nobody carries yet, confirmed rides that the plan no longer carries
    or whose driver cannot drive, and booked rides that a road closure of the day makes
    late; in the order of ``requests``."""
    planned = {s.stop.request_id for r in routes for s in r.stops}
    declined = refused(session, requests)
    closed = _closed(session, requests, routes, day)
    found = []
    for request in requests:
        if request.status in NO_DRIVER:
            found.append(AtRisk(request, "no_driver", session.get(Resident, request.rider_id),
                                request.outcome_code))
            continue
        if request.status != RequestStatus.CONFIRMED:
            if request.id in closed:  # a planned ride that a road closure makes late
                found.append(AtRisk(request, closed[request.id],
                                    session.get(Resident, request.rider_id)))
            continue
        reason = _risk(session, request, planned, day) or (
            "driver_refused" if request.id in declined else "") or closed.get(request.id, "")
        if reason:
            found.append(AtRisk(request, reason, session.get(Resident, request.rider_id)))
    return found


def _closed(session: Session, requests: list[RideRequest], routes: list[RouteRow],
            day: date) -> dict[int, str]:
    """The booked rides the day's road closures make late (one query when there are none)."""
    from carshare.services.closure_risks import risks_on

    if not requests:
        return {}
    return risks_on(session, requests[0].town_id, day, requests, routes)


def _risk(session: Session, request: RideRequest, planned: set[int | None], day: date) -> str:
    offer = session.get(Offer, request.promised_offer_id) if request.promised_offer_id else None
    if offer is None or offer.status == OfferStatus.WITHDRAWN:
        return "driver_declined"
    driver = session.get(Driver, offer.driver_id)
    if not driver.active or driver.licence_expiry < day or driver.insurance_expiry < day:
        return "documents_expired"
    if request.id not in planned:
        return "promise_broken"
    return ""


def route_row(session: Session, route: Route) -> RouteRow:
    """Return one stored route with its driver, car and stops."""
    from sqlmodel import select

    offer = session.get(Offer, route.offer_id)
    driver = session.get(Resident, session.get(Driver, offer.driver_id).resident_id)
    stops = list(session.exec(select(Stop).where(Stop.route_id == route.id)
                              .order_by(Stop.sequence)))
    return RouteRow(route, driver, session.get(Vehicle, route.vehicle_id),
                    [_stop_row(session, s) for s in stops], own_trip(session, offer),
                    own_stop_at(session, offer, stops))
