"""Job bodies: open an app context and a session, call one service, log the outcome.

Planning, sending, retention and document alerts are only enqueued here, as tasks
(:mod:`carshare.tasks`): the one scheduler is the clock, workers do the work.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine, session_scope
from carshare.models import Town, utcnow
from carshare.notifications import make_notifier  # noqa: F401  (the send task's notifier; a seam)
from carshare.notifications.settings import NotifySettings
from carshare.services import notify_housekeeping, quotes, requests
from carshare.services.notify_dispatch import recover_stale
from carshare.timeutil import local_today

log = logging.getLogger("carshare.jobs")
#: Set when the scheduler is asked to stop: the dispatcher finishes its row and returns.
STOP = threading.Event()


def close_expired_requests(app: Flask) -> int:
    """Mark overdue unplanned requests as unmet; return how many."""
    with app.app_context(), session_scope(get_engine()) as session:
        count = requests.close_expired_requests(session, utcnow())
    if count:
        log.info("closed %d expired ride requests", count)
    return count


def delete_abandoned_quotes(app: Flask) -> int:
    """Delete quotes nobody took within their lifetime; return how many."""
    with app.app_context(), session_scope(get_engine()) as session:
        count = quotes.delete_abandoned_quotes(session, utcnow())
    if count:
        log.info("deleted %d abandoned quotes", count)
    return count


def delete_old_signins(app: Flask) -> int:
    """Delete sign-in rows past every limit's window; return how many."""
    from carshare.services.resident_auth import delete_old_signins as delete

    with app.app_context(), session_scope(get_engine()) as session:
        count = delete(session, utcnow())
    if count:
        log.info("deleted %d old sign-in rows", count)
    return count


def warm_road_times(app: Flask) -> dict[str, int]:
    """Compute and store road times between every town's places (nothing without roads)."""
    from carshare.services.road_cache import warm_all

    with app.app_context(), session_scope(get_engine()) as session:
        done = warm_all(session)
    if done:
        log.info("road times warm: %s", ", ".join(f"{k} {v}" for k, v in done.items()))
    return done


def dispatch_outbox(app: Flask) -> int:
    """Enqueue the sending of each town's due messages (one task per town; a town whose
    sending still waits is not enqueued twice); return how many messages were sent by
    tasks that ran at once (the inline queue), else 0."""
    from carshare.services.notify_dispatch import towns_due
    from carshare.tasks import get_queue

    settings = NotifySettings.from_config(app.config)
    with app.app_context(), Session(get_engine()) as session:
        towns = towns_due(session, utcnow(), settings)
    queue = get_queue(app)
    done = [queue.enqueue("send_town_messages", town_id=town_id) for town_id in towns]
    return sum((d.result or {}).get("sent", 0) for d in done if d.ran)


def plan_tomorrow(app: Flask) -> int:
    """Enqueue the planning of tomorrow for every town (one task per town and day: it plans,
    then writes confirmations and drivers' manifests); return how many rides were confirmed
    by tasks that ran at once (the inline queue), else 0."""
    from carshare.tasks import get_queue

    settings = NotifySettings.from_config(app.config)
    tomorrow = (local_today(settings.tz) + timedelta(days=1)).isoformat()
    with app.app_context(), Session(get_engine()) as session:
        towns = list(session.exec(select(Town.id).order_by(Town.id)))
    queue = get_queue(app)
    done = [queue.enqueue("plan_town_day", town_id=town_id, day=tomorrow) for town_id in towns]
    log.info("plan tomorrow (%s): %d towns enqueued (%s queue)", tomorrow, len(towns),
             queue.mode)
    return sum(d.result or 0 for d in done if d.ran)


def ask_drivers(app: Flask) -> int:
    """Ask drivers about newly planned riders and move riders of unanswered questions."""
    from carshare.services.driver_answers import expire_overdue
    from carshare.services.driver_assignments import AskRules, ask_new

    with app.app_context(), session_scope(get_engine()) as session:
        rules, now = AskRules.from_config(app.config), utcnow()
        count = len(ask_new(session, now, rules)) + expire_overdue(session, now, rules.tz)
    if count:
        log.info("driver questions asked or expired: %d", count)
    return count


def expire_stale_notifications(app: Flask) -> int:
    """Expire late messages and move interrupted sends to the call list; return how many."""
    with app.app_context(), session_scope(get_engine()) as session:
        now = utcnow()
        return notify_housekeeping.expire_late(session, now) + recover_stale(session, now)


def alert_expiring_documents(app: Flask) -> int:
    """Enqueue the alerts about drivers' documents expiring within 30 days; return the new
    alerts when the task ran at once (the inline queue), else 0."""
    from carshare.tasks import get_queue

    done = get_queue(app).enqueue("document_alerts")
    return int(done.result or 0) if done.ran else 0


def retention_cleanup(app: Flask) -> int:
    """Enqueue the retention task (anonymise rides and finished messages older than each
    town's retention period, remove residents who left before it); return how many rows
    changed when it ran at once (the inline queue), else 0."""
    from carshare.tasks import get_queue

    done = get_queue(app).enqueue("retention")
    return int(done.result or 0) if done.ran else 0
