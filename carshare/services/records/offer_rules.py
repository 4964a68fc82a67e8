"""The rules an offer must keep before it is stored (the database checks them again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlmodel import Session

from carshare.models import Driver, Place, Resident, StaffUser, Vehicle
from carshare.models.fleet import MAX_EXTRA_MINUTES, MAX_SEATS
from carshare.services import plausible
from carshare.services.records.common import RecordError

MAX_EXTRA = MAX_EXTRA_MINUTES


@dataclass(frozen=True)
class OfferInput:
    """What staff enter on the offer form: one date, or a weekday with an optional range.

    The car decides the driver: an offer is made with one driver's car. With a destination
    the driver is there by ``arrive_by`` and leaves after ``leave_after`` (none: one way,
    ending there); ``extra_minutes`` is the driving accepted for riders over the whole trip.
    """

    vehicle_id: int
    service_date: date | None
    weekday: int | None
    valid_from: date | None
    valid_until: date | None
    depart_after: time
    return_by: time
    start_place_id: int
    end_place_id: int
    destination_place_id: int | None
    seats: int
    arrive_by: time | None = None
    leave_after: time | None = None
    wheelchair_spaces: int = 0
    extra_minutes: int = 60
    auto_accept: bool = False
    note: str = ""


def check_offer(session: Session, staff: StaffUser, data: OfferInput, today: date) -> None:
    """Check an offer against the rules, field by field, in the order of the form.

    :raise RecordError: the first rule broken, naming its field.
    """
    vehicle = offer_vehicle(session, staff, data.vehicle_id)
    _check_when(data, today)
    if data.return_by <= data.depart_after:
        raise RecordError("return_by", "return_before_depart")
    for field in ("start_place_id", "end_place_id", "destination_place_id"):
        _check_place(session, staff, field, getattr(data, field))
    check_own_trip(data)
    if not 1 <= data.seats <= min(MAX_SEATS, vehicle.seats):
        raise RecordError("seats", "seats_over_vehicle", n=vehicle.seats)
    if not 0 <= data.wheelchair_spaces <= vehicle.wheelchair_spaces:
        raise RecordError("wheelchair_spaces", "wheelchair_over_vehicle",
                          n=vehicle.wheelchair_spaces)
    if not 0 <= data.extra_minutes <= MAX_EXTRA:
        raise RecordError("extra_minutes", "extra_range", n=MAX_EXTRA)


def check_own_trip(data: OfferInput) -> None:
    """Check the driver's own stop: there by, leaving after, and one way ending there.

    :raise RecordError: the first rule broken, naming its field.
    """
    if data.destination_place_id is None:
        for field in ("arrive_by", "leave_after"):
            if getattr(data, field) is not None:
                raise RecordError(field, "own_times_need_destination")
        return
    if data.arrive_by is None:
        raise RecordError("arrive_by", "arrive_by_missing")
    if not data.depart_after <= data.arrive_by <= data.return_by:
        raise RecordError("arrive_by", "arrive_outside_window")
    if data.leave_after is None:
        if data.end_place_id != data.destination_place_id:
            raise RecordError("end_place_id", "one_way_ends_at_destination")
    elif not data.arrive_by <= data.leave_after <= data.return_by:
        raise RecordError("leave_after", "leave_outside_stay")


def offer_vehicle(session: Session, staff: StaffUser, vehicle_id: int) -> Vehicle:
    """Return an active car of an active driver of the town.

    :raise RecordError: no such car (or it or its driver is out of service).
    """
    vehicle = session.get(Vehicle, vehicle_id)
    driver = session.get(Driver, vehicle.driver_id) if vehicle else None
    resident = session.get(Resident, driver.resident_id) if driver else None
    if (resident is None or resident.town_id != staff.town_id or not driver.active
            or not vehicle.active):
        raise RecordError("vehicle_id", "unknown_vehicle")
    return vehicle


def _check_when(data: OfferInput, today: date) -> None:
    if data.service_date is not None and data.weekday is not None:
        raise RecordError("weekday", "date_and_weekday")
    if data.service_date is None and data.weekday is None:
        raise RecordError("service_date", "date_or_weekday")
    if data.service_date is not None:
        if data.valid_from or data.valid_until:
            raise RecordError("valid_from", "range_needs_weekday")
        if data.service_date < today:
            raise RecordError("service_date", "date_passed")
    if data.weekday is not None and not 0 <= data.weekday <= 6:
        raise RecordError("weekday", "unknown_weekday")
    if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
        raise RecordError("valid_until", "until_before_from")
    if data.valid_until and data.valid_until < today:
        raise RecordError("valid_until", "date_passed")
    _check_horizon(data, today)


def _check_horizon(data: OfferInput, today: date) -> None:
    """One date within the booking horizon, a weekly period within about a year."""
    if data.service_date is not None:
        plausible.check_day(data.service_date, today, "service_date")
    for field in ("valid_from", "valid_until"):
        if getattr(data, field) is not None:
            plausible.check_day(getattr(data, field), today, field, plausible.RANGE_DAYS_AHEAD)


def _check_place(session: Session, staff: StaffUser, field: str, place_id: int | None) -> None:
    if place_id is None and field == "destination_place_id":
        return
    place = session.get(Place, place_id) if place_id is not None else None
    if place is None or place.town_id != staff.town_id or not place.active:
        raise RecordError(field, "unknown_place")
