"""A driver's own offers on their phone: list, create, change, withdraw without dropping riders."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import Driver, Offer, OfferStatus, Place, PlaceKind, Resident, Vehicle
from carshare.services import audit
from carshare.services.driver_replan import move_rider, riders_on
from carshare.services.records.common import RecordError
from carshare.services.records.offer_rules import OfferInput, check_offer

FREE_WHEN_BOOKED = {"auto_accept", "note"}


class NotYours(LookupError):
    """The row does not exist or belongs to another driver (shown as 404, logged)."""


def own_offer(session: Session, driver: Driver, offer_id: int) -> Offer:
    """Return one of the driver's offers. :raise NotYours: missing or another driver's."""
    offer = session.get(Offer, offer_id)
    if offer is None or offer.driver_id != driver.id:
        raise NotYours(offer_id)
    return offer


def list_own(session: Session, driver: Driver, today: date) -> list[Offer]:
    """Return the driver's active offers that still apply, soonest first."""
    query = select(Offer).where(
        Offer.driver_id == driver.id, Offer.status == OfferStatus.ACTIVE,
        (Offer.service_date >= today) | Offer.valid_until.is_(None) | (Offer.valid_until >= today))
    return sorted(session.exec(query), key=lambda o: (o.service_date or date.min, o.weekday or 0,
                                                      o.depart_after, o.id))


def cars_of(session: Session, driver: Driver) -> list[Vehicle]:
    """Return the driver's cars in service."""
    return list(session.exec(select(Vehicle).where(Vehicle.driver_id == driver.id,
                                                   Vehicle.active).order_by(Vehicle.id)))


def place_choices(session: Session, resident: Resident) -> list[Place]:
    """Return the places a driver may start from or drive to: their home and the facilities."""
    query = select(Place).where(Place.town_id == resident.town_id, Place.active,
                                (Place.kind != PlaceKind.HOME)
                                | (Place.id == resident.home_place_id))
    return list(session.exec(query.order_by((Place.kind == PlaceKind.HOME).desc(),
                                            Place.settlement, Place.kana, Place.id)))


def _check(session: Session, resident: Resident, driver: Driver, data: OfferInput,
           today: date) -> None:
    car = session.get(Vehicle, data.vehicle_id)
    if car is None or car.driver_id != driver.id:
        raise RecordError("vehicle_id", "unknown_vehicle")
    allowed = {p.id for p in place_choices(session, resident)}
    for name in ("start_place_id", "end_place_id", "destination_place_id"):
        value = getattr(data, name)
        if value is not None and value not in allowed:
            raise RecordError(name, "unknown_place")
    check_offer(session, resident, data, today)  # type: ignore[arg-type]  # same town rule


def create(session: Session, resident: Resident, driver: Driver, data: OfferInput,
           today: date) -> Offer:
    """Store a new offer of the driver; audit; commit. :raise RecordError: a rule is broken."""
    _check(session, resident, driver, data, today)
    offer = Offer(town_id=resident.town_id, driver_id=driver.id, **asdict(data))
    session.add(offer)
    session.flush()
    audit.record(session, resident, "create", "offer", offer.id, resident.id, "driver phone")
    session.commit()
    return offer


def update(session: Session, resident: Resident, driver: Driver, offer: Offer,
           data: OfferInput, today: date, now: datetime) -> Offer:
    """Change an offer; with riders booked only its note and auto-accept may change; commit.

    :raise RecordError: a rule is broken, or the change would move booked riders.
    """
    if offer.status != OfferStatus.ACTIVE:
        raise RecordError("form", "offer_withdrawn")
    _check(session, resident, driver, data, today)
    values = asdict(data)
    moved = {k for k, v in values.items() if getattr(offer, k) != v} - FREE_WHEN_BOOKED
    if moved and riders_on(session, offer, now):
        raise RecordError(sorted(moved)[0], "offer_booked")
    for name, value in values.items():
        setattr(offer, name, value)
    session.add(offer)
    audit.record(session, resident, "update", "offer", offer.id, resident.id,
                 ", ".join(sorted(moved)) or "note")
    session.commit()
    return offer


def withdraw(session: Session, resident: Resident, offer: Offer, now: datetime,
             tz: ZoneInfo) -> tuple[int, int]:
    """Move every rider still to come to other cars (staff alerted for the rest), then
    withdraw the offer; commit. Return (riders moved, riders left for staff)."""
    moved = stuck = 0
    for request in riders_on(session, offer, now):
        if move_rider(session, resident, request, tz, f"withdraw:{offer.id}"):
            moved += 1
        else:
            stuck += 1
    offer.status = OfferStatus.WITHDRAWN
    session.add(offer)
    audit.record(session, resident, "withdraw", "offer", offer.id, resident.id,
                 f"driver phone; {moved} moved, {stuck} to staff")
    session.commit()
    return moved, stuck
