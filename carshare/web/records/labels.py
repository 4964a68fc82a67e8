"""Translated labels of stored codes on the records pages (phone kinds, channels, needs)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from carshare.models import Offer, PhoneKind, Resident
from carshare.web.records.blueprint import bp
from carshare.web.records.offer_forms import WEEKDAYS
from carshare.web.records.place_forms import KINDS
from carshare.web.records.resident_forms import CHANNELS

PHONE_KINDS = {PhoneKind.LANDLINE: _l("landline"), PhoneKind.MOBILE: _l("mobile")}


def phone_kind_label(kind: str) -> str:
    """Return the translated kind of a phone."""
    return str(PHONE_KINDS[PhoneKind(kind)])


def channel_label(channel: str) -> str:
    """Return the translated way a resident wants to be reached."""
    return str(dict(CHANNELS)[str(channel)])


def place_kind_label(kind: str) -> str:
    """Return the translated kind of a place."""
    return str(dict(KINDS)[str(kind)])


def needs_label(resident: Resident) -> str:
    """Return a resident's mobility needs, translated and joined."""
    needs = [(resident.wheelchair, _l("Wheelchair")), (resident.walker, _l("Walker")),
             (resident.boarding_help, _l("Needs help boarding"))]
    return "、".join(str(label) for wanted, label in needs if wanted)


def offer_when(offer: Offer) -> str:
    """Return the weekday of a weekly offer (the template formats one date with ``day``)."""
    return str(WEEKDAYS[offer.weekday]) if offer.weekday is not None else ""


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"phone_kind_label": phone_kind_label, "channel_label": channel_label,
            "place_kind_label": place_kind_label, "needs_label": needs_label,
            "offer_when": offer_when}
