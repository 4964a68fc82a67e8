"""Translated messages for the error codes that services raise."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

CODES = {
    "invalid_phone": _l("This is not a valid Japanese phone number."),
    "phone_taken": _l("This phone number already belongs to a registered resident."),
    "unknown_settlement": _l("Choose a settlement from the list."),
    "unknown_rider": _l("This resident is not registered in your town."),
    "needs_without_consent": _l("Mobility and health needs are kept only with the resident's "
                                "consent for them. Record that consent first."),
    "unknown_place": _l("Choose a place from the list."),
    "same_place": _l("The destination must differ from the pick-up place."),
    "time_passed": _l("This time has already passed. Choose a later time."),
    "return_time_missing": _l("Enter the time of the return pick-up, or choose another option."),
    "return_before_outbound": _l("The return must be later than the outbound trip."),
    "duplicate": _l("This ride is already booked."),
    "not_changeable": _l("This ride can no longer be changed (it has ended, been cancelled or "
                         "the rider is in the car). Book a new ride instead."),
    "option_gone": _l("This option was just taken or changed. Here are the options now."),
    "full": _l("This car has just been filled by other bookings. Here are the options now."),
    "not_open": _l("This request is no longer open for booking."),
    "bad_alternative": _l("This alternative is not one of the options found. Here are the "
                          "options now."),
    "unknown_outcome": _l("Choose an outcome from the list."),
    "locked": _l("Too many wrong codes. Please wait 30 minutes or call the town office."),
    "unknown": _l("This sign-in has expired. Ask for a new code."),
    "expired": _l("This code has expired. Ask for a new code."),
    "used": _l("This code was already used. Ask for a new code."),
    "too_many_tries": _l("Too many wrong tries for this code. Ask for a new code."),
    "wrong_code": _l("This code is not right. Please check it and try again."),
    "not_yours": _l("This ride is not yours."),
    "on_board": _l("The rider is already in the car; the ride cannot move to another driver."),
    # plausibility bounds (carshare/services/plausible.py)
    "bad_date": _l("This date could not be read. Enter it as 2026-06-03."),
    "name_characters": _l("A name cannot contain line breaks, invisible characters or "
                          "direction marks. Please type it again."),
    "name_without_letters": _l("A name needs at least one letter."),
    "event_time_far": _l("This time is too far from the trip's day. Check the date and time."),
    "event_time_future": _l("This time is still in the future. Check the date and time."),
    "dropoff_before_pickup": _l("The drop-off cannot be before the pick-up. Check the time."),
}


def message(code: str, **params: object) -> str:
    """Return the translated message of an error code, filled with its parameters."""
    if code == "party_too_large":
        return _("No car in the town takes more than %(n)d people.", n=params.get("largest", 0))
    if code == "day_out_of_range":
        return _("Enter a date between %(first)s and %(last)s.", first=params.get("first", ""),
                 last=params.get("last", ""))
    if code == "too_far_ahead":
        return _("Rides can be booked up to %(n)d days ahead.", n=params.get("days", 0))
    return str(CODES.get(code, code))
