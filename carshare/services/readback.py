"""The booking as staff read it back on the phone: both legs, each with one plain state.

The same card serves the staff summary, the rider's page and the printed slip, so what the
caller hears, sees and holds on paper never differ. A leg still open is never called booked.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import (
    Place,
    Plan,
    PlanStatus,
    RequestStatus,
    RideRequest,
    Route,
    Stop,
    StopKind,
)
from carshare.notifications.spoken import rounded
from carshare.services.driver_pending import awaiting
from carshare.services.legs import DriverLabel, driver_label


class LegState(enum.StrEnum):
    """The one state a leg is read out with."""

    BOOKED = "booked"  # a driver and a time; the driver has accepted (or need not)
    AWAITING_DRIVER = "awaiting_driver"  # a driver and a time, not yet accepted: not booked
    PLANNED = "planned"  # in the plan; the time is told the day before
    NO_DRIVER = "no_driver"  # asked for, no driver yet
    WAITING_LIST = "waiting_list"  # on the waiting list: the office calls when a car is found
    RIDER_WILL_CALL = "rider_will_call"  # an open return: the rider phones when ready
    NOT_BOOKED = "not_booked"  # options are still being read out
    CANCELLED = "cancelled"
    DONE = "done"
    NOT_SERVED = "not_served"  # the time passed without a ride, or the rider was not there


@dataclass(frozen=True)
class LegCard:
    """One leg as it is read out: when, from where to where, with whom, and its state."""

    request: RideRequest | None  # None: an open return not yet asked for
    is_return: bool
    day: date
    state: LegState
    pickup: Place
    dropoff: Place
    pickup_at: datetime | None = None  # the time said on the phone (rounded to 5 minutes)
    pickup_from: datetime | None = None  # the promised window
    pickup_to: datetime | None = None
    arrival_at: datetime | None = None  # the planned arrival, rounded up to 5 minutes
    driver: DriverLabel | None = None
    wished: datetime | None = None  # what the caller asked for: arrive by / pick up after


def booking_card(session: Session, request: RideRequest, tz: ZoneInfo) -> list[LegCard]:
    """Return the cards of a booking: the outbound leg and its return (asked for or open)."""
    outbound = _outbound_of(session, request)
    inbound = session.exec(select(RideRequest).where(
        RideRequest.outbound_id == outbound.id)).first()
    legs = [leg for leg in (outbound, inbound) if leg is not None]
    held = awaiting(session, legs)
    cards = [_card(session, leg, leg is inbound, leg.id in held, tz) for leg in legs]
    if inbound is None and outbound.return_open:
        cards.append(_open_return(session, outbound, tz))
    return cards


def _outbound_of(session: Session, request: RideRequest) -> RideRequest:
    if request.outbound_id is None:
        return request
    return session.get(RideRequest, request.outbound_id) or request


def _card(session: Session, leg: RideRequest, is_return: bool, held: bool,
          tz: ZoneInfo) -> LegCard:
    pickup, dropoff = (session.get(Place, leg.pickup_place_id),
                       session.get(Place, leg.dropoff_place_id))
    state = state_of(leg, held)
    wished = leg.window_end if leg.window_kind == "arrive_by" else leg.window_start
    card = LegCard(leg, is_return, leg.window_start.astimezone(tz).date(), state, pickup,
                   dropoff, wished=wished.astimezone(tz))
    if leg.promised_pickup_start is None or leg.promised_offer_id is None:
        return card
    start = leg.promised_pickup_start.astimezone(tz)
    end = leg.promised_pickup_end.astimezone(tz)  # type: ignore[union-attr]
    said = rounded(start + (end - start) / 2)
    arrival = _arrival(session, leg)
    return LegCard(leg, is_return, card.day, state, pickup, dropoff, said, start, end,
                   rounded(arrival.astimezone(tz), up=True) if arrival else None,
                   driver_label(session, leg.promised_offer_id), card.wished)


def state_of(leg: RideRequest, held: bool) -> LegState:
    """Return the one state a leg is read out with."""
    status = RequestStatus(leg.status)
    if status in (RequestStatus.CONFIRMED, RequestStatus.PLANNED) and leg.promised_offer_id:
        if held:
            return LegState.AWAITING_DRIVER
        return LegState.BOOKED if leg.promised_pickup_start else LegState.PLANNED
    return {
        RequestStatus.QUOTED: LegState.NOT_BOOKED,
        RequestStatus.REQUESTED: LegState.NO_DRIVER,
        RequestStatus.PLANNED: LegState.PLANNED,
        RequestStatus.WAITING: LegState.WAITING_LIST,
        RequestStatus.CANCELLED: LegState.CANCELLED,
        RequestStatus.COMPLETED: LegState.DONE,
    }.get(status, LegState.NOT_SERVED)


def _arrival(session: Session, leg: RideRequest) -> datetime | None:
    stop = session.exec(select(Stop).join(Route).join(Plan).where(
        Stop.request_id == leg.id, Stop.kind == StopKind.DROPOFF,
        Plan.status == PlanStatus.ACTIVE)).first()
    return stop.service_start_at if stop else None


def _open_return(session: Session, outbound: RideRequest, tz: ZoneInfo) -> LegCard:
    return LegCard(None, True, outbound.window_start.astimezone(tz).date(),
                   LegState.RIDER_WILL_CALL, session.get(Place, outbound.dropoff_place_id),
                   session.get(Place, outbound.pickup_place_id))


def overall(cards: list[LegCard]) -> str:
    """Return ``booked`` when every leg is booked, ``return_open`` when only the rider's call
    for the way back is missing, else ``open`` (something must be read out as not booked)."""
    states = {card.state for card in cards}
    if states == {LegState.BOOKED}:
        return "booked"
    if states == {LegState.BOOKED, LegState.RIDER_WILL_CALL}:
        return "return_open"
    return "open"
