"""The retention period: after it, rides and messages are anonymised and residents who left
the town are removed (kept as anonymous rows, so the statistics still add up)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from carshare.models import (
    OPEN_STATUSES,
    Notification,
    NotificationState,
    Offer,
    Resident,
    RideRequest,
    StaffUser,
    Town,
)
from carshare.services import audit
from carshare.services.anonymise import (
    anonymise_notification,
    anonymise_resident,
    anonymise_ride,
    trim_cancel_reasons,
)

MIN_DAYS, MAX_DAYS = 365, 3650
FINISHED = (NotificationState.SENT, NotificationState.DELIVERED, NotificationState.FAILED,
            NotificationState.EXPIRED, NotificationState.CANCELLED)


@dataclass(frozen=True)
class RetentionResult:
    """How many rows one run anonymised in a town."""

    rides: int = 0
    notifications: int = 0
    residents: int = 0

    def __add__(self, other: RetentionResult) -> RetentionResult:
        return RetentionResult(self.rides + other.rides,
                               self.notifications + other.notifications,
                               self.residents + other.residents)


class RetentionError(ValueError):
    """A retention period outside the allowed range."""


def run_all(session: Session, now: datetime) -> RetentionResult:
    """Apply every town's retention period; one transaction per town; return the totals."""
    total = RetentionResult()
    for town_id in list(session.exec(select(Town.id))):
        total += apply_retention(session, session.get(Town, town_id), now)
    return total


def apply_retention(session: Session, town: Town, now: datetime) -> RetentionResult:
    """Anonymise the town's rides and messages older than its period, and residents who left
    before it; audit as the system; commit. Running it again changes nothing."""
    cutoff = now - timedelta(days=town.retention_days)
    rides = _old_rides(session, town.id, cutoff)
    trim_cancel_reasons(session, [r.id for r in rides])
    result = RetentionResult(
        rides=sum(anonymise_ride(session, r, now) for r in rides),
        notifications=sum(anonymise_notification(session, n, now)
                          for n in _old_messages(session, town.id, cutoff)),
        residents=_remove_leavers(session, town.id, cutoff, now))
    _strip_old_offer_notes(session, town.id, cutoff)
    if result != RetentionResult():
        audit.system(session, town.id, "anonymise", "retention", reason=(
            f"retention {town.retention_days} days: {result.rides} rides, "
            f"{result.notifications} messages, {result.residents} residents"))
    session.commit()
    return result


def _old_rides(session: Session, town_id: int, cutoff: datetime) -> list[RideRequest]:
    return list(session.exec(select(RideRequest).where(
        RideRequest.town_id == town_id, RideRequest.anonymised_at.is_(None),
        RideRequest.window_end < cutoff, RideRequest.status.not_in(OPEN_STATUSES))))


def _old_messages(session: Session, town_id: int, cutoff: datetime) -> list[Notification]:
    return list(session.exec(select(Notification).where(
        Notification.town_id == town_id, Notification.anonymised_at.is_(None),
        Notification.created_at < cutoff, Notification.state.in_(FINISHED))))


def _remove_leavers(session: Session, town_id: int, cutoff: datetime, now: datetime) -> int:
    leavers = session.exec(select(Resident).where(
        Resident.town_id == town_id, Resident.anonymised_at.is_(None),
        Resident.active.is_(False), Resident.left_at < cutoff.date()))
    count = 0
    for resident in leavers:
        count += anonymise_resident(session, resident, now)
        audit.system(session, town_id, "remove", "resident", resident.id,
                     "left town; retention period over", resident.id)
    return count


def _strip_old_offer_notes(session: Session, town_id: int, cutoff: datetime) -> None:
    offers = session.exec(select(Offer).where(
        Offer.town_id == town_id, Offer.note != "", Offer.service_date < cutoff.date()))
    for offer in offers:
        offer.note = ""
        session.add(offer)


def set_period(session: Session, admin: StaffUser, town: Town, days: int) -> Town:
    """Change a town's retention period (365 to 3650 days); audit; commit.

    :raise RetentionError: ``days`` is outside the allowed range.
    """
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise RetentionError("retention_range")
    before = town.retention_days
    town.retention_days = days
    session.add(town)
    audit.record(session, admin, "update", "town", town.id, None,
                 f"retention period {before} -> {days} days")
    session.commit()
    return town
