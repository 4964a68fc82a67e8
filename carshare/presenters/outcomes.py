"""What became of a ride that did not happen, in the user's language (forms and reports)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

OUTCOME_CHOICES = [
    ("rider_cancel", _l("Rider cancelled")),
    ("late_cancel", _l("Late cancellation")),
    ("no_show", _l("No-show")),
    ("driver_cancel", _l("Driver cancelled")),
    ("weather", _l("Weather or road closure")),
    ("unmet", _l("Could not be served")),
]
