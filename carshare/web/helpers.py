"""Template helpers that look small things up (names, phones, map points)."""

from __future__ import annotations

from sqlmodel import select

from carshare.db import get_session
from carshare.models import Place, ResidentPhone


def place_json(place: Place) -> dict:
    """Return a place as a map point."""
    return {"lat": place.lat, "lon": place.lon, "label": place.name}


def driver_name(offer_id: int) -> str:
    """Return the driver's given name and car colour of an offer."""
    from carshare.web.booking_view import driver_label

    label = driver_label(get_session(), offer_id)
    return f"{label.given_name}（{label.colour}）"


def rider_phone(resident_id: int) -> str:
    """Return a resident's primary phone in national form (pages that show it are audited)."""
    from carshare.web import _national

    phone = get_session().exec(select(ResidentPhone).where(
        ResidentPhone.resident_id == resident_id).order_by(ResidentPhone.is_primary.desc())).first()
    return _national(phone.e164) if phone else ""


def rider_name(resident_id: int) -> str:
    """Return a resident's full name."""
    from carshare.models import Resident

    person = get_session().get(Resident, resident_id)
    return f"{person.family_name} {person.given_name}"
