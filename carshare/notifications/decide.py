"""Pure decisions of the outbox: when a message may go, by which channel, what a status means."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import phonenumbers

#: Kinds that go out at any hour (the resident is waiting for them).
ANY_HOUR = ("signin_code",)
BACKOFF_FIRST, BACKOFF_MAX = timedelta(seconds=30), timedelta(minutes=30)

#: Provider statuses (Messages and Calls) and the outbox state each one means.
PROVIDER_STATES = {
    "accepted": "sent", "queued": "sent", "sending": "sent", "sent": "sent",
    "initiated": "sent", "ringing": "sent", "in-progress": "sent", "scheduled": "sent",
    "delivered": "delivered", "read": "delivered", "completed": "delivered",
    "undelivered": "failed", "failed": "failed", "busy": "failed", "no-answer": "failed",
    "canceled": "failed",
}
#: Order of states a callback may move through; it never moves a message backwards.
RANK = {"pending": 0, "sending": 1, "needs_attention": 1, "sent": 2, "delivered": 3,
        "failed": 3}


def parse_hours(spec: str) -> tuple[time, time]:
    """Parse ``"08:00-20:00"``.

    :raise ValueError: when the text is not two times with the first before the second.
    """
    first, _, last = spec.partition("-")
    opens, closes = time.fromisoformat(first.strip()), time.fromisoformat(last.strip())
    if opens >= closes:
        raise ValueError(f"CARSHARE_NOTIFY_HOURS={spec!r}: the start must be before the end")
    return opens, closes


def within_hours(moment: datetime, hours: tuple[time, time], tz: ZoneInfo) -> bool:
    """Return whether ``moment`` is inside the town's calling hours."""
    clock = moment.astimezone(tz).time()
    return hours[0] <= clock < hours[1]


def next_open(moment: datetime, hours: tuple[time, time], tz: ZoneInfo) -> datetime:
    """Return ``moment`` if calls are allowed then, else the next opening of the hours."""
    if within_hours(moment, hours, tz):
        return moment
    local = moment.astimezone(tz)
    day = local.date() if local.time() < hours[0] else local.date() + timedelta(days=1)
    return datetime.combine(day, hours[0], tzinfo=tz)


def send_time(due: datetime, template: str, hours: tuple[time, time], tz: ZoneInfo,
              deadline: datetime | None = None) -> datetime | None:
    """Return when a message due at ``due`` may go, or ``None`` if not before ``deadline``."""
    if template in ANY_HOUR:
        return due
    when = next_open(due, hours, tz)
    return None if deadline is not None and when >= deadline else when


def backoff(attempts: int) -> timedelta:
    """Wait before retry number ``attempts`` (30 s, 1 min, 2 min ... at most 30 min)."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def is_landline(e164: str) -> bool:
    """Return whether ``e164`` is a fixed line (no SMS) by its number plan."""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE


def route(preference: str, phones: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """Choose (channel, number) for a resident; ``None`` when they opted out of messages.

    :param preference: the resident's contact channel (``sms``, ``voice``, ``staff_call``,
        ``none``); ``staff_call`` and ``none`` mean no automated messages.
    :param phones: (E.164, ``mobile``/``landline``) pairs, the primary first.
    """
    if preference not in ("sms", "voice"):
        return None
    numbers = list(phones)
    mobiles = [n for n, kind in numbers if kind == "mobile" and not is_landline(n)]
    if preference == "sms" and mobiles:
        return "sms", mobiles[0]
    return ("voice", numbers[0][0]) if numbers else None


def callback_state(current: str, provider_status: str) -> str | None:
    """Return the new state a status callback means, or ``None`` to change nothing."""
    target = PROVIDER_STATES.get(provider_status)
    if target is None or current in ("cancelled", "expired"):
        return None
    if RANK.get(target, 0) <= RANK.get(current, 0) or current in ("delivered", "failed"):
        return None
    return target
