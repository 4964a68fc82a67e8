"""How many rides a rider may ask for on their own phone: a cap of open requests per day.

Staff bookings have no such cap (the office knows its callers); a phone page can be scripted.
The check runs in the booking's own transaction, after a per-rider lock (PostgreSQL advisory
lock; SQLite's single write lock), so parallel requests cannot all pass the count.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, func, select

from carshare.models import OPEN_STATUSES, RideRequest
from carshare.timeutil import day_bounds

#: Namespace of the advisory lock (the other half is the rider's id).
LOCK_NAMESPACE = 19_008
#: Statuses that count: open requests. A quote does not: a rider has at most one (each new
#: search replaces it), and it becomes a request only through this check's booking.
COUNTED = OPEN_STATUSES


class RiderLimitReached(ValueError):
    """The rider already has ``cap`` open requests on ``day``."""

    def __init__(self, day: date, cap: int) -> None:
        super().__init__(f"{cap} open requests on {day.isoformat()}")
        self.day, self.cap = day, cap


def lock_rider(session: Session, rider_id: int) -> None:
    """Make this transaction the only one booking for ``rider_id`` until it ends."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:ns, :rider)"),
                     {"ns": LOCK_NAMESPACE, "rider": rider_id})
    elif conn.dialect.name == "sqlite":
        raw = conn.connection.driver_connection
        if raw is not None and not raw.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def open_requests_on(session: Session, rider_id: int, day: date, tz: ZoneInfo) -> int:
    """Return how many open requests the rider has for ``day``."""
    start, end = day_bounds(day, tz)
    return session.exec(select(func.count(RideRequest.id)).where(
        RideRequest.rider_id == rider_id, RideRequest.status.in_(COUNTED),
        RideRequest.window_start >= start, RideRequest.window_start < end)).one()


def check_rider_day(session: Session, rider_id: int, day: date, tz: ZoneInfo, cap: int) -> None:
    """Lock the rider's bookings, then refuse when ``cap`` requests are already open on ``day``.

    :raise RiderLimitReached: the cap is reached (the caller rolls back, releasing the lock).
    """
    lock_rider(session, rider_id)
    if open_requests_on(session, rider_id, day, tz) >= cap:
        raise RiderLimitReached(day, cap)
