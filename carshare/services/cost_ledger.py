"""Receipts per rider, the monthly ledger of what a driver received, and voluntary gifts."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.domain.costs import CostError, Part
from carshare.models import Driver, Gift, Offer, Resident, RideRequest, StaffUser
from carshare.services import audit
from carshare.services.costs import TripCosts, completed_trips, trip_costs

MAX_GIFT_YEN = 100_000


@dataclass(frozen=True)
class Receipt:
    """One rider's part of one trip: the trip's costs and their own breakdown."""

    request: RideRequest
    rider: Resident
    costs: TripCosts
    part: Part


def receipt(session: Session, town_id: int, request_id: int, tz: ZoneInfo) -> Receipt:
    """Return the receipt of a completed ride of the town.

    :raise CostError: ``no_trip`` (not the town's, or not carried), ``no_completed_riders``
        or ``fuel_price_missing``.
    """
    request = session.get(RideRequest, request_id)
    if request is None or request.town_id != town_id or request.promised_offer_id is None:
        raise CostError("no_trip")
    day = request.window_start.astimezone(tz).date()
    costs = trip_costs(session, town_id, request.promised_offer_id, day)
    part = costs.part_of(request.id)
    if part is None:
        raise CostError("no_completed_riders")
    return Receipt(request, session.get(Resident, request.rider_id), costs, part)


@dataclass(frozen=True)
class LedgerRow:
    """One trip in a driver's month: its costs, or why they cannot be computed yet."""

    day: date
    offer_id: int
    costs: TripCosts | None
    problem: str = ""


@dataclass(frozen=True)
class Ledger:
    """What a driver received in a month from riders' actual-cost shares, and gifts apart."""

    driver: Driver
    person: Resident
    month: date
    rows: list[LedgerRow] = field(default_factory=list)
    gifts: list[Gift] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Return the yen received as cost shares (trips with a problem are not counted)."""
        return sum(r.costs.split.whole for r in self.rows if r.costs)

    @property
    def km(self):  # type: ignore[no-untyped-def]
        """Return the kilometres driven on the counted trips."""
        return sum((r.costs.driven_km for r in self.rows if r.costs), 0)

    @property
    def gift_value(self) -> int:
        """Return the total stated value of the gifts (gifts without a value count nothing)."""
        return sum(g.value_yen or 0 for g in self.gifts)


def month_bounds(month: date) -> tuple[date, date]:
    """Return the first and last day of ``month``'s month."""
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def driver_ledger(session: Session, town_id: int, driver_id: int, month: date) -> Ledger:
    """Return a driver's ledger of ``month`` (any day in it).

    :raise CostError: ``no_driver`` when the driver is not of the town.
    """
    driver = session.get(Driver, driver_id)
    person = session.get(Resident, driver.resident_id) if driver else None
    if person is None or person.town_id != town_id:
        raise CostError("no_driver")
    first, last = month_bounds(month)
    rows = []
    for trip in completed_trips(session, town_id, first, last):
        if trip.offer.driver_id == driver_id:
            rows.append(_row(session, town_id, trip.offer.id, trip.day))
    gifts = list(session.exec(select(Gift).where(
        Gift.driver_id == driver_id, Gift.given_on >= first, Gift.given_on <= last)
        .order_by(Gift.given_on, Gift.id)))
    return Ledger(driver, person, first, rows, gifts)


def _row(session: Session, town_id: int, offer_id: int, day: date) -> LedgerRow:
    try:
        return LedgerRow(day, offer_id, trip_costs(session, town_id, offer_id, day))
    except CostError as error:
        return LedgerRow(day, offer_id, None, error.code)


def town_drivers(session: Session, town_id: int) -> list[tuple[Driver, Resident]]:
    """Return the town's drivers with their names, for the ledger's choice of driver."""
    return list(session.exec(select(Driver, Resident).join(
        Resident, Driver.resident_id == Resident.id).where(Resident.town_id == town_id)
        .order_by(Resident.family_name_kana, Driver.id)))


@dataclass(frozen=True)
class GiftInput:
    """A gift as staff record it: to which driver, from whom (optional), what, worth what."""

    driver_id: int
    given_on: date
    description: str
    value_yen: int | None = None
    rider_id: int | None = None


def record_gift(session: Session, staff: StaffUser, data: GiftInput) -> Gift:
    """Record a voluntary gift to a driver (never part of a split); audit; commit.

    :raise CostError: ``no_driver``, ``no_rider``, ``gift_description_missing``,
        ``negative_amount`` or ``amount_too_large``.
    """
    driver = session.get(Driver, data.driver_id)
    person = session.get(Resident, driver.resident_id) if driver else None
    if person is None or person.town_id != staff.town_id:
        raise CostError("no_driver")
    rider = session.get(Resident, data.rider_id) if data.rider_id is not None else None
    if data.rider_id is not None and (rider is None or rider.town_id != staff.town_id):
        raise CostError("no_rider")
    text = data.description.strip()[:200]
    if not text:
        raise CostError("gift_description_missing")
    if data.value_yen is not None and not 0 <= data.value_yen <= MAX_GIFT_YEN:
        raise CostError("negative_amount" if data.value_yen < 0 else "amount_too_large")
    gift = Gift(town_id=staff.town_id, driver_id=driver.id, rider_id=data.rider_id,
                given_on=data.given_on, description=text, value_yen=data.value_yen,
                recorded_by_id=staff.id)
    session.add(gift)
    session.flush()
    audit.record(session, staff, "create", "gift", gift.id, data.rider_id,
                 f"driver {driver.id}: {text}")
    session.commit()
    return gift


def own_offer(session: Session, driver: Driver, offer_id: int) -> Offer:
    """Return the driver's own offer. :raise CostError: ``no_trip`` for anyone else's."""
    offer = session.get(Offer, offer_id)
    if offer is None or offer.driver_id != driver.id:
        raise CostError("no_trip")
    return offer
