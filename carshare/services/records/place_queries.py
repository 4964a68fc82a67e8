"""Finding the town's places: the list with its search, choices for selects, the map centre."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, func, select

from carshare.models import Place, PlaceKind, StaffUser
from carshare.services.lookup import fold
from carshare.services.records.common import LIST_LIMIT, found, nfkc


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
    return list(session.exec(stmt.order_by(Place.settlement, Place.kana, Place.id)
                             .limit(LIST_LIMIT)))


def map_centre(session: Session, staff: StaffUser) -> tuple[float, float]:
    """Return where the map opens: the middle of the town's facilities, else central Japan."""
    lat, lon = session.exec(select(func.avg(Place.lat), func.avg(Place.lon)).where(
        Place.town_id == staff.town_id, Place.kind != PlaceKind.HOME)).one()
    return (float(lat), float(lon)) if lat is not None else (36.0, 138.0)


def place_choices(session: Session, staff: StaffUser, homes_first: bool = False) -> list[Place]:
    """Return the town's active places for a select: facilities then homes, or homes first."""
    home = Place.kind == PlaceKind.HOME
    stmt = select(Place).where(Place.town_id == staff.town_id, Place.active)
    return list(session.exec(stmt.order_by(home.desc() if homes_first else home.asc(),
                                           Place.settlement, Place.kana, Place.id)))
