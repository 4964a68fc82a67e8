"""What the booking pages show about options and legs (driver, car, places)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from carshare.models import Driver, Offer, Place, Resident, RideRequest, Stop, Vehicle
from carshare.services.quoting import Answer

REASONS = {
    "no_offer": _l("No driver offers a ride that day."),
    "not_allowed": _l("This trip is too far out of the way of every driver going that day."),
    "no_wheelchair_space": _l("No car with a wheelchair space is driving then."),
    "capacity": _l("The cars that could take this ride are full."),
    "too_far": _l("This trip is too far out of every driver's way."),
    "time": _l("No driver is available at that time."),
}


@dataclass(frozen=True)
class DriverLabel:
    """How staff name a driver and car to the caller."""

    given_name: str
    colour: str
    make_model: str
    plate: str


def reason_label(code: str | None) -> str:
    """Return the translated reason why nothing fits."""
    return str(REASONS.get(code, "")) if code else ""


def driver_label(session: Session, offer_id: int) -> DriverLabel:
    """Return the driver's given name and the car of an offer."""
    offer = session.get(Offer, offer_id)
    car = session.get(Vehicle, offer.vehicle_id)
    person = session.get(Resident, session.get(Driver, offer.driver_id).resident_id)
    return DriverLabel(person.given_name, car.colour, car.make_model, car.plate)


def option_labels(session: Session, result: Answer) -> dict[int, DriverLabel]:
    """Return the driver label of every offer in the options and alternatives."""
    ids = {o.option.vehicle_id for o in result.options + result.alternatives}
    return {offer_id: driver_label(session, offer_id) for offer_id in ids}


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
        stop = session.exec(select(Stop).where(Stop.request_id == leg.id,
                                               Stop.kind == "pickup").order_by(Stop.id.desc())
                            ).first()
        driver = driver_label(session, leg.promised_offer_id) if leg.promised_offer_id else None
        details[leg.id] = LegDetail(session.get(Place, leg.pickup_place_id),
                                    session.get(Place, leg.dropoff_place_id), driver, stop)
    return details
