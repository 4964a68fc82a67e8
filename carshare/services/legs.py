"""The legs of a booking as staff read them back: places, driver, car, planned pick-up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import (
    Driver,
    Offer,
    Place,
    Plan,
    PlanStatus,
    Resident,
    RideRequest,
    Route,
    Stop,
    StopKind,
    Town,
    Vehicle,
)


@dataclass(frozen=True)
class OwnTrip:
    """Where the driver is going on their own errand: there by ``arrive_by``, away after
    ``leave_after`` (none: one way, the trip ends there)."""

    destination: Place
    arrive_by: time
    leave_after: time | None


def own_trip(session: Session, offer: Offer,
             places: Mapping[int, Place] | None = None) -> OwnTrip | None:
    """Return the driver's own trip of a planned-trip offer; None for availability only.

    :param places: places loaded already, by id (the destination is read from them if there).
    """
    if offer.destination_place_id is None or offer.arrive_by is None:
        return None
    destination = (places or {}).get(offer.destination_place_id) or session.get(
        Place, offer.destination_place_id)
    return OwnTrip(destination, offer.arrive_by, offer.leave_after)  # type: ignore[arg-type]


def own_stop_at(session: Session, offer: Offer, stops: list[Stop],
                zone: ZoneInfo | None = None) -> int | None:
    """Return where the driver's own stop goes among stored ``stops`` (before that index):
    after the drop-offs due by ``arrive_by``, before the pick-ups after ``leave_after``.

    :param zone: the town's time zone, when the caller knows it already.
    """
    if offer.arrive_by is None or not stops:
        return None
    zone = zone or ZoneInfo(session.get(Town, offer.town_id).timezone)  # type: ignore[union-attr]
    for index, stop in enumerate(stops[1:], start=1):
        if stop.kind == StopKind.END or (
                stop.service_start_at.astimezone(zone).time() > offer.arrive_by):
            return index
    return len(stops)


@dataclass(frozen=True)
class DriverLabel:
    """How staff name a driver, the car and the trip the rider joins to the caller."""

    given_name: str
    colour: str
    make_model: str
    plate: str
    family_name: str = ""
    family_name_kana: str = ""
    trip: OwnTrip | None = None  # None: the driver only offers availability


def driver_label(session: Session, offer_id: int) -> DriverLabel:
    """Return the driver's names, the car and the driver's own trip of an offer."""
    offer = session.get(Offer, offer_id)
    car = session.get(Vehicle, offer.vehicle_id)
    person = session.get(Resident, session.get(Driver, offer.driver_id).resident_id)
    return DriverLabel(person.given_name, car.colour, car.make_model, car.plate,
                       person.family_name, person.family_name_kana, own_trip(session, offer))


def driver_labels(session: Session, offer_ids: Iterable[int]) -> dict[int, DriverLabel]:
    """Return :func:`driver_label` of several offers, by offer id (one query per table)."""
    from carshare.services.batch import by_id

    offers = by_id(session, Offer, offer_ids)
    cars = by_id(session, Vehicle, (o.vehicle_id for o in offers.values()))
    drivers = by_id(session, Driver, (o.driver_id for o in offers.values()))
    people = by_id(session, Resident, (d.resident_id for d in drivers.values()))
    places = by_id(session, Place, (o.destination_place_id for o in offers.values()
                                    if o.arrive_by is not None))
    labels = {}
    for offer in offers.values():
        car, person = cars[offer.vehicle_id], people[drivers[offer.driver_id].resident_id]
        labels[offer.id] = DriverLabel(person.given_name, car.colour, car.make_model, car.plate,
                                       person.family_name, person.family_name_kana,
                                       own_trip(session, offer, places))
    return labels


@dataclass(frozen=True)
class LegDetail:
    """A booked leg with its places and, once confirmed, its driver and planned stop."""

    pickup: Place
    dropoff: Place
    driver: DriverLabel | None
    stop: Stop | None


def leg_details(session: Session, legs: list[RideRequest]) -> dict[int, LegDetail]:
    """Return the details of each leg, by request id."""
    details = {}
    for leg in legs:
        stop = session.exec(select(Stop).join(Route).join(Plan).where(
            Stop.request_id == leg.id, Stop.kind == StopKind.PICKUP,
            Plan.status == PlanStatus.ACTIVE)).first()
        driver = driver_label(session, leg.promised_offer_id) if leg.promised_offer_id else None
        details[leg.id] = LegDetail(session.get(Place, leg.pickup_place_id),
                                    session.get(Place, leg.dropoff_place_id), driver, stop)
    return details
