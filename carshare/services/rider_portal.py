"""What a rider (or their family, signed in with the rider's code) sees of their rides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import OPEN_STATUSES, Place, Resident, RideRequest
from carshare.services.driver_pending import awaiting
from carshare.services.legs import DriverLabel, driver_label
from carshare.services.readback import LegCard, booking_card


@dataclass(frozen=True)
class RiderRide:
    """One upcoming ride, with only what the rider needs."""

    request: RideRequest
    pickup: Place
    dropoff: Place
    driver_given_name: str
    car_colour: str
    awaiting_driver: bool = False  # the driver has not accepted yet; nothing is confirmed
    driver: DriverLabel | None = None  # whose car and trip the rider joins, once confirmed


def upcoming(session: Session, rider: Resident, now: datetime) -> list[RiderRide]:
    """Return the rider's open rides that have not ended, soonest first; a ride whose driver
    has not accepted yet shows no driver and is marked as waiting."""
    rides = list(session.exec(select(RideRequest).where(
        RideRequest.rider_id == rider.id, RideRequest.status.in_(OPEN_STATUSES),
        RideRequest.window_end >= now).order_by(RideRequest.window_start)))
    waiting = awaiting(session, rides)
    return [_ride(session, r, r.id in waiting) for r in rides]


def _ride(session: Session, request: RideRequest, waiting: bool) -> RiderRide:
    label = None
    if request.promised_offer_id and not waiting:
        label = driver_label(session, request.promised_offer_id)
    return RiderRide(request, session.get(Place, request.pickup_place_id),
                     session.get(Place, request.dropoff_place_id),
                     label.given_name if label else "", label.colour if label else "", waiting,
                     label)


def upcoming_bookings(session: Session, rider: Resident, now: datetime,
                      tz: ZoneInfo) -> list[list[LegCard]]:
    """Return the rider's upcoming bookings as read-aloud cards (both legs together)."""
    seen: set[int] = set()
    bookings = []
    for ride in upcoming(session, rider, now):
        cards = booking_card(session, ride.request, tz)
        ids = {c.request.id for c in cards if c.request is not None}
        if ids & seen:
            continue
        seen |= ids
        bookings.append([c for c in cards if c.request is None or c.request.window_end >= now])
    return bookings
