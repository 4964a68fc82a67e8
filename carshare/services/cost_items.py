"""Entering a trip's costs: tolls, parking and enabled optional items; the odometer's km."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from carshare.domain.costs import ENTERED_KINDS, MAX_TRIP_KM, CostError, ItemKind, check_item
from carshare.models import StaffUser, TripCostItem, TripDistance
from carshare.services import audit
from carshare.services.audit import Actor
from carshare.services.cost_settings import cost_settings, flush_or_conflict
from carshare.services.costs import recorded_distance, trip_stops


@dataclass(frozen=True)
class ItemInput:
    """An item as the driver or staff enter it; the amount is parsed at the boundary."""

    kind: str
    amount_yen: int
    extra: bool = True
    note: str = ""


def add_cost_item(session: Session, actor: Actor, town_id: int, offer_id: int, day: date,
                  data: ItemInput) -> TripCostItem:
    """Add a toll, parking fee or enabled optional item to a trip; audit; commit.

    A driver may add items only to their own trips (the caller checks the offer is theirs).

    :raise CostError: ``no_trip``, ``bad_kind``, ``item_not_enabled``, ``negative_amount``,
        ``amount_too_large``.
    """
    trip = trip_stops(session, town_id, offer_id, day)
    kind = _kind(session, town_id, data.kind)
    check_item(kind, Decimal(data.amount_yen))
    staff = actor if isinstance(actor, StaffUser) else None
    row = TripCostItem(town_id=town_id, offer_id=trip.offer.id, service_date=day, kind=kind,
                       amount_yen=data.amount_yen, extra=data.extra, note=data.note.strip()[:200],
                       entered_by_staff_id=staff.id if staff else None,
                       entered_by_resident_id=None if staff else actor.id)
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", "trip_cost_item", row.id, None,
                 f"offer {offer_id} {day.isoformat()}: {kind.value} {data.amount_yen} yen")
    session.commit()
    return row


def _kind(session: Session, town_id: int, text: str) -> ItemKind:
    if text not in {k.value for k in ENTERED_KINDS}:
        raise CostError("bad_kind")
    kind = ItemKind(text)
    settings = cost_settings(session, town_id)
    enabled = {ItemKind.INSURANCE: settings.insurance_enabled,
               ItemKind.RENTAL: settings.rental_enabled}
    if not enabled.get(kind, True):
        raise CostError("item_not_enabled")
    return kind


def remove_cost_item(session: Session, actor: Actor, town_id: int, item_id: int) -> TripCostItem:
    """Remove an entered item of the town; a driver only one they entered; audit; commit.

    :raise CostError: ``no_item``.
    """
    row = session.get(TripCostItem, item_id)
    mine = isinstance(actor, StaffUser) or (row and row.entered_by_resident_id == actor.id)
    if row is None or row.town_id != town_id or not mine:
        raise CostError("no_item")
    audit.record(session, actor, "delete", "trip_cost_item", row.id, None,
                 f"offer {row.offer_id} {row.service_date.isoformat()}: "
                 f"{row.kind.value} {row.amount_yen} yen")
    session.delete(row)
    session.commit()
    return row


def set_trip_distance(session: Session, staff: StaffUser, offer_id: int, day: date,
                      km: Decimal | None, note: str = "") -> TripDistance | None:
    """Override the trip's driven km (``None`` goes back to the route's); audit; commit.

    :raise CostError: ``no_trip`` or ``bad_distance``.
    """
    trip_stops(session, staff.town_id, offer_id, day)
    if km is not None and (not km.is_finite() or not 0 <= km <= MAX_TRIP_KM
                           or km != round(km, 1)):
        raise CostError("bad_distance")
    row = recorded_distance(session, offer_id, day)
    before = row.km if row else None
    if km is None:
        if row is not None:
            session.delete(row)
    else:
        row = row or TripDistance(town_id=staff.town_id, offer_id=offer_id, service_date=day,
                                  km=km)
        row.km, row.note, row.entered_by_id = km, note.strip()[:200], staff.id
        session.add(row)
        flush_or_conflict(session)
    audit.record(session, staff, "update", "trip_distance", offer_id, None,
                 f"offer {offer_id} {day.isoformat()}: {before} → {km} km")
    session.commit()
    return row if km is not None else None
