"""Translated messages of the codes that the driver services raise."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from carshare.presenters.record_messages import record_message

CODES = {
    "already_answered": _l("This request was already answered or its time ran out."),
    "documents_expired": _l("Your driving licence or insurance has expired, so you cannot "
                            "accept riders. Please call the town office."),
    "not_picked_up": _l("Mark the pick-up first."),
    "was_no_show": _l("This rider was marked as not there."),
    "was_picked_up": _l("This rider was already picked up."),
    "reason_missing": _l("Say why the rider was not there."),
    "not_on_trip": _l("This rider is not on this trip."),
    "bad_press": _l("This button press could not be read. Please try again."),
    "too_late": _l("Ten minutes have passed: this can no longer be taken back. Please call "
                   "the town office."),
    "undo_later": _l("Take back the later press first."),
}


def driver_message(code: str, **params: object) -> str:
    """Return the translated message of a driver or offer error code."""
    if code in CODES:
        return str(CODES[code])
    return record_message(code, **params)
