"""What Twilio's callbacks mean for the outbox: delivery status and voice keypresses.

Each function is idempotent: a repeated callback changes nothing, and a status never moves
a message backwards. The caller (the webhook view) has checked the signature and commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from carshare import metrics
from carshare.models import (
    Assignment,
    ContactChannel,
    Driver,
    Notification,
    NotificationState,
    RequestStatus,
    Resident,
    RideRequest,
    utcnow,
)
from carshare.notifications.base import NOT_MOBILE
from carshare.notifications.decide import callback_state
from carshare.notifications.settings import NotifySettings
from carshare.notifications.templates import RIDER_KINDS
from carshare.services.notify_changes import cancel_ride_by_rider
from carshare.services.notify_send import reroute_to_voice
from carshare.services.outbox import alert_staff, opt_out

#: Answers of a keypress, by digit.
CONFIRM, CANCEL, STOP_CALLS = "1", "2", "9"
ADOPTABLE = (NotificationState.SENDING, NotificationState.NEEDS_ATTENTION)


def callback_row(session: Session, row_id: int, sid: str) -> Notification | None:
    """Return the outbox row a callback is about, or ``None`` if ``sid`` does not match it.

    A row whose send timed out has no provider id yet: the callback's sid settles it.
    """
    row = session.get(Notification, row_id)
    if row is None or not sid:
        return None
    if row.provider_id is None and row.state in ADOPTABLE:
        row.provider_id = sid
        return row
    return row if row.provider_id == sid else None


def apply_status(session: Session, row: Notification, status: str, error_code: str = "",
                 now: datetime | None = None) -> bool:
    """Record a provider status on ``row``; commit; return whether anything changed."""
    changed = _apply_status(session, row, status, error_code, now)
    session.commit()
    return changed


def _apply_status(session: Session, row: Notification, status: str, error_code: str,
                  now: datetime | None) -> bool:
    target = callback_state(row.state.value, status)
    if target is None:
        return False
    row.state = NotificationState(target)
    row.sent_at = row.sent_at or now or utcnow()
    if target == "failed":
        _delivery_failed(session, row, status, error_code, now or utcnow())
    session.add(row)
    return True


def _delivery_failed(session: Session, row: Notification, status: str, error_code: str,
                     now: datetime) -> None:
    row.last_error = f"provider status {status} {error_code}".strip()
    metrics.message_failed(session, row)
    if error_code == str(NOT_MOBILE) and row.channel == "sms":
        reroute_to_voice(session, row, now)
    elif row.template in RIDER_KINDS:
        alert_staff(session, row.town_id, f"undelivered:{row.id}",
                    f"{row.template} to {row.recipient}: {status}; please call",
                    request_id=row.ride_request_id, resident_id=row.resident_id)
        metrics.message_to_call_list(session, row, "undelivered")


def apply_keypress(session: Session, row: Notification, digit: str,
                   settings: NotifySettings | None = None) -> str:
    """Act on a keypress; commit; return the answer's name: ``confirmed``, ``cancelled``,
    ``stopped``, ``accepted``, ``declined`` or ``unknown`` (ask again)."""
    answer = _apply_keypress(session, row, digit, settings)
    session.commit()
    return answer


def _apply_keypress(session: Session, row: Notification, digit: str,
                    settings: NotifySettings | None) -> str:
    row.payload = {**row.payload, "answer": digit}
    session.add(row)
    if row.template == "driver_request":
        return _driver_answer(session, row, digit, settings)
    if digit == CONFIRM and row.ride_request_id:
        _confirm(session, row.ride_request_id)
        return "confirmed"
    if digit == CANCEL and row.ride_request_id:
        cancel_ride_by_rider(session, row.ride_request_id, settings=settings)
        return "cancelled"
    if digit == STOP_CALLS and row.resident_id:
        _stop_calls(session, row)
        return "stopped"
    return "unknown"


def _confirm(session: Session, request_id: int) -> None:
    request = session.get(RideRequest, request_id)
    if request is not None and request.status == RequestStatus.PLANNED:
        request.status = RequestStatus.CONFIRMED
        session.add(request)


def _stop_calls(session: Session, row: Notification) -> None:
    """Record the resident's opt-out of automated messages; staff will phone them instead."""
    resident = session.get(Resident, row.resident_id)
    if resident is not None and resident.contact_channel != ContactChannel.STAFF_CALL:
        opt_out(session, resident.id)  # type: ignore[arg-type]
        alert_staff(session, row.town_id, f"optout:{resident.id}",
                    "asked to stop automated calls; phone them instead",
                    resident_id=resident.id)


def _driver_answer(session: Session, row: Notification, digit: str,
                   settings: NotifySettings | None) -> str:
    """Record the driver's answer to a ride request as on their page; staff are alerted only
    when it cannot be recorded (answered already, too late, documents expired)."""
    if digit not in (CONFIRM, CANCEL):
        return "unknown"
    answer = "accepted" if digit == CONFIRM else "declined"
    if not _record_answer(session, row, digit == CONFIRM, settings or NotifySettings.from_app()):
        alert_staff(session, row.town_id, f"driver_answer:{row.id}",
                    f"driver {answer} ride request {row.ride_request_id} by phone, "
                    "but it could not be recorded; please call the driver",
                    request_id=row.ride_request_id, resident_id=row.resident_id)
    return answer


def _record_answer(session: Session, row: Notification, accept: bool,
                   settings: NotifySettings) -> bool:
    from carshare.services.driver_answers import AnswerError, answer

    question = session.exec(select(Assignment).where(
        Assignment.request_id == row.ride_request_id,
        Assignment.offer_id == row.payload.get("offer_id"))).first()
    resident = session.get(Resident, row.resident_id) if row.resident_id else None
    driver = session.exec(select(Driver).where(Driver.resident_id == row.resident_id)).first()
    if question is None or resident is None or driver is None:
        return False
    try:
        answer(session, resident, driver, question, accept, utcnow(), settings.tz)
    except AnswerError:  # raised before anything was written
        return False
    return True
