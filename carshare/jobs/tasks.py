"""Job bodies: open an app context and a session, call one service, log the outcome."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import threading
from collections import Counter
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine, session_scope
from carshare.models import Town, utcnow
from carshare.notifications import make_notifier
from carshare.notifications.settings import NotifySettings
from carshare.services import notify_housekeeping, quotes, requests
from carshare.services.notify_dispatch import dispatch_due, recover_stale
from carshare.services.notify_planned import send_day_confirmations
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


def dispatch_outbox(app: Flask) -> Counter[str]:
    """Send the notifications due now; return the outcome counts."""
    with app.app_context():
        counts = dispatch_due(get_engine(), make_notifier(app.config),
                              NotifySettings.from_config(app.config), stop=STOP)
    if counts:
        log.info("dispatched notifications: %s", dict(counts))
    return counts


def plan_tomorrow(app: Flask) -> int:
    """Plan tomorrow for every town (when planning is available), then write confirmations
    and drivers' manifests; return how many rides were confirmed."""
    settings = NotifySettings.from_config(app.config)
    tomorrow = local_today(settings.tz) + timedelta(days=1)
    confirmed = 0
    with app.app_context(), session_scope(get_engine()) as session:
        for town in session.exec(select(Town)):
            _plan_day(session, town.id, tomorrow, settings.tz)  # type: ignore[arg-type]
            confirmed += send_day_confirmations(session, town.id, tomorrow, settings)  # type: ignore[arg-type]
    log.info("plan tomorrow (%s): %d confirmations written", tomorrow, confirmed)
    return confirmed


def _plan_day(session: Session, town_id: int, day: date, tz: ZoneInfo) -> None:
    """Seam to planning: ``carshare.services.planning.plan_day`` when it exists."""
    if importlib.util.find_spec("carshare.services.planning") is None:
        log.warning("carshare.services.planning is missing: confirming existing promises only")
        return
    plan_day = getattr(importlib.import_module("carshare.services.planning"), "plan_day", None)
    if plan_day is not None:
        plan_day(session, town_id, day, tz)


def ask_drivers(app: Flask) -> int:
    """Ask drivers about newly planned riders and move riders of unanswered questions."""
    from carshare.services.driver_assignments import AskRules, ask_new, expire_overdue

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
    """Alert staff about drivers' documents expiring within 30 days."""
    tz = NotifySettings.from_config(app.config).tz
    with app.app_context(), session_scope(get_engine()) as session:
        return notify_housekeeping.alert_expiring_documents(session, local_today(tz))


def retention_cleanup(app: Flask) -> int:
    """Anonymise rides and finished messages older than each town's retention period and
    remove residents who left before it (statistics kept); return how many rows changed."""
    from carshare.services.retention import run_all

    with app.app_context(), session_scope(get_engine()) as session:
        result = run_all(session, utcnow())
    if result.rides or result.notifications or result.residents:
        log.info("retention: %d rides, %d messages, %d residents anonymised",
                 result.rides, result.notifications, result.residents)
    return result.rides + result.notifications + result.residents
