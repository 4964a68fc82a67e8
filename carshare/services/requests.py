"""Ride request housekeeping."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.domain.plan import UnservedReason
from carshare.models import RequestStatus, RideRequest
from carshare.services import audit
from carshare.services.audit import Actor
from carshare.services.quotes import take_up
from carshare.services.ride_changes import retire_replaced

TOKYO = ZoneInfo("Asia/Tokyo")

UNPLANNED = (RequestStatus.REQUESTED, RequestStatus.WAITING)
PLANNER_REASONS = frozenset(reason.value for reason in UnservedReason)


def close_expired_requests(session: Session, now: datetime) -> int:
    """Mark requests whose window has passed without a ride as unmet; return how many.

    The planner's reason (``no_offer``, ``capacity``...) stays the outcome code so the
    monthly report can say why demand went unmet; without one the code is ``expired``.
    """
    query = select(RideRequest).where(
        RideRequest.status.in_(UNPLANNED), RideRequest.window_end < now
    )
    expired = list(session.exec(query))
    for request in expired:
        request.status = RequestStatus.UNMET
        if request.outcome_code not in PLANNER_REASONS:
            request.outcome_code = "expired"
        request.outcome_reason = "window passed without a ride"
        session.add(request)
    session.commit()
    return len(expired)


def put_on_waiting_list(session: Session, staff: Actor, request: RideRequest,
                        tz: ZoneInfo = TOKYO) -> None:
    """Keep an unmatched request for the periodic re-planning to reconsider; commit.

    A quoted request (and its quoted return) becomes a real one here; a change cancels the
    ride it replaces (:func:`~carshare.services.ride_changes.retire_replaced`).
    """
    take_up(session, request)
    retire_replaced(session, staff, request, tz)
    request.status = RequestStatus.WAITING
    request.outcome_code = "waiting_list"
    session.add(request)
    audit.record(session, staff, "wait", "ride_request", request.id, request.rider_id,
                 "no option during the call")
    session.commit()
