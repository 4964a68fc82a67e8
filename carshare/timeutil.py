"""Time helpers: the town's zone, local days and aware datetimes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")


def local_today(tz: ZoneInfo = TOKYO, now: datetime | None = None) -> date:
    """Return today's date in ``tz``."""
    return (now or datetime.now(tz)).astimezone(tz).date()


def at(day: date, clock: time, tz: ZoneInfo = TOKYO) -> datetime:
    """Return the aware datetime of ``clock`` on ``day`` in ``tz``."""
    return datetime.combine(day, clock, tzinfo=tz)


def day_bounds(day: date, tz: ZoneInfo = TOKYO) -> tuple[datetime, datetime]:
    """Return the aware start of ``day`` and of the next day in ``tz``."""
    start = at(day, time(0), tz)
    return start, at(day + timedelta(days=1), time(0), tz)
