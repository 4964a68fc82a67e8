"""The words for whose trip a rider joins and the driver's own stop, the same on every page."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from carshare.notifications.fields import romaji
from carshare.services.legs import DriverLabel, OwnTrip


def driver_family_name(label: DriverLabel) -> str:
    """The driver's family name; in English its romaji, as the English SMS says it."""
    locale = get_locale()
    if locale is not None and locale.language == "en":
        return romaji(label.family_name_kana) or label.family_name
    return label.family_name


def car_label(label: DriverLabel, pickup_end: datetime | None = None) -> str:
    """``三浦様の車（JR稚内駅へ、10:00着）``, or ``三浦様の車`` for availability only; a rider
    whose pick-up window ends at ``leave_after`` or later rides back (``JR稚内駅から、13:00以降に
    出発``): a pick-up on the way there ends before ``arrive_by``."""
    name, trip = driver_family_name(label), label.trip
    if trip is None:
        return _("%(name)s's car", name=name)
    if trip.leave_after is not None and pickup_end is not None and (
            _local(pickup_end) >= trip.leave_after):
        return _("%(name)s's car (back from %(place)s, leaving after %(time)s)", name=name,
                 place=trip.destination.name, time=trip.leave_after.strftime("%H:%M"))
    return _("%(name)s's car (to %(place)s, arriving %(time)s)", name=name,
             place=trip.destination.name, time=trip.arrive_by.strftime("%H:%M"))


def _local(moment: datetime) -> time:
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).time()


def own_trip_times(trip: OwnTrip) -> str:
    """``市立稚内病院（10:00までに到着・13:30以降に出発）`` or ``…（10:00までに到着・片道）``."""
    arrive = trip.arrive_by.strftime("%H:%M")
    if trip.leave_after is None:
        return _("%(place)s (arrive by %(a)s, one way)", place=trip.destination.name, a=arrive)
    return _("%(place)s (arrive by %(a)s, leave after %(b)s)", place=trip.destination.name,
             a=arrive, b=trip.leave_after.strftime("%H:%M"))


def own_stop_row(trip: OwnTrip, staff: bool = False) -> str:
    """The driver's own stop as a row: to the driver (``ご自身の用事``) or to staff."""
    if staff:
        return _("Driver's own errand: %(trip)s", trip=own_trip_times(trip))
    return _("Your own errand: %(trip)s", trip=own_trip_times(trip))


def offer_own_trip(offer_id: int) -> OwnTrip | None:
    """The driver's own trip of an offer (for the accept card)."""
    from carshare.db import get_session
    from carshare.models import Offer
    from carshare.services.legs import own_trip

    session = get_session()
    return own_trip(session, session.get(Offer, offer_id))


def question_words(ride, facts: dict | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """What a driver asked to take a rider is told: the rider's family name as they will greet
    them (「鈴木様」), the pick-up area (a home is only its settlement) and the destination.

    :param facts: the ride's :func:`~carshare.services.notify_facts.question_facts`, when
        loaded already (else they are read now).
    """
    from carshare.db import get_session
    from carshare.notifications.fields import area, person, place
    from carshare.services.notify_facts import question_facts

    language = _language()
    if facts is None:
        facts = question_facts(get_session(), ride)
    name = person(facts["rider"], facts["rider_kana"], language)
    return {"rider": name if language == "en" else f"{name}様",
            "from": area(facts["settlement"], facts["place_kind"], facts["place_name"], language),
            "to": place(facts["dest_name"], "home", language) if facts["dest_kind"] == "home"
            else facts["dest_name"]}


def _language() -> str:
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "ja"


def day_words(day) -> str:  # type: ignore[no-untyped-def]
    """A date as said on the phone: 「12月8日火曜日」 (English: "Tuesday 8 December")."""
    from carshare.notifications import spoken

    return spoken.day_words(day, _language())


def time_words(moment: datetime) -> str:
    """A time as said on the phone, in the town's zone: 「午前9時30分」."""
    from carshare.notifications import spoken

    return spoken.time_words(_local(moment), _language())


def driver_honorific(label: DriverLabel) -> str:
    """The driver as the rider is told: 「三浦様」 (English: "Miura")."""
    name = driver_family_name(label)
    return name if _language() == "en" else f"{name}様"
