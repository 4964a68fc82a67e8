"""When a promise changes or ends: cancel the stale messages, say what changed, tell the
driver, and (for a rider's own cancel) hand the ride back to planning."""

from __future__ import annotations

import importlib
import importlib.util
import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import Notification, NotificationState, RequestStatus, RideRequest, utcnow
from carshare.notifications.settings import NotifySettings
from carshare.services import notify_facts
from carshare.services.driver_pending import is_awaiting
from carshare.services.notify_driver import enqueue_driver_change
from carshare.services.notify_rider import (
    RIDE_TEMPLATES,
    enqueue_confirmation,
    enqueue_reminders,
    ride_drafts,
    write_all,
)
from carshare.services.outbox import alert_staff, cancel_pending

log = logging.getLogger("carshare.notify")
TOLD = (NotificationState.SENT, NotificationState.DELIVERED, NotificationState.SENDING,
        NotificationState.NEEDS_ATTENTION, NotificationState.PENDING)


def last_told(session: Session, request_id: int) -> dict[str, Any] | None:
    """Return the payload of the newest confirmation or change the rider was sent."""
    query = (select(Notification)
             .where(Notification.ride_request_id == request_id,
                    Notification.template.in_(("confirmation", "change")),
                    Notification.state.in_(TOLD))
             .order_by(Notification.id.desc()))
    row = session.exec(query).first()
    return dict(row.payload) if row else None


def notify_plan_change(session: Session, request_id: int, now: datetime | None = None,
                       settings: NotifySettings | None = None) -> list[Notification]:
    """After re-planning: cancel the old version's unsent messages and say what changed.

    Writes a ``change`` notice (old and new pick-up time, the driver) when the time or driver
    differ from what the rider was told, a confirmation when they were told nothing yet, and
    the reminders of the new plan version. While the ride waits for its driver to accept,
    nothing new is written: the driver's acceptance calls this again. The caller commits.
    """
    settings, now = settings or NotifySettings.from_app(), now or utcnow()
    facts = notify_facts.ride_facts(session, request_id)
    if facts is None:
        return []
    told = last_told(session, request_id)
    suffix = f":v{facts.plan_version}"
    stale = select(Notification.idempotency_key).where(
        Notification.ride_request_id == request_id)
    keep = [k for k in session.exec(stale) if k.endswith((suffix, f"{suffix}:caregiver"))]
    cancel_pending(session, request_id, RIDE_TEMPLATES, keep)
    if is_awaiting(session, request_id):
        return []
    if told is None:
        return enqueue_confirmation(session, request_id, now, settings)
    if (told["start"], told.get("driver")) == (facts.payload["start"], facts.payload["driver"]):
        return enqueue_reminders(session, facts, now, settings)
    drafts = ride_drafts(session, facts, f"change:{request_id}{suffix}", "change", now, settings,
                     {"old_start": told["start"], "old_driver": told.get("driver", "")})
    return write_all(session, drafts) + enqueue_reminders(session, facts, now, settings)


def cancel_ride_by_rider(session: Session, request_id: int, now: datetime | None = None,
                         settings: NotifySettings | None = None) -> bool:
    """Cancel a ride because its rider asked (a keypress "2"); the caller commits.

    Marks the request cancelled, cancels its unsent messages, tells the driver, and asks
    planning to re-plan the day. Idempotent: returns ``False`` if it was already cancelled.
    """
    settings, now = settings or NotifySettings.from_app(), now or utcnow()
    request = session.get(RideRequest, request_id)
    if request is None or request.status not in (RequestStatus.PLANNED, RequestStatus.CONFIRMED,
                                                  RequestStatus.REQUESTED, RequestStatus.WAITING):
        return False
    offer_id, start = request.promised_offer_id, request.promised_pickup_start
    request.status, request.outcome_code = RequestStatus.CANCELLED, "rider_cancelled"
    request.outcome_reason = "cancelled by the rider (voice keypress)"
    session.add(request)
    session.flush()
    cancel_pending(session, request_id, RIDE_TEMPLATES)
    if offer_id is not None and start is not None:
        day = start.astimezone(settings.tz).date()
        enqueue_driver_change(session, offer_id, day, f"cancel:{request_id}", now, settings)
    replan_after_cancel(session, request_id, settings.tz)
    return True


def replan_after_cancel(session: Session, request_id: int, tz: ZoneInfo) -> None:
    """Seam to planning: call ``carshare.services.planning.replan_after_cancel`` if it exists,
    else put the request on the staff call list so a person re-plans the day."""
    replan = None
    if importlib.util.find_spec("carshare.services.planning") is not None:
        planning = importlib.import_module("carshare.services.planning")
        replan = getattr(planning, "replan_after_cancel", None)
    if replan is None:
        request = session.get(RideRequest, request_id)
        alert_staff(session, request.town_id, f"replan:{request_id}",  # type: ignore[union-attr]
                    "rider cancelled by keypress; re-plan the day", request_id=request_id)
        return
    replan(session, request_id, tz)
