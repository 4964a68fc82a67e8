"""What staff see first: a day's requests and offers, with counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import (
    Driver,
    Offer,
    Place,
    RequestStatus,
    Resident,
    RideRequest,
    Vehicle,
)
from carshare.services.batch import by_id
from carshare.services.driver_pending import awaiting
from carshare.services.legs import OwnTrip, own_trip
from carshare.services.offers import offers_on
from carshare.services.timeline import AtRisk, RouteRow, at_risk, routes_on
from carshare.services.trip_progress import Progress, events_by_offer
from carshare.timeutil import day_bounds


@dataclass(frozen=True)
class RequestRow:
    """One ride request as listed on the dashboard."""

    request: RideRequest
    rider: Resident
    pickup: Place
    dropoff: Place


@dataclass(frozen=True)
class OfferRow:
    """One offer as listed on the dashboard."""

    offer: Offer
    driver: Resident
    vehicle: Vehicle
    start: Place
    end: Place
    destination: Place | None
    own: OwnTrip | None = None  # the driver's own errand (a planned trip), else None


@dataclass(frozen=True)
class DayOverview:
    """A service day at a glance."""

    day: date
    requests: list[RequestRow] = field(default_factory=list)
    offers: list[OfferRow] = field(default_factory=list)
    routes: list[RouteRow] = field(default_factory=list)
    risks: list[AtRisk] = field(default_factory=list)
    awaiting: set[int] = field(default_factory=set)  # rides whose driver has not accepted
    progress: dict[int, Progress] = field(default_factory=dict)  # the trips' events, by offer

    def count(self, *statuses: RequestStatus) -> int:
        """Return how many requests have one of ``statuses``."""
        return sum(1 for row in self.requests if row.request.status in statuses)

    @property
    def seats_offered(self) -> int:
        """Return the seats offered that day."""
        return sum(row.offer.seats for row in self.offers)


def day_overview(session: Session, town_id: int, day: date, tz: ZoneInfo) -> DayOverview:
    """Return the requests (by window start) and offers of one local day in a town, the
    routes of its plan, the rides at risk and the drivers' progress.

    Every row's driver, car, places and rider are loaded one table at a time, so the number
    of queries does not grow with the number of rides or offers.
    """
    requests = _requests_on(session, town_id, day, tz)
    held: list[object] = []  # rows the later steps find in the session instead of asking again
    offers = _offer_rows(session, town_id, day, held)
    routes = routes_on(session, town_id, day)
    risks = at_risk(session, [row.request for row in requests], routes, day)
    waiting = awaiting(session, [row.request for row in requests])
    progress = events_by_offer(session, (r.route.offer_id for r in routes), day)
    return DayOverview(day, requests, offers, routes, risks, waiting, progress)


def _requests_on(session: Session, town_id: int, day: date, tz: ZoneInfo) -> list[RequestRow]:
    start, end = day_bounds(day, tz)
    query = (
        select(RideRequest, Resident)
        .join(Resident, Resident.id == RideRequest.rider_id)
        .where(RideRequest.town_id == town_id, RideRequest.status != RequestStatus.QUOTED)
        .where(RideRequest.window_start >= start, RideRequest.window_start < end)
        .order_by(RideRequest.window_start, RideRequest.id)
    )
    rows = list(session.exec(query))
    places = by_id(session, Place, [p for r, _ in rows
                                    for p in (r.pickup_place_id, r.dropoff_place_id)])
    return [RequestRow(r, rider, places[r.pickup_place_id], places[r.dropoff_place_id])
            for r, rider in rows]


def _offer_rows(session: Session, town_id: int, day: date, held: list[object]) -> list[OfferRow]:
    offers = offers_on(session, town_id, day)
    place_ids = {p for o in offers for p in (o.start_place_id, o.end_place_id,
                                              o.destination_place_id) if p}
    places = by_id(session, Place, place_ids)
    cars = by_id(session, Vehicle, (o.vehicle_id for o in offers))
    drivers = by_id(session, Driver, (o.driver_id for o in offers))
    people = by_id(session, Resident, (d.resident_id for d in drivers.values()))
    held.extend(drivers.values())
    rows = []
    for offer in offers:
        destination = places.get(offer.destination_place_id) if offer.destination_place_id else None
        rows.append(OfferRow(offer, people[drivers[offer.driver_id].resident_id],
                             cars[offer.vehicle_id], places[offer.start_place_id],
                             places[offer.end_place_id], destination,
                             own_trip(session, offer, places) if destination else None))
    return rows

