"""Tomorrow's call list: riders staff must phone, and whether someone already did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import (
    AuditLog,
    ContactChannel,
    Notification,
    NotificationState,
    RequestStatus,
    Resident,
    RideRequest,
    StaffUser,
)
from carshare.services import audit
from carshare.services.consents import effective_channel
from carshare.timeutil import day_bounds

FAILED = (NotificationState.FAILED, NotificationState.EXPIRED, NotificationState.NEEDS_ATTENTION)
RIDES = (RequestStatus.PLANNED, RequestStatus.CONFIRMED)
NO_DRIVER = (RequestStatus.REQUESTED, RequestStatus.WAITING)


@dataclass(frozen=True)
class CallItem:
    """A rider to phone about a ride, why, and who already told them (if anyone)."""

    request: RideRequest
    rider: Resident
    why: str  # "no_driver", "staff_call" or "reminder_failed"
    informed: AuditLog | None


def call_list(session: Session, town_id: int, day: date, tz: ZoneInfo) -> list[CallItem]:
    """Return the rides of ``day`` that have no driver yet (the rider must hear it from the
    office), or whose rider prefers a staff call or was not reached; in time order."""
    start, end = day_bounds(day, tz)
    rides = session.exec(select(RideRequest).where(
        RideRequest.town_id == town_id, RideRequest.status.in_(RIDES + NO_DRIVER),
        RideRequest.window_start >= start, RideRequest.window_start < end)
        .order_by(RideRequest.window_start))
    items = []
    for ride in rides:
        rider = session.get(Resident, ride.rider_id)
        why = _why(session, ride, rider)
        if why:
            items.append(CallItem(ride, rider, why, _informed(session, ride.id)))
    return items


def _why(session: Session, ride: RideRequest, rider: Resident) -> str:
    if ride.status in NO_DRIVER:
        return "no_driver"
    if effective_channel(session, rider) == ContactChannel.STAFF_CALL:
        return "staff_call"
    failed = session.exec(select(Notification.id).where(
        Notification.ride_request_id == ride.id, Notification.state.in_(FAILED))).first()
    return "reminder_failed" if failed else ""


def _informed(session: Session, request_id: int) -> AuditLog | None:
    return session.exec(select(AuditLog).where(
        AuditLog.entity == "ride_request", AuditLog.entity_id == request_id,
        AuditLog.action == "informed").order_by(AuditLog.at.desc())).first()


def mark_informed(session: Session, staff: StaffUser, ride: RideRequest) -> None:
    """Record that ``staff`` told the rider about the ride by phone; commit."""
    audit.record(session, staff, "informed", "ride_request", ride.id, ride.rider_id,
                 "rider told by phone")
    session.commit()
