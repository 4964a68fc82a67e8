"""Ride request housekeeping."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from carshare.models import RequestStatus, RideRequest
from carshare.services import audit
from carshare.services.audit import Actor

UNPLANNED = (RequestStatus.REQUESTED, RequestStatus.WAITING)


def close_expired_requests(session: Session, now: datetime) -> int:
    """Mark requests whose window has passed without a ride as unmet; return how many.

    The outcome code ``expired`` lets the monthly report count them as unmet demand.
    """
    query = select(RideRequest).where(
        RideRequest.status.in_(UNPLANNED), RideRequest.window_end < now
    )
    expired = list(session.exec(query))
    for request in expired:
        request.status = RequestStatus.UNMET
        request.outcome_code = "expired"
        request.outcome_reason = "window passed without a ride"
        session.add(request)
    session.commit()
    return len(expired)


def put_on_waiting_list(session: Session, staff: Actor, request: RideRequest) -> None:
    """Keep an unmatched request for the periodic re-planning to reconsider; commit."""

    request.status = RequestStatus.WAITING
    request.outcome_code = "waiting_list"
    session.add(request)
    audit.record(session, staff, "wait", "ride_request", request.id, request.rider_id,
                 "no option during the call")
    session.commit()
