"""The task functions: each takes the Flask app and plain arguments, opens its own sessions,
calls services, and can run again after a crash without doing anything twice.

- Planning stores the plan and its :class:`~carshare.models.TaskMark` in one transaction:
  a task killed before that commit leaves the plan in force; one killed after it finds the
  mark when it runs again and only writes the confirmations (idempotent by their keys).
- Sending claims each message in its own committed transaction before calling the provider
  (:mod:`carshare.services.notify_dispatch`): a message is never sent twice; one interrupted
  while sending goes to the staff call list after its lease.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import sqlalchemy as sa
from flask import Flask
from sqlmodel import Session

from carshare.db import get_engine, session_scope
from carshare.models import TaskMark, utcnow
from carshare.notifications.settings import NotifySettings

log = logging.getLogger("carshare.tasks")
#: How long marks are kept (a task is never retried that late).
MARKS_KEPT = timedelta(days=30)


def plan_town_day(app: Flask, town_id: int, day: str) -> int:
    """Plan one town's day (once, whatever runs it again), then write the riders'
    confirmations and the drivers' manifests; return how many rides are confirmed."""
    from carshare.services import planning
    from carshare.services.notify_planned import send_day_confirmations

    settings = NotifySettings.from_config(app.config)
    service_day, key = date.fromisoformat(day), f"plan:{town_id}:{day}"
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        if session.get(TaskMark, key) is None:
            session.add(TaskMark(key=key))  # committed with the plan, or not at all
            planning.plan_day(session, town_id, service_day, settings.tz,
                              time_limit_s=app.config["PLAN_TIME_LIMIT_SECONDS"])
            session.commit()  # a day without requests stores no plan: the mark alone
        else:
            log.info("town %s, %s: already planned; writing confirmations only", town_id, day)
        confirmed = send_day_confirmations(session, town_id, service_day, settings)
        session.commit()
    log.info("town %s planned for %s: %d confirmations", town_id, day, confirmed)
    return confirmed


def replan_run(app: Flask, run_id: int, town_id: int, day: str) -> None:
    """Re-plan a day as staff asked; the run records the outcome (``town_id`` and ``day``
    only name the lock: one planning of a town's day at a time)."""
    from carshare.services import replan_runs

    replan_runs.execute(app, run_id)


def send_town_messages(app: Flask, town_id: int) -> dict[str, int]:
    """Send one town's due messages; return the outcome counts."""
    from carshare.jobs import tasks as jobs
    from carshare.services.notify_dispatch import dispatch_due

    with app.app_context():
        counts = dispatch_due(get_engine(), jobs.make_notifier(app.config),
                              NotifySettings.from_config(app.config), stop=jobs.STOP,
                              town_id=town_id)
    if counts:
        log.info("town %s: messages %s", town_id, dict(counts))
    return dict(counts)


def retention(app: Flask) -> int:
    """Anonymise rides and finished messages past each town's retention period, remove
    residents who left before it, forget old task marks; return how many rows changed."""
    from carshare.services.retention import run_all

    with app.app_context(), session_scope(get_engine()) as session:
        result = run_all(session, utcnow())
        session.execute(sa.delete(TaskMark).where(TaskMark.done_at < utcnow() - MARKS_KEPT))
    if result.rides or result.notifications or result.residents:
        log.info("retention: %d rides, %d messages, %d residents anonymised",
                 result.rides, result.notifications, result.residents)
    return result.rides + result.notifications + result.residents


def document_alerts(app: Flask) -> int:
    """Alert staff about drivers' documents expiring within 30 days; return the new alerts."""
    from carshare.services import notify_housekeeping
    from carshare.timeutil import local_today

    tz = NotifySettings.from_config(app.config).tz
    with app.app_context(), session_scope(get_engine()) as session:
        return notify_housekeeping.alert_expiring_documents(session, local_today(tz))
