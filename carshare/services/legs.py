"""The legs of a booking as staff read them back: places, driver, car, planned pick-up."""

from __future__ import annotations

from dataclasses import dataclass

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
    Vehicle,
)


@dataclass(frozen=True)
class DriverLabel:
    """How staff name a driver and car to the caller."""

    given_name: str
    colour: str
    make_model: str
    plate: str


def driver_label(session: Session, offer_id: int) -> DriverLabel:
    """Return the driver's given name and the car of an offer."""
    offer = session.get(Offer, offer_id)
    car = session.get(Vehicle, offer.vehicle_id)
    person = session.get(Resident, session.get(Driver, offer.driver_id).resident_id)
    return DriverLabel(person.given_name, car.colour, car.make_model, car.plate)


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
