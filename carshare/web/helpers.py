"""Template helpers that look small things up (names, phones, map points)."""

from __future__ import annotations

from carshare.db import get_session
from carshare.models import Place


def place_json(place: Place) -> dict:
    """Return a place as a map point."""
    return {"lat": place.lat, "lon": place.lon, "label": place.name}


def driver_name(offer_id: int) -> str:
    """Return whose car and trip an offer is, and the car's colour."""
    from carshare.services.legs import driver_label
    from carshare.web.trip_words import car_label

    label = driver_label(get_session(), offer_id)
    return f"{car_label(label)} · {label.colour}"


def rider_phone(resident_id: int) -> str:
    """Return a resident's primary phone in national form (pages that show it are audited)."""
    from carshare.services.lookup import primary_phone

    e164 = primary_phone(get_session(), resident_id)
    return national_phone(e164) if e164 else ""


def rider_name(resident_id: int) -> str:
    """Return a resident's full name."""
    from carshare.models import Resident

    person = get_session().get(Resident, resident_id)
    return f"{person.family_name} {person.given_name}"


def honorific(person) -> str:  # type: ignore[no-untyped-def]
    """A rider or driver addressed politely by family name: 「鈴木様」 (English: "Suzuki").

    ``person`` has ``family_name`` (a resident) or ``name`` (a manifest stop).
    """
    from flask_babel import gettext as _

    family = getattr(person, "family_name", None) or getattr(person, "name", "")
    return _("%(family)s (polite)", family=family)


def national_phone(e164: str) -> str:
    """Format an E.164 number the way Japanese staff write it (0163-22-1037)."""
    import phonenumbers

    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
