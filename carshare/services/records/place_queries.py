"""Finding the town's places: the list with its search, choices for selects, the map centre.

A home tells where a person lives: lists and views of homes are audited against their
resident, and selects offer only the homes the form needs.
"""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, select

from carshare.models import Driver, Place, PlaceKind, Resident, StaffUser
from carshare.services import audit
from carshare.services.lookup import fold
from carshare.services.records.common import LIST_LIMIT, audit_list, found, nfkc

HOME = Place.kind == PlaceKind.HOME


def own_place(session: Session, staff: StaffUser, place_id: int) -> Place:
    """Return a place of the staff member's town. :raise RecordNotFound: no such place there."""
    place = session.get(Place, place_id)
    return found(place, place.town_id if place else None, staff)


def list_places(session: Session, staff: StaffUser, query: str = "", kind: str = "",
                inactive: bool = False) -> list[Place]:
    """Return up to 100 places of the town whose name, kana or settlement matches ``query``."""
    stmt = select(Place).where(Place.town_id == staff.town_id)
    text = nfkc(query)
    if text:
        stmt = stmt.where(or_(Place.name.contains(text, autoescape=True),
                              Place.kana.contains(fold(text), autoescape=True),
                              Place.settlement.contains(text, autoescape=True)))
    if kind in PlaceKind.__members__.values():
        stmt = stmt.where(Place.kind == PlaceKind(kind))
    if not inactive:
        stmt = stmt.where(Place.active)
    rows = list(session.exec(stmt.order_by(Place.settlement, Place.kana, Place.id)
                             .limit(LIST_LIMIT)))
    homes = [p.id for p in rows if p.kind == PlaceKind.HOME]
    if homes:
        audit_list(session, staff, "place", session.exec(
            select(Resident.home_place_id, Resident.id).where(Resident.home_place_id.in_(homes))))
        session.commit()
    return rows


def open_place(session: Session, staff: StaffUser, place_id: int) -> Place:
    """Return a place for staff to read or edit; a home's view is audited; commit."""
    place = own_place(session, staff, place_id)
    owner = home_owner(session, place)
    if owner is not None:
        audit.record(session, staff, "view", "place", place.id, owner, "records")
        session.commit()
    return place


def home_owner(session: Session, place: Place) -> int | None:
    """Return the resident who lives at a home place, if any."""
    if place.kind != PlaceKind.HOME:
        return None
    return session.exec(select(Resident.id).where(Resident.home_place_id == place.id)).first()


def landmarks(session: Session, staff: StaffUser) -> list[dict[str, object]]:
    """Return the town's active facilities as map points, to find one's way without tiles."""
    stmt = select(Place).where(Place.town_id == staff.town_id, Place.active, ~HOME)
    return [{"lat": p.lat, "lon": p.lon, "label": p.name} for p in session.exec(stmt)]


def home_choices(session: Session, staff: StaffUser, resident_id: int | None) -> list[Place]:
    """Places a resident may live at: their own home, homes nobody lives at yet, settlement
    centres and facilities (never other people's homes)."""
    others = select(Resident.home_place_id).where(Resident.home_place_id.is_not(None),
                                                  Resident.id != (resident_id or -1))
    return _choices(session, staff, or_(~HOME, Place.id.not_in(others)), homes_first=True)


def offer_place_choices(session: Session, staff: StaffUser) -> list[Place]:
    """Places an offer may start, end or go: facilities and the homes of active drivers."""
    drivers = (select(Resident.home_place_id).join(Driver, Driver.resident_id == Resident.id)
               .where(Driver.active, Resident.home_place_id.is_not(None)))
    return _choices(session, staff, or_(~HOME, Place.id.in_(drivers)))


def _choices(session: Session, staff: StaffUser, condition, homes_first: bool = False):  # type: ignore[no-untyped-def]
    stmt = select(Place).where(Place.town_id == staff.town_id, Place.active, condition)
    return list(session.exec(stmt.order_by(HOME.desc() if homes_first else HOME.asc(),
                                           Place.settlement, Place.kana, Place.id)))
