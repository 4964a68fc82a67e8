"""Daily and periodic outbox housekeeping: expiry and document alerts (retention: see
``carshare.services.retention``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from carshare.models import Driver, Notification, NotificationState, Resident
from carshare.services.notify_send import is_late
from carshare.services.outbox import alert_staff, find

DOCUMENT_WARNING = timedelta(days=30)
FINISHED = (NotificationState.SENT, NotificationState.DELIVERED, NotificationState.FAILED,
            NotificationState.EXPIRED, NotificationState.CANCELLED)


def expire_late(session: Session, now: datetime) -> int:
    """Expire unsent rows that are past their usefulness (e.g. outside calling hours until
    after the pick-up) and put each on the staff call list; return how many."""
    query = select(Notification).where(Notification.state == NotificationState.PENDING,
                                       Notification.due_at <= now)
    late = [row for row in session.exec(query) if is_late(row, now)]
    for row in late:
        row.state, row.last_error = NotificationState.EXPIRED, "too late to be useful"
        session.add(row)
        alert_staff(session, row.town_id, f"expired:{row.id}",
                    f"{row.template} to {row.recipient} expired unsent; please call",
                    request_id=row.ride_request_id, resident_id=row.resident_id)
    session.commit()
    return len(late)


def alert_expiring_documents(session: Session, today: date) -> int:
    """Alert staff once per document about drivers' licences or insurance expiring within
    30 days; return how many alerts are new."""
    limit = today + DOCUMENT_WARNING
    query = (select(Driver, Resident).join(Resident, Resident.id == Driver.resident_id)
             .where(Driver.active, sa.or_(Driver.licence_expiry <= limit,
                                          Driver.insurance_expiry <= limit)))
    new = 0
    for driver, resident in session.exec(query):
        for name, expiry in (("licence", driver.licence_expiry),
                             ("insurance", driver.insurance_expiry)):
            key = f"document:{driver.id}:{name}:{expiry.isoformat()}"
            if expiry <= limit and find(session, f"alert:{key}") is None:
                alert_staff(session, resident.town_id, key,
                            f"driver's {name} expires {expiry.isoformat()}",
                            resident_id=resident.id)
                new += 1
    session.commit()
    return new

