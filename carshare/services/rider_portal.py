"""What a rider (or their family, signed in with the rider's code) sees of their rides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from carshare.models import OPEN_STATUSES, Driver, Offer, Place, Resident, RideRequest, Vehicle
from carshare.services.driver_pending import awaiting


@dataclass(frozen=True)
class RiderRide:
    """One upcoming ride, with only what the rider needs."""

    request: RideRequest
    pickup: Place
    dropoff: Place
    driver_given_name: str
    car_colour: str
    awaiting_driver: bool = False  # the driver has not accepted yet; nothing is confirmed


def upcoming(session: Session, rider: Resident, now: datetime) -> list[RiderRide]:
    """Return the rider's open rides that have not ended, soonest first; a ride whose driver
    has not accepted yet shows no driver and is marked as waiting."""
    rides = list(session.exec(select(RideRequest).where(
        RideRequest.rider_id == rider.id, RideRequest.status.in_(OPEN_STATUSES),
        RideRequest.window_end >= now).order_by(RideRequest.window_start)))
    waiting = awaiting(session, rides)
    return [_ride(session, r, r.id in waiting) for r in rides]


def _ride(session: Session, request: RideRequest, waiting: bool) -> RiderRide:
    name = colour = ""
    if request.promised_offer_id and not waiting:
        offer = session.get(Offer, request.promised_offer_id)
        driver = session.get(Resident, session.get(Driver, offer.driver_id).resident_id)
        name, colour = driver.given_name, session.get(Vehicle, offer.vehicle_id).colour
    return RiderRide(request, session.get(Place, request.pickup_place_id),
                     session.get(Place, request.dropoff_place_id), name, colour, waiting)
