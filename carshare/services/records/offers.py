"""Drivers' offers of seats: list, create, change and withdraw, without breaking promises."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlmodel import Session, select

from carshare.models import Driver, Offer, OfferStatus, Resident, StaffUser, Vehicle
from carshare.services import audit
from carshare.services.records.common import (
    LIST_LIMIT,
    RecordError,
    booked_rides,
    changed,
    found,
    resident_filter,
    snapshot,
)
from carshare.services.records.offer_rules import OfferInput, check_offer

FREE_WHEN_BOOKED = {"auto_accept", "note"}  # the rest would move riders already promised


@dataclass(frozen=True)
class OfferRow:
    """An offer with its driver and car."""

    offer: Offer
    resident: Resident
    vehicle: Vehicle


def own_offer(session: Session, staff: StaffUser, offer_id: int) -> Offer:
    """Return an offer of the staff member's town. :raise RecordNotFound: no such offer there."""
    offer = session.get(Offer, offer_id)
    return found(offer, offer.town_id if offer else None, staff)


def list_offers(session: Session, staff: StaffUser, today: date, query: str = "",
                inactive: bool = False) -> list[OfferRow]:
    """Return up to 100 offers of the town still to come (all with ``inactive``), by driver."""
    stmt = (select(Offer, Resident, Vehicle).join(Driver, Offer.driver_id == Driver.id)
            .join(Resident, Driver.resident_id == Resident.id)
            .join(Vehicle, Offer.vehicle_id == Vehicle.id)
            .where(Offer.town_id == staff.town_id))
    if query.strip():
        stmt = stmt.where(resident_filter(query))
    if not inactive:
        stmt = stmt.where(Offer.status == OfferStatus.ACTIVE,
                          (Offer.service_date >= today) | (Offer.valid_until.is_(None))
                          | (Offer.valid_until >= today))
    stmt = stmt.order_by(Resident.family_name_kana, Offer.service_date, Offer.weekday,
                         Offer.depart_after, Offer.id)
    return [OfferRow(o, r, v) for o, r, v in session.exec(stmt.limit(LIST_LIMIT))]


def create_offer(session: Session, staff: StaffUser, data: OfferInput, today: date) -> Offer:
    """Store a new offer; audit; commit. :raise RecordError: a rule is broken."""
    check_offer(session, staff, data, today)
    driver_id = session.get(Vehicle, data.vehicle_id).driver_id
    offer = Offer(town_id=staff.town_id, driver_id=driver_id, **asdict(data))
    session.add(offer)
    session.flush()
    audit.record(session, staff, "create", "offer", offer.id, _resident_id(session, offer),
                 "records")
    session.commit()
    return offer


def update_offer(session: Session, staff: StaffUser, offer_id: int, data: OfferInput,
                 today: date) -> Offer:
    """Change an offer; once riders are booked only its note and auto-accept may change.

    :raise RecordError: a rule is broken, or the change would move booked riders.
    """
    offer = own_offer(session, staff, offer_id)
    if offer.status != OfferStatus.ACTIVE:
        raise RecordError("form", "offer_withdrawn")
    check_offer(session, staff, data, today)
    values = asdict(data) | {"driver_id": session.get(Vehicle, data.vehicle_id).driver_id}
    before = snapshot(offer, values)
    moved = {k for k in values if before.get(k) != values[k]} - FREE_WHEN_BOOKED
    if moved and booked_rides(session, [offer.id]):
        raise RecordError(sorted(moved)[0], "offer_booked")
    for name, value in values.items():
        setattr(offer, name, value)
    session.add(offer)
    audit.record(session, staff, "update", "offer", offer.id, _resident_id(session, offer),
                 changed(before, values))
    session.commit()
    return offer


def withdraw_offer(session: Session, staff: StaffUser, offer_id: int) -> Offer:
    """Withdraw an offer (kept as history); audit; commit. :raise RecordError: riders booked."""
    offer = own_offer(session, staff, offer_id)
    if booked_rides(session, [offer.id]):
        raise RecordError("form", "offer_booked")
    offer.status = OfferStatus.WITHDRAWN
    session.add(offer)
    audit.record(session, staff, "withdraw", "offer", offer.id, _resident_id(session, offer),
                 "records")
    session.commit()
    return offer


def _resident_id(session: Session, offer: Offer) -> int:
    return session.get(Driver, offer.driver_id).resident_id
