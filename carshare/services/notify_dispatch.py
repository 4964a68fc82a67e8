"""The dispatcher: claim due outbox rows one at a time, send, record the outcome.

A claim is one atomic statement (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a conditional
update on SQLite), committed before the provider is called, so two dispatchers never send the
same row. A crash between claim and record leaves the row in ``sending``; after the lease it
goes to the staff call list (``recover_stale``), never back to the queue. An error in one
row's send or bookkeeping is recorded on that row alone (``notify_rescue``); the run goes on.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from carshare.models import Notification, NotificationChannel, NotificationState, utcnow
from carshare.notifications import Notifier
from carshare.notifications.decide import ANY_HOUR, within_hours
from carshare.notifications.settings import NotifySettings
from carshare.services.notify_rescue import Watched, record_broken
from carshare.services.notify_send import send_one

PENDING, SENDING = NotificationState.PENDING, NotificationState.SENDING


def _due(now: datetime, settings: NotifySettings, town_id: int | None = None
         ) -> list[sa.ColumnElement[bool]]:
    conditions = [Notification.state == PENDING, Notification.due_at <= now,
                  Notification.channel != NotificationChannel.STAFF,
                  sa.or_(Notification.next_attempt_at.is_(None),
                         Notification.next_attempt_at <= now)]
    if not within_hours(now, settings.hours, settings.tz):
        conditions.append(Notification.template.in_(ANY_HOUR))
    if town_id is not None:
        conditions.append(Notification.town_id == town_id)
    return conditions


def towns_due(session: Session, now: datetime, settings: NotifySettings) -> list[int]:
    """Return the towns that have messages due now (one send task each)."""
    query = select(Notification.town_id).where(*_due(now, settings)).distinct()
    return sorted(session.exec(query))


def claim_one(session: Session, now: datetime, settings: NotifySettings,
              town_id: int | None = None) -> int | None:
    """Atomically move the oldest due row (of one town, when given) to ``sending`` and commit;
    return its id."""
    pick = (select(Notification.id).where(*_due(now, settings, town_id))
            .order_by(Notification.due_at, Notification.id).limit(1))
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    claim = (sa.update(Notification)
             .where(Notification.id == pick.scalar_subquery(), Notification.state == PENDING)
             .values(state=SENDING, attempts=Notification.attempts + 1,
                     next_attempt_at=now + settings.lease)
             .returning(Notification.id)
             .execution_options(synchronize_session=False))
    claimed = session.execute(claim).scalar()
    session.commit()
    return claimed


def drain(engine: Engine, notifier: Notifier, settings: NotifySettings,
          stop: threading.Event | None = None, clock: Callable[[], datetime] = utcnow,
          town_id: int | None = None) -> Counter[str]:
    """Send due rows (of one town, when given) until none is left (or ``stop`` is set);
    count the outcomes."""
    outcomes: Counter[str] = Counter()
    while not (stop and stop.is_set()):
        with Session(engine, expire_on_commit=False) as session:
            row_id = claim_one(session, clock(), settings, town_id)
            if row_id is None:
                break
            outcomes[send_guarded(session, notifier, row_id, clock, settings)] += 1
    return outcomes


def send_guarded(session: Session, notifier: Notifier, row_id: int,
                 clock: Callable[[], datetime], settings: NotifySettings) -> str:
    """Send one claimed row; if its send or bookkeeping fails, record that row alone
    (:mod:`notify_rescue`) so the run goes on; return the outcome."""
    watch = Watched(notifier)
    try:
        return send_one(session, watch, row_id, clock(), settings)
    except Exception as error:  # noqa: BLE001  one row never stops the others
        return record_broken(session, row_id, error, watch, clock(), settings)


def dispatch_due(engine: Engine, notifier: Notifier, settings: NotifySettings, workers: int = 1,
                 stop: threading.Event | None = None, town_id: int | None = None
                 ) -> Counter[str]:
    """Send everything due now (of one town, when given) with ``workers`` parallel senders;
    count the outcomes (``sent``, ``retry``, ``failed``, ``expired``, ``uncertain``)."""
    if workers <= 1:
        return drain(engine, notifier, settings, stop, town_id=town_id)
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(drain, engine, notifier, settings, stop, town_id=town_id)
                   for _ in range(workers)]
        return sum((f.result() for f in futures), Counter())


def recover_stale(session: Session, now: datetime) -> int:
    """Put rows stuck in ``sending`` past their lease (a crashed sender) on the call list.

    Whether the provider got them is unknown, so they are never resent automatically.
    """
    query = select(Notification).where(Notification.state == SENDING,
                                       Notification.next_attempt_at < now)
    stale = list(session.exec(query))
    for row in stale:
        row.state = NotificationState.NEEDS_ATTENTION
        row.last_error = "sender stopped while sending; delivery unknown, please call"
        session.add(row)
    session.commit()
    return len(stale)
