"""When one outbox row's send or bookkeeping breaks, record it and let the run go on.

The dispatcher sends each claimed row in its own transaction. If anything in that
transaction fails (a provider id already stored, a bug, the database refusing a write), the
transaction is rolled back and the row is written again in a fresh one, decided by how far it
got: handed to the provider (never resent: the staff call list), maybe handed (the same), or
certainly not (retried later, then failed). One row never stops the others.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from carshare.models import Notification, NotificationState
from carshare.notifications import Notifier, OutgoingMessage
from carshare.notifications.settings import NotifySettings
from carshare.services.notify_send import retry_or_fail

log = logging.getLogger("carshare.notify")
State = NotificationState


class Watched:
    """A notifier wrapper that remembers whether the provider was called and what it said."""

    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier
        self.called = False
        self.provider_id: str | None = None

    def send(self, message: OutgoingMessage) -> str:
        """Send through the wrapped notifier, noting the call and the provider's id."""
        self.called = True
        self.provider_id = self.notifier.send(message)
        return self.provider_id


def reason_of(error: BaseException) -> str:
    """A short reason for ``last_error``: the error's kind and first line (no SQL, no data)."""
    origin = getattr(error, "orig", None) or error
    first = (str(origin).strip().splitlines() or [""])[0]
    return f"{type(origin).__name__}: {first}"[:300]


def record_broken(session: Session, row_id: int, error: BaseException, watch: Watched,
                  now: datetime, settings: NotifySettings) -> str:
    """Roll back the failed transaction and record row ``row_id`` in a new one; return the
    outcome (``unrecorded``, ``uncertain``, ``retry``, ``failed``, or ``error`` when even
    that write fails; the row then goes to the call list after its lease)."""
    session.rollback()
    reason = reason_of(error)
    log.warning("outbox row %s: send or bookkeeping failed (%s)", row_id, type(error).__name__)
    row = session.get(Notification, row_id)
    if row is None or row.state != State.SENDING:
        return "error"
    outcome = _decide(session, row, reason, watch, now, settings)
    try:
        session.add(row)
        session.commit()
    except SQLAlchemyError:
        session.rollback()
        log.exception("outbox row %s: could not record the failure either", row_id)
        return "error"
    return outcome


def _decide(session: Session, row: Notification, reason: str, watch: Watched, now: datetime,
            settings: NotifySettings) -> str:
    if watch.provider_id is not None:  # the provider took it: resending would send it twice
        row.state, row.provider_id = State.NEEDS_ATTENTION, None
        row.last_error = (f"sent (provider id {watch.provider_id[:40]}), but it could not be "
                          f"recorded: {reason}; delivery cannot be followed, please call")[:500]
        return "unrecorded"
    if watch.called:  # the provider may have taken it
        row.state, row.last_error = State.NEEDS_ATTENTION, f"delivery unknown: {reason}"[:500]
        return "uncertain"
    row.last_error = f"not sent: {reason}"[:500]
    return retry_or_fail(session, row, True, reason, settings, now)
