"""Booking a ride (and its return) during the phone call: validate, then store the requests."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from carshare.models import (
    OPEN_STATUSES,
    Driver,
    Offer,
    OfferStatus,
    Place,
    PlaceKind,
    RequestChannel,
    RequestStatus,
    Resident,
    RideRequest,
    StaffUser,
    Vehicle,
    WindowKind,
)
from carshare.services import audit
from carshare.services.audit import Actor
from carshare.services.quotes import discard_quotes
from carshare.services.ride_changes import changeable, replaced_ids

ARRIVE_WINDOW = timedelta(minutes=60)
PICKUP_WINDOW = timedelta(minutes=30)
MAX_DAYS_AHEAD = 60


class BookingError(ValueError):
    """A booking cannot be stored; ``field`` names the input at fault, ``code`` the reason."""

    def __init__(self, field: str, code: str, **params: object) -> None:
        super().__init__(code)
        self.field, self.code, self.params = field, code, params


@dataclass(frozen=True)
class BookingInput:
    """What staff enter on the booking form."""

    rider_id: int
    pickup_place_id: int
    dropoff_place_id: int
    day: date
    window_kind: WindowKind
    clock: time
    party_size: int = 1
    wheelchair: bool = False
    walker: bool = False
    boarding_help: bool = False
    return_mode: str = "none"  # none | after | open
    return_clock: time | None = None
    note: str = ""
    replaces_id: int | None = None  # the booked ride this booking changes


@dataclass(frozen=True)
class Booking:
    """The stored outbound request and, when asked for, its return."""

    outbound: RideRequest
    inbound: RideRequest | None


def window(day: date, kind: WindowKind, clock: time, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Return the time window of a request: arrive-by ends at ``clock``, pick-up starts there."""
    at = datetime.combine(day, clock, tzinfo=tz)
    if kind == WindowKind.ARRIVE_BY:
        return at - ARRIVE_WINDOW, at
    return at, at + PICKUP_WINDOW


def create_booking(session: Session, staff: Actor, data: BookingInput,
                   now: datetime, tz: ZoneInfo, channel: RequestChannel | None = None,
                   quote: bool = False) -> Booking:
    """Validate and store a booking in one transaction, with its audit entry.

    :param staff: the staff member on the phone, or the rider booking on their own page.
    :param channel: how the request came (default: phone for staff, web for a rider).
    :param quote: store the legs as quotes (options to read out; nobody else sees them until
        the caller takes one), replacing the rider's earlier quotes.

    :raise BookingError: impossible times, unknown places, too large a party, a duplicate,
        or a ride to change that is no longer open.
    """
    rider = _rider(session, staff, data.rider_id)
    _check_needs(session, data)
    _check_places(session, staff.town_id, data)
    _check_party(session, staff.town_id, data.party_size, data.wheelchair)
    start, end = window(data.day, data.window_kind, data.clock, tz)
    _check_time(data, end, now)
    replaced = _replaced(session, data)
    _check_duplicate(session, data, start, replaced)
    if quote:
        discard_quotes(session, rider.id)
    outbound = _request(session, staff, data, data.pickup_place_id, data.dropoff_place_id,
                        data.window_kind, start, end, return_open=data.return_mode == "open",
                        replaces_id=data.replaces_id)
    inbound = None
    if data.return_mode == "after":
        inbound = _return_leg(session, staff, data, outbound, tz)
    for leg in filter(None, (outbound, inbound)):
        leg.channel = channel or leg.channel
        leg.status = RequestStatus.QUOTED if quote else leg.status
    how = "phone booking" if isinstance(staff, StaffUser) else "rider's own page"
    if channel is RequestChannel.API:
        how = "api"
    audit.record(session, staff, "quote" if quote else "create", "ride_request", outbound.id,
                 rider.id, how)
    session.commit()
    return Booking(outbound, inbound)


def _rider(session: Session, staff: Actor, rider_id: int) -> Resident:
    rider = session.get(Resident, rider_id)
    own = isinstance(staff, StaffUser) or staff.id == rider_id
    if rider is None or rider.town_id != staff.town_id or not rider.active or not own:
        raise BookingError("rider", "unknown_rider")
    return rider


def _check_needs(session: Session, data: BookingInput) -> None:
    """Mobility needs are stored with a ride only with the rider's consent for them."""
    from carshare.models import ConsentScope
    from carshare.services.consents import has_consent

    if (data.wheelchair or data.walker or data.boarding_help) and not has_consent(
            session, data.rider_id, ConsentScope.NEEDS):
        raise BookingError("needs", "needs_without_consent")


def _check_places(session: Session, town_id: int, data: BookingInput) -> None:
    for field, place_id in (("pickup", data.pickup_place_id), ("dropoff", data.dropoff_place_id)):
        place = session.get(Place, place_id)
        if place is None or place.town_id != town_id or not place.active:
            raise BookingError(field, "unknown_place")
    if data.pickup_place_id == data.dropoff_place_id:
        raise BookingError("dropoff", "same_place")


