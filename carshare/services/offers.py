"""Drivers' offers as they apply to a given day, and defaults for their own trips."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import and_, or_
from sqlmodel import Session, select

from carshare.models import Offer, OfferStatus
from carshare.models.fleet import MAX_EXTRA_MINUTES


def offers_on(session: Session, town_id: int, day: date) -> list[Offer]:
    """Return the active offers of a town that apply on ``day`` (one-off or weekly pattern)."""
    weekly = and_(
        Offer.weekday == day.weekday(),
        or_(Offer.valid_from.is_(None), Offer.valid_from <= day),
        or_(Offer.valid_until.is_(None), Offer.valid_until >= day),
    )
    query = (
        select(Offer)
        .where(Offer.town_id == town_id, Offer.status == OfferStatus.ACTIVE)
        .where(or_(Offer.service_date == day, weekly))
        .order_by(Offer.depart_after, Offer.id)
    )
    return list(session.exec(query))


def default_stay(depart_after: time, return_by: time) -> tuple[time, time]:
    """Return there-by and leaving-after times for a trip that named only its window.

    A third into the window and a third before its end, both rounded down to 5 minutes (as
    migration 0012 set them for the offers it found).
    """
    start, end = _seconds(depart_after), _seconds(return_by)
    arrive = max(start, (start + (end - start) // 3) // 300 * 300)
    leave = max(arrive, (end - (end - start) // 3) // 300 * 300)
    return _clock(arrive), _clock(leave)


def whole_trip_minutes(per_rider: int, seats: int) -> int:
    """Return a per-rider detour as minutes of extra driving for the whole trip (at most 600)."""
    return min(MAX_EXTRA_MINUTES, per_rider * seats)


def _seconds(clock: time) -> int:
    return clock.hour * 3600 + clock.minute * 60 + clock.second


def _clock(seconds: int) -> time:
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)
