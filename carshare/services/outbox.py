"""The outbox: services write what to send and when; the dispatcher sends it later.

Nothing here talks to a provider. Every row has an idempotency key, so writing the same
message twice (a retried request, a re-run job) stores it once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from carshare.models import Notification, NotificationChannel, NotificationState, utcnow
from carshare.services.consent_checks import may_use_provider

STAFF = "staff"
OPEN = (NotificationState.PENDING,)
NO_CONSENT = "no consent to send the number abroad; please phone"


@dataclass(frozen=True)
class Draft:
    """A message to write to the outbox.

    :param key: idempotency key, e.g. ``reminder:<request>:<kind>:v<plan version>``.
    :param channel: ``sms``, ``voice`` or ``staff``.
    :param payload: the words' data; ``expires_at`` (ISO) makes it expire when late.
    """

    town_id: int
    key: str
    template: str
    channel: str
    recipient: str
    due_at: datetime
    language: str = "ja"
    payload: dict[str, Any] = field(default_factory=dict)
    resident_id: int | None = None
    ride_request_id: int | None = None


def find(session: Session, key: str) -> Notification | None:
    """Return the outbox row with idempotency ``key``, if any."""
    return session.exec(select(Notification).where(Notification.idempotency_key == key)).first()


def enqueue(session: Session, draft: Draft, state: NotificationState = NotificationState.PENDING
            ) -> Notification:
    """Store ``draft`` unless a row with its key exists; return the stored row (flushed)."""
    existing = find(session, draft.key)
    if existing is not None:
        return existing
    held = draft.channel != STAFF and not may_send_abroad(session, draft.resident_id)
    row = Notification(
        town_id=draft.town_id, resident_id=draft.resident_id,
        ride_request_id=draft.ride_request_id, recipient=draft.recipient,
        channel=NotificationChannel(draft.channel), template=draft.template,
        language=draft.language, payload=draft.payload, due_at=draft.due_at, state=state,
        idempotency_key=draft.key)
    if held:  # the staff phone instead (or, for a sign-in code, nobody)
        row.state = (NotificationState.CANCELLED if draft.template == "signin_code"
                     else NotificationState.NEEDS_ATTENTION)
        row.last_error = NO_CONSENT
    try:
        with session.begin_nested():
            session.add(row)
    except sa.exc.IntegrityError:  # written by a concurrent caller in the meantime
        return find(session, draft.key)  # type: ignore[return-value]
    return row


def alert_staff(session: Session, town_id: int, key: str, reason: str, *,
                request_id: int | None = None, resident_id: int | None = None) -> Notification:
    """Put an item on the staff call list (a ``staff`` row that needs attention)."""
    draft = Draft(town_id=town_id, key=f"alert:{key}", template="staff_alert", channel=STAFF,
                  recipient=STAFF, due_at=utcnow(), payload={"reason": reason},
                  resident_id=resident_id, ride_request_id=request_id)
    row = enqueue(session, draft, NotificationState.NEEDS_ATTENTION)
    row.last_error = reason[:500]
    return row


def cancel_pending(session: Session, request_id: int, templates: Iterable[str],
                   keep: Iterable[str] = ()) -> list[Notification]:
    """Cancel the request's unsent rows of ``templates`` except the keys in ``keep``."""
    query = select(Notification).where(
        Notification.ride_request_id == request_id,
        Notification.state.in_(OPEN),
        Notification.template.in_(list(templates)),
        Notification.idempotency_key.not_in(list(keep)))
    cancelled = list(session.exec(query))
    for row in cancelled:
        row.state = NotificationState.CANCELLED
        row.last_error = "superseded"
        session.add(row)
    return cancelled


def call_list(session: Session, town_id: int, limit: int = 200) -> list[Notification]:
    """Return what staff must follow up by phone: ambiguous sends and alerts, newest first."""
    query = (select(Notification)
             .where(Notification.town_id == town_id,
                    Notification.state == NotificationState.NEEDS_ATTENTION)
             .order_by(Notification.created_at.desc()).limit(limit))
    return list(session.exec(query))


def opt_out(session: Session, resident_id: int) -> int:
    """Record that a resident wants no automated messages (staff phone them instead) and
    cancel their unsent ones, sign-in codes excepted; return how many were cancelled."""
    from carshare.models import ContactChannel, Resident

    resident = session.get(Resident, resident_id)
    if resident is None:
        raise ValueError(f"no resident {resident_id}")
    resident.contact_channel = ContactChannel.STAFF_CALL
    session.add(resident)
    query = select(Notification).where(Notification.resident_id == resident_id,
                                       Notification.state.in_(OPEN),
                                       Notification.template != "signin_code")
    rows = list(session.exec(query))
    for row in rows:
        row.state, row.last_error = NotificationState.CANCELLED, "resident opted out"
        session.add(row)
    return len(rows)


def may_send_abroad(session: Session, resident_id: int | None) -> bool:
    """Messages to a resident go to the provider abroad only with their consent."""
    return resident_id is None or may_use_provider(session, resident_id)


def hold_for_staff(session: Session, resident_id: int, reason: str) -> int:
    """Move a resident's unsent SMS and calls to the staff call list (sign-in codes are
    cancelled); return how many."""
    query = select(Notification).where(Notification.resident_id == resident_id,
                                       Notification.state.in_(OPEN),
                                       Notification.channel != NotificationChannel.STAFF)
    rows = list(session.exec(query))
    for row in rows:
        row.state = (NotificationState.CANCELLED if row.template == "signin_code"
                     else NotificationState.NEEDS_ATTENTION)
        row.last_error = reason[:500]
        session.add(row)
    return len(rows)
