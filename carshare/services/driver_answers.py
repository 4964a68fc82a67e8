"""A driver's answer to "will you take this rider?", and the questions left unanswered: an
accept confirms the ride, a decline or a lapsed question moves the rider to another car
(asking is ``driver_assignments.py``)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import (
    Assignment,
    AssignmentState,
    Driver,
    Offer,
    RequestStatus,
    Resident,
    RideRequest,
)
from carshare.services import audit
from carshare.services.driver_assignments import documents_valid
from carshare.services.driver_pending import HELD
from carshare.services.driver_replan import move_rider


class AnswerError(ValueError):
    """The driver cannot answer (``code``: documents_expired, already_answered)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def answer(session: Session, resident: Resident, driver: Driver, row: Assignment,
           accept: bool, now: datetime, tz: ZoneInfo) -> bool:
    """Record the driver's answer; commit. An accept tells the rider the ride is confirmed
    (or what changed); a decline moves the rider (staff alerted if impossible), and the
    rider hears only of where they end up.

    :return: for a decline, whether the rider was moved; ``True`` for an accept.
    :raise AnswerError: already answered or lapsed, the rider is no longer on this offer,
        or documents expired (accepting only).
    """
    request = session.get(RideRequest, row.request_id)
    if row.state != AssignmentState.ASKED or row.deadline <= now \
            or request.status not in HELD or request.promised_offer_id != row.offer_id:
        raise AnswerError("already_answered")
    if accept and not documents_valid(driver, request.window_start.astimezone(tz).date()):
        raise AnswerError("documents_expired")
    row.state = AssignmentState.ACCEPTED if accept else AssignmentState.DECLINED
    row.answered_at = now
    session.add(row)
    audit.record(session, resident, row.state.value, "ride_request", request.id,
                 request.rider_id, f"driver phone, offer {row.offer_id}")
    if accept:
        from carshare.services.notify_changes import notify_plan_change

        notify_plan_change(session, request.id, now)
    session.commit()
    if accept:
        return True
    return move_rider(session, resident, request, tz, f"declined:{row.offer_id}")


def expire_overdue(session: Session, now: datetime, tz: ZoneInfo) -> int:
    """Mark unanswered questions past their deadline expired and move those riders; commit."""
    rows = list(session.exec(select(Assignment).where(Assignment.state == AssignmentState.ASKED,
                                                      Assignment.deadline <= now)))
    for row in rows:
        row.state, row.answered_at = AssignmentState.EXPIRED, now
        session.add(row)
        session.commit()
        request = session.get(RideRequest, row.request_id)
        if request.status in (RequestStatus.PLANNED, RequestStatus.CONFIRMED) \
                and request.promised_offer_id == row.offer_id:
            actor = _driver_resident(session, row.offer_id)
            move_rider(session, actor, request, tz, f"expired:{row.offer_id}")
    return len(rows)


def _driver_resident(session: Session, offer_id: int) -> Resident:
    offer = session.get(Offer, offer_id)
    return session.get(Resident, session.get(Driver, offer.driver_id).resident_id)
