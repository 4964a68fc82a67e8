"""Why no ride fits: the planner's reason codes in the user's language (pages, API, CSV)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

REASONS = {
    "no_offer": _l("No driver offers a ride that day."),
    "not_allowed": _l("This trip is too far out of the way of every driver going that day."),
    "no_wheelchair_space": _l("No car with a wheelchair space is driving then."),
    "capacity": _l("The cars that could take this ride are full."),
    "too_far": _l("This trip is too far out of every driver's way."),
    "time": _l("No driver is available at that time."),
    "off_route": _l("Nobody is going that way at that time."),
    "extra_drive": _l("This ride needs more extra driving than the drivers going then "
                      "can do."),
}


def reason_label(code: str | None) -> str:
    """Return the translated reason why nothing fits."""
    return str(REASONS.get(code, "")) if code else ""
