"""Places of a town: facilities, homes and settlement centres, with their coordinates."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import or_
from sqlmodel import Session, select

from carshare.models import (
    OPEN_STATUSES,
    Offer,
    OfferStatus,
    Place,
    PlaceKind,
    Resident,
    RideRequest,
    StaffUser,
)
from carshare.services import audit, plausible
from carshare.services.lookup import fold
from carshare.services.records.common import (
    RecordError,
    changed,
    fit,
    nfkc,
    snapshot,
)
from carshare.services.records.place_queries import home_owner, own_place

# Japan, generously: a point outside is a typing error (or latitude and longitude swapped).
LAT_RANGE, LON_RANGE = (20.0, 46.0), (122.0, 154.0)


@dataclass(frozen=True)
class PlaceInput:
    """What staff enter on the place form."""

    kind: PlaceKind
    name: str
    kana: str
    settlement: str
    lat: float
    lon: float


def _columns(data: PlaceInput) -> dict:
    if not LAT_RANGE[0] <= data.lat <= LAT_RANGE[1]:
        raise RecordError("lat", "lat_range", low=LAT_RANGE[0], high=LAT_RANGE[1])
    if not LON_RANGE[0] <= data.lon <= LON_RANGE[1]:
        raise RecordError("lon", "lon_range", low=LON_RANGE[0], high=LON_RANGE[1])
    name = fit("name", nfkc(data.name), 120)
    if not name:
        raise RecordError("name", "name_missing")
    plausible.check_name(name, "name")
    settlement = fit("settlement", nfkc(data.settlement), 80)
    kana = fit("kana", fold(data.kana), 160)  # folding may lengthen (㌀ → アパート)
    return asdict(data) | {"name": name, "kana": kana, "lat": round(data.lat, 6),
                           "lon": round(data.lon, 6), "settlement": settlement}


def create_place(session: Session, staff: StaffUser, data: PlaceInput) -> Place:
    """Add a place to the town; audit; commit. :raise RecordError: invalid input."""
    place = Place(town_id=staff.town_id, **_columns(data))
    session.add(place)
    session.flush()
    audit.record(session, staff, "create", "place", place.id, None, "records")
    session.commit()
    return place


def update_place(session: Session, staff: StaffUser, place_id: int, data: PlaceInput) -> Place:
    """Change a place (a home's change is logged against its resident); audit; commit."""
    place = own_place(session, staff, place_id)
    values = _columns(data)
    before = snapshot(place, values)
    for name, value in values.items():
        setattr(place, name, value)
    session.add(place)
    audit.record(session, staff, "update", "place", place.id, home_owner(session, place),
                 changed(before, values))
    session.commit()
    return place


def place_in_use(session: Session, place_id: int) -> bool:
    """Tell whether an active resident, offer or open ride still needs the place."""
    uses = (
        select(Resident.id).where(Resident.home_place_id == place_id, Resident.active),
        select(Offer.id).where(Offer.status == OfferStatus.ACTIVE, or_(
            Offer.start_place_id == place_id, Offer.end_place_id == place_id,
            Offer.destination_place_id == place_id)),
        select(RideRequest.id).where(RideRequest.status.in_(OPEN_STATUSES), or_(
            RideRequest.pickup_place_id == place_id, RideRequest.dropoff_place_id == place_id)),
    )
    return any(session.exec(stmt).first() is not None for stmt in uses)


def deactivate_place(session: Session, staff: StaffUser, place_id: int) -> Place:
    """Hide a place from choices (never deleted); audit; commit. :raise RecordError: in use."""
    place = own_place(session, staff, place_id)
    if place_in_use(session, place.id):
        raise RecordError("form", "place_in_use")
    place.active = False
    session.add(place)
    audit.record(session, staff, "deactivate", "place", place.id, home_owner(session, place),
                 "records")
    session.commit()
    return place
