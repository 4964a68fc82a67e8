"""Translate a town's day from the database into the domain's matching problem."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.domain import types as d
from carshare.domain.corridor import OwnTrip, fitting_trips
from carshare.domain.travel import TravelModel
from carshare.models import (
    OPEN_STATUSES,
    Driver,
    Offer,
    Place,
    RequestStatus,
    RideRequest,
    Vehicle,
)
from carshare.services.batch import by_id
from carshare.services.offers import offers_on
from carshare.services.travel import travel_for
from carshare.timeutil import day_bounds

BOARDING_S = 60  # getting in or out of a car
ASSISTED_BOARDING_S = 180  # with a walker, a wheelchair or help
PLANNED = (RequestStatus.PLANNED, RequestStatus.CONFIRMED)


@dataclass(frozen=True)
class DayData:
    """The database rows behind one day's problem."""

    day: date
    origin: datetime
    offers: dict[int, Offer]
    cars: dict[int, Vehicle]  # by offer id
    requests: dict[int, RideRequest]
    places: dict[int, Place]
    travel: TravelModel  # the town's, for planning (see services.travel)


def seconds(origin: datetime, when: datetime) -> int:
    """Return whole seconds from ``origin`` to ``when``."""
    return int((when - origin).total_seconds())


def day_data(session: Session, town_id: int, day: date, tz: ZoneInfo,
             statuses: tuple[RequestStatus, ...] = OPEN_STATUSES) -> DayData:
    """Load the usable offers and the requests of a day (by window start, in the town's zone)."""
    start, end = day_bounds(day, tz)
    found = offers_on(session, town_id, day)
    drivers = by_id(session, Driver, (o.driver_id for o in found))
    vehicles = by_id(session, Vehicle, (o.vehicle_id for o in found))
    offers = {o.id: o for o in found
              if _usable(drivers[o.driver_id], vehicles[o.vehicle_id], day)}
    cars = {o.id: vehicles[o.vehicle_id] for o in offers.values()}
    requests = {r.id: r for r in session.exec(select(RideRequest).where(
        RideRequest.town_id == town_id, RideRequest.status.in_(statuses),
        RideRequest.window_start >= start, RideRequest.window_start < end))}
    ids = {p for o in offers.values()
           for p in (o.start_place_id, o.end_place_id, o.destination_place_id) if p}
    ids |= {p for r in requests.values() for p in (r.pickup_place_id, r.dropoff_place_id)}
    places = {p.id: p for p in session.exec(select(Place).where(Place.id.in_(ids)))} if ids else {}
    return DayData(day, start, offers, cars, requests, places, travel_for(session, town_id))


def _usable(driver: Driver, vehicle: Vehicle, day: date) -> bool:
    """Offers of inactive drivers or cars, or with expired documents, are never matched."""
    return (driver.active and vehicle.active and driver.licence_expiry >= day
            and driver.insurance_expiry >= day)


def to_problem(data: DayData, only: set[int] | None = None) -> d.Problem:
    """Return the domain problem of a day, with requests restricted to ``only`` if given.

    Riders may only go with drivers whose own trip they fit (see :mod:`corridor`).
    """
    requests = tuple(to_request(data, r) for r in data.requests.values()
                     if only is None or r.id in only)
    return d.Problem(places=tuple(to_place(p) for p in data.places.values()),
                     vehicles=tuple(_vehicle(data, o) for o in data.offers.values()),
                     requests=restrict_to_trips(data, requests), origin=data.origin)


def restrict_to_trips(data: DayData, requests: tuple[d.Request, ...],
                      extra_places: tuple[d.Place, ...] = ()) -> tuple[d.Request, ...]:
    """Allow each request only the offers whose driver's own trip it fits (or that go anywhere).

    :param extra_places: places of the requests that ``data`` does not hold.
    """
    trips = {o.id: OwnTrip(o.start_place_id, o.destination_place_id, o.end_place_id,
                           o.extra_minutes * 60)  # the whole trip's: still a necessary bound
             for o in data.offers.values() if o.destination_place_id}
    if not trips:
        return requests
    anywhere = frozenset(o for o in data.offers if o not in trips)
    places = {p.id: to_place(p) for p in data.places.values()}
    places.update({p.id: p for p in extra_places})
    fits = fitting_trips(requests, trips, places, data.travel)
    promised = lambda r: {r.promise.vehicle_id} if r.promise else set()  # noqa: E731
    return tuple(replace(r, allowed_vehicles=anywhere | fits[r.id] | promised(r))
                 for r in requests)



def to_place(place: Place) -> d.Place:
    """Return the domain place of a row."""
    return d.Place(place.id, place.name, place.lat, place.lon)


def _vehicle(data: DayData, offer: Offer) -> d.Vehicle:
    """The offer as the engine's vehicle: a round trip visits its own stop; a one-way trip
    ends at its destination, there by its arrival time; extra driving is for the whole trip."""
    at = lambda t: _at(data, t)  # noqa: E731
    car = data.cars[offer.id]
    own, end, window_end = None, offer.end_place_id, at(offer.return_by)
    if offer.destination_place_id is not None and offer.arrive_by is not None:
        if offer.leave_after is None:
            end, window_end = offer.destination_place_id, at(offer.arrive_by)
        else:
            own = d.OwnStop(offer.destination_place_id, at(offer.arrive_by),
                            at(offer.leave_after))
    return d.Vehicle(offer.id, offer.start_place_id, end,
                     d.Window(at(offer.depart_after), window_end),
                     seats=min(offer.seats, car.seats),
                     wheelchair_spaces=min(offer.wheelchair_spaces, car.wheelchair_spaces),
                     own=own, extra_drive=offer.extra_minutes * 60)


def _at(data: DayData, clock: time) -> int:
    """Return problem seconds of a time of day on the day of ``data``."""
    base = datetime.combine(data.day, time(0), tzinfo=data.origin.tzinfo)
    return seconds(data.origin, base + _clock(clock))


def _clock(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second)


def to_request(data: DayData, r: RideRequest) -> d.Request:
    """Return the domain request of a row, with its promise when one was made."""
    window = d.Window(seconds(data.origin, r.window_start), seconds(data.origin, r.window_end))
    arrive_by = r.window_kind == "arrive_by"
    service = ASSISTED_BOARDING_S if (r.wheelchair or r.walker or r.boarding_help) else BOARDING_S
    promise = None
    if r.promised_offer_id and r.promised_pickup_start and r.promised_offer_id in data.offers:
        promise = d.Promise(r.promised_offer_id, d.Window(
            seconds(data.origin, r.promised_pickup_start),
            seconds(data.origin, r.promised_pickup_end)))
    return d.Request(r.id, r.pickup_place_id, r.dropoff_place_id,
                     pickup_window=None if arrive_by else window,
                     dropoff_window=window if arrive_by else None, party=r.party_size,
                     wheelchair=r.wheelchair, pickup_service=service, dropoff_service=service,
                     promise=promise)
