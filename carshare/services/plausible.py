"""Plausibility bounds of input, in one place for web forms and the API alike.

A value can be well-formed and still impossible for this service: a date in the year 9999, a
button press in 2099 or before its trip, a drop-off before the pick-up, a name made only of
invisible characters. Every boundary checks such values here and refuses them with a
:class:`Implausible` error (a :class:`RecordError`: a field and a code with a translated
message), so nothing implausible is stored.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from carshare.services.booking import MAX_DAYS_AHEAD
from carshare.services.records.common import RecordError
from carshare.timeutil import day_bounds

#: How far back a day may lie: history, reports and cost entries of the last three years.
PAST_DAYS = 3 * 366
#: How far ahead a single day may lie: as far as rides can be booked.
DAYS_AHEAD = MAX_DAYS_AHEAD
#: How far ahead a period (a weekly offer's start or end) may reach: about a year.
RANGE_DAYS_AHEAD = 366
#: A press may be recorded from the day before its trip to the day after (the manifest's days).
PRESS_MARGIN = timedelta(days=1)
#: How far a phone's clock may run ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)
#: Characters that are invisible or reorder text: zero-width, joiners, bidi marks and overrides.
INVISIBLE = frozenset("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d"
                      "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063"
                      "\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
                      "\u3164\ufeff\uffa0")


class Implausible(RecordError):
    """A well-formed value this service cannot have (``field``, ``code``, ``params``)."""


def horizon(today: date, ahead: int = DAYS_AHEAD) -> tuple[date, date]:
    """Return the first and last day the service accepts, seen from ``today``."""
    return today - timedelta(days=PAST_DAYS), today + timedelta(days=ahead)


def check_day(day: date, today: date, field: str = "day", ahead: int = DAYS_AHEAD) -> date:
    """Return ``day`` if it lies within the service horizon.

    :raise Implausible: ``day_out_of_range`` with the first and last day allowed.
    """
    first, last = horizon(today, ahead)
    if not first <= day <= last:
        raise Implausible(field, "day_out_of_range", first=first.isoformat(),
                          last=last.isoformat())
    return day


def parse_day(text: str, today: date, field: str = "day", ahead: int = DAYS_AHEAD) -> date:
    """Return the YYYY-MM-DD date ``text`` if it lies within the service horizon.

    :raise Implausible: ``bad_date`` (unreadable) or ``day_out_of_range``.
    """
    try:
        day = date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise Implausible(field, "bad_date") from None
    return check_day(day, today, field, ahead)


def check_name(text: str, field: str) -> str:
    """Return the name ``text`` if a person could write it on a form.

    :raise Implausible: ``name_characters`` (a line break, control, invisible or direction
        character) or ``name_without_letters`` (no letter at all, e.g. only dots or spaces).
    """
    for char in text:
        if char in INVISIBLE or unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Zl",
                                                                "Zp"):
            raise Implausible(field, "name_characters")
    if not any(unicodedata.category(char).startswith("L") for char in text):
        raise Implausible(field, "name_without_letters")
    return text


def check_event_time(at: datetime, day: date, tz: ZoneInfo, now: datetime | None = None,
                     field: str = "happened_at") -> datetime:
    """Return the time of a trip event if it lies near its trip's day and not in the future.

    Near means from the start of the day before to the end of the day after (the days the
    driver's manifest is open); ``now`` (when given) adds "not later than now plus a small
    clock skew".

    :raise Implausible: ``event_time_far`` or ``event_time_future``.
    """
    start, end = day_bounds(day, tz)
    if not start - PRESS_MARGIN <= at <= end + PRESS_MARGIN:
        raise Implausible(field, "event_time_far")
    if now is not None and at > now + CLOCK_SKEW:
        raise Implausible(field, "event_time_future")
    return at
