"""Paged, town-scoped lists for the API (keyset paging by id); personal data is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import (
    Offer,
    OfferStatus,
    Place,
    PlaceKind,
    RequestStatus,
    Resident,
    RideRequest,
    StaffUser,
)
from carshare.services.records.common import audit_list, resident_filter
from carshare.timeutil import day_bounds


@dataclass(frozen=True)
class Window:
    """Rows after the id ``after``, at most ``limit`` of them."""

    after: int
    limit: int


def _page(session: Session, stmt: Any, column: Any, window: Window) -> tuple[list[Any], bool]:
    """Return up to ``limit`` rows after the window's id, and whether more follow."""
    rows = list(session.exec(stmt.where(column > window.after).order_by(column)
                             .limit(window.limit + 1)))
    return rows[:window.limit], len(rows) > window.limit


def places(session: Session, staff: StaffUser, window: Window,
           kind: PlaceKind | None = None, active: bool | None = True) -> tuple[list[Place], bool]:
    """Return a page of the town's places; homes listed are audited against their resident."""
    stmt = select(Place).where(Place.town_id == staff.town_id)
    if kind is not None:
        stmt = stmt.where(Place.kind == kind)
    if active is not None:
        stmt = stmt.where(Place.active == active)
    rows, more = _page(session, stmt, Place.id, window)
    homes = [p.id for p in rows if p.kind == PlaceKind.HOME]
    if homes:
        audit_list(session, staff, "place", session.exec(
            select(Resident.home_place_id, Resident.id).where(Resident.home_place_id.in_(homes))))
        session.commit()
    return rows, more


def residents(session: Session, staff: StaffUser, window: Window, query: str = "",
              active: bool | None = True) -> tuple[list[Resident], bool]:
    """Return a page of the town's residents; every one listed is audited."""
    stmt = select(Resident).where(Resident.town_id == staff.town_id)
    if query.strip():
        stmt = stmt.where(resident_filter(query))
    if active is not None:
        stmt = stmt.where(Resident.active == active)
    rows, more = _page(session, stmt, Resident.id, window)
    audit_list(session, staff, "resident", ((r.id, r.id) for r in rows))
    session.commit()
    return rows, more


def offers(session: Session, staff: StaffUser, window: Window,
           status: OfferStatus | None = None, day: date | None = None) -> tuple[list[Offer], bool]:
    """Return a page of the town's offers, optionally of one status or valid on one day."""
    stmt = select(Offer).where(Offer.town_id == staff.town_id)
    if status is not None:
        stmt = stmt.where(Offer.status == status)
    if day is not None:
        stmt = stmt.where((Offer.service_date == day) | (
            (Offer.weekday == day.weekday())
            & (Offer.valid_from.is_(None) | (Offer.valid_from <= day))
            & (Offer.valid_until.is_(None) | (Offer.valid_until >= day))))
    return _page(session, stmt, Offer.id, window)


def ride_requests(session: Session, staff: StaffUser, window: Window, tz: ZoneInfo,
                  day: date | None = None, status: RequestStatus | None = None,
                  rider_id: int | None = None) -> tuple[list[RideRequest], bool]:
    """Return a page of the town's ride requests, by day, status or rider."""
    stmt = select(RideRequest).where(RideRequest.town_id == staff.town_id,
                                     RideRequest.status != RequestStatus.QUOTED)
    if day is not None:
        start, end = day_bounds(day, tz)
        stmt = stmt.where(RideRequest.window_start >= start, RideRequest.window_start < end)
    if status is not None:
        stmt = stmt.where(RideRequest.status == status)
    if rider_id is not None:
        stmt = stmt.where(RideRequest.rider_id == rider_id)
    return _page(session, stmt, RideRequest.id, window)