def _check_party(session: Session, town_id: int, party: int, wheelchair: bool = False) -> None:
    """The party must fit the largest car (a wheelchair user rides in a wheelchair space)."""
    largest = session.exec(select(func.max(Vehicle.seats)).join(Driver)
                           .join(Offer, Offer.vehicle_id == Vehicle.id)
                           .where(Offer.town_id == town_id, Offer.status == OfferStatus.ACTIVE,
                                  Vehicle.active, Driver.active)).one() or 0
    if party < 1 or party - (1 if wheelchair else 0) > largest:
        raise BookingError("party_size", "party_too_large", largest=largest)


def _check_time(data: BookingInput, end: datetime, now: datetime) -> None:
    if end <= now:
        raise BookingError("clock", "time_passed")
    if data.day > now.date() + timedelta(days=MAX_DAYS_AHEAD):
        raise BookingError("day", "too_far_ahead", days=MAX_DAYS_AHEAD)
    if data.return_mode == "after":
        if data.return_clock is None:
            raise BookingError("return_clock", "return_time_missing")
        if data.return_clock <= data.clock:
            raise BookingError("return_clock", "return_before_outbound")


def _replaced(session: Session, data: BookingInput) -> set[int]:
    """Return the legs a change replaces (none for a new booking).

    :raise BookingError: the ride to change is not the rider's open outbound ride.
    """
    if data.replaces_id is None:
        return set()
    ride = changeable(session, data.rider_id, data.replaces_id)
    if ride is None:
        raise BookingError("form", "not_changeable")
    return replaced_ids(session, ride)


def _check_duplicate(session: Session, data: BookingInput, start: datetime,
                     replaced: Collection[int] = ()) -> None:
    """A ride like one already booked is refused (a ride being changed does not count)."""
    existing = session.exec(select(RideRequest).where(
        RideRequest.rider_id == data.rider_id, RideRequest.window_start == start,
        RideRequest.pickup_place_id == data.pickup_place_id,
        RideRequest.dropoff_place_id == data.dropoff_place_id,
        RideRequest.status.in_(OPEN_STATUSES), RideRequest.id.not_in(replaced))).first()
    if existing is not None:
        raise BookingError("form", "duplicate", request_id=existing.id)


def _return_leg(session: Session, staff: Actor, data: BookingInput, outbound: RideRequest,
                tz: ZoneInfo) -> RideRequest:
    start, end = window(data.day, WindowKind.PICKUP_AFTER, data.return_clock, tz)
    return _request(session, staff, data, data.dropoff_place_id, data.pickup_place_id,
                    WindowKind.PICKUP_AFTER, start, end, outbound_id=outbound.id)


def _request(session: Session, staff: Actor, data: BookingInput, pickup: int, dropoff: int,
             kind: WindowKind, start: datetime, end: datetime, **extra: object) -> RideRequest:
    request = RideRequest(
        town_id=staff.town_id, rider_id=data.rider_id, pickup_place_id=pickup,
        dropoff_place_id=dropoff, window_kind=kind, window_start=start, window_end=end,
        party_size=data.party_size, wheelchair=data.wheelchair, walker=data.walker,
        boarding_help=data.boarding_help, note=data.note,
        channel=RequestChannel.PHONE if isinstance(staff, StaffUser) else RequestChannel.WEB,
        created_by_id=staff.id if isinstance(staff, StaffUser) else None, **extra)
    session.add(request)
    session.flush()
    return request


def destinations(session: Session, town_id: int, rider_id: int) -> tuple[list[Place], list[Place]]:
    """Return (the rider's frequent places, the town's facilities), each without repeats."""
    counts = (select(RideRequest.dropoff_place_id, func.count().label("n"))
              .where(RideRequest.rider_id == rider_id,
                     RideRequest.status != RequestStatus.QUOTED)
              .group_by(RideRequest.dropoff_place_id).subquery())
    frequent = list(session.exec(select(Place).join(counts, counts.c.dropoff_place_id == Place.id)
                                 .where(Place.kind != PlaceKind.HOME)
                                 .order_by(counts.c.n.desc(), Place.name).limit(5)))
    seen = {p.id for p in frequent}
    facilities = [p for p in session.exec(select(Place).where(
        Place.town_id == town_id, Place.active, Place.kind != PlaceKind.HOME)
        .order_by(Place.settlement, Place.kind, Place.name)) if p.id not in seen]
    return frequent, facilities


def next_service_day(session: Session, town_id: int, today: date) -> date:
    """Return the first day after today with an offer (tomorrow when none within two weeks)."""
    from carshare.services.offers import offers_on

    for n in range(1, 15):
        day = today + timedelta(days=n)
        if offers_on(session, town_id, day):
            return day
    return today + timedelta(days=1)


def return_leg(session: Session, outbound_id: int) -> RideRequest | None:
    """Return the return leg booked with an outbound request, if any."""
    return session.exec(select(RideRequest).where(RideRequest.outbound_id == outbound_id)).first()
