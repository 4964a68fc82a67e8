"""Send one claimed outbox row and record what happened (decisions in ``decide``)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session

from carshare import metrics
from carshare.models import Notification, NotificationChannel, NotificationState, utcnow
from carshare.notifications import Notifier, OutgoingMessage, SendFailed, SendUncertain
from carshare.notifications.base import NOT_MOBILE
from carshare.notifications.decide import backoff
from carshare.notifications.settings import NotifySettings
from carshare.notifications.templates import ASKS_TO_CONFIRM, render_sms, render_voice
from carshare.services.notify_codes import with_code
from carshare.services.outbox import NO_CONSENT, Draft, alert_staff, enqueue, may_send_abroad

log = logging.getLogger("carshare.notify")
State = NotificationState
KEYPRESS_KINDS = (*ASKS_TO_CONFIRM, "driver_request")


def build_message(row: Notification, settings: NotifySettings,
                  for_provider: bool = False) -> OutgoingMessage:
    """Render a row into the message its channel sends, with the webhook URLs.

    :param for_provider: fill in a sign-in code (derived in memory, never stored); without
        it such a row does not render (``KeyError``), so no page can show a code.
    """
    payload = with_code(row, settings.secret_key) if for_provider else row.payload
    voice = row.channel == NotificationChannel.VOICE
    render = render_voice if voice else render_sms
    base = settings.public_url
    gather = (f"{base}/hooks/twilio/voice/{row.id}/gather"
              if base and voice and row.template in KEYPRESS_KINDS else "")
    return OutgoingMessage(
        key=row.idempotency_key, channel=row.channel.value, to=row.recipient,
        text=render(row.template, row.language, payload, settings.tz),
        language=row.language, gather_url=gather,
        status_url=f"{base}/hooks/twilio/status/{row.id}" if base else "")


def is_late(row: Notification, now: datetime) -> bool:
    """Return whether the row would arrive too late to be useful (past ``expires_at``)."""
    expires = row.payload.get("expires_at")
    return bool(expires) and now >= datetime.fromisoformat(expires)


def send_one(session: Session, notifier: Notifier, row_id: int, now: datetime,
             settings: NotifySettings) -> str:
    """Send the claimed row ``row_id``, record the outcome, commit; return its name."""
    row = session.get(Notification, row_id)
    assert row is not None and row.state == State.SENDING, "send_one needs a claimed row"
    if is_late(row, now):
        outcome = _expire(session, row)
    else:
        outcome = _attempt(session, notifier, row, settings, now)
    session.add(row)
    session.commit()
    return outcome


def _attempt(session: Session, notifier: Notifier, row: Notification,
             settings: NotifySettings, now: datetime) -> str:
    if not may_send_abroad(session, row.resident_id):  # consent withdrawn since it was written
        row.state = State.CANCELLED if row.template == "signin_code" else State.NEEDS_ATTENTION
        row.last_error = NO_CONSENT
        if row.state == State.NEEDS_ATTENTION:
            metrics.message_to_call_list(session, row, "no_consent")
        return "held"
    try:
        message = build_message(row, settings, for_provider=True)
    except (KeyError, ValueError) as error:  # a bad payload: certainly never sent
        return _failed(session, row, SendFailed(f"cannot render: {error!r}", False), settings,
                       now)
    try:
        provider_id = notifier.send(message)
    except SendUncertain as error:
        row.state, row.last_error = State.NEEDS_ATTENTION, f"delivery unknown: {error}"[:500]
        metrics.message_to_call_list(session, row, "uncertain")
        return "uncertain"
    except SendFailed as error:
        return _failed(session, row, error, settings, now)
    row.state, row.provider_id, row.sent_at = State.SENT, provider_id, utcnow()
    row.next_attempt_at, row.last_error = None, ""
    metrics.message_sent(session, row)
    return "sent"


def _expire(session: Session, row: Notification) -> str:
    row.state, row.last_error = State.EXPIRED, "too late to be useful"
    alert_staff(session, row.town_id, f"expired:{row.id}",
                f"{row.template} to {row.recipient} expired unsent; please call",
                request_id=row.ride_request_id, resident_id=row.resident_id)
    metrics.message_to_call_list(session, row, "expired")
    return "expired"


def _failed(session: Session, row: Notification, error: SendFailed, settings: NotifySettings,
            now: datetime) -> str:
    row.last_error = str(error)[:500]
    if error.code == NOT_MOBILE and row.channel == NotificationChannel.SMS:
        row.state = State.FAILED
        metrics.message_failed(session, row)
        reroute_to_voice(session, row, now)
        return "failed"
    return retry_or_fail(session, row, error.retryable, str(error), settings, now)


def retry_or_fail(session: Session, row: Notification, retryable: bool, reason: str,
                  settings: NotifySettings, now: datetime) -> str:
    """Send the row again later (with backoff) while tries are left, else mark it failed and
    alert staff; return ``retry`` or ``failed``. No commit."""
    if retryable and row.attempts < settings.max_attempts:
        row.state, row.next_attempt_at = State.PENDING, now + backoff(row.attempts)
        return "retry"
    row.state = State.FAILED
    alert_staff(session, row.town_id, f"failed:{row.id}",
                f"{row.template} to {row.recipient} failed: {reason}",
                request_id=row.ride_request_id, resident_id=row.resident_id)
    metrics.message_failed(session, row)
    metrics.message_to_call_list(session, row, "failed")
    return "failed"


def reroute_to_voice(session: Session, row: Notification, now: datetime) -> Notification:
    """Write a voice call carrying a failed SMS (the number turned out to be a landline)."""
    log.info("outbox row %s: not a mobile number; calling instead", row.id)
    return enqueue(session, Draft(
        town_id=row.town_id, key=f"{row.idempotency_key}:voice", template=row.template,
        channel="voice", recipient=row.recipient, due_at=now, language=row.language,
        payload=row.payload, resident_id=row.resident_id, ride_request_id=row.ride_request_id))
