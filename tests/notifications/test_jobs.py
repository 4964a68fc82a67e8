"""The scheduler: jobs as data with stable ids, one scheduler per database, the job bodies."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from carshare.db import get_engine
from carshare.jobs import tasks
from carshare.jobs.lock import SchedulerLock
from carshare.jobs.registry import JOBS
from carshare.jobs.runner import build_scheduler, start_in_process
from carshare.models import Assignment, AssignmentState, Notification, NotificationState
from carshare.notifications.settings import NotifySettings
from carshare.services.notify_rider import enqueue_confirmation
from carshare.timeutil import TOKYO
from tests.conftest import login
from tests.notifications.factories import Town, promised_ride, rows

PICKUP = datetime(2026, 12, 8, 9, 30, tzinfo=TOKYO)


def test_jobs_are_data_with_stable_ids(app: Flask) -> None:
    ids = [spec.id for spec in JOBS]
    assert ids == ["close-expired-requests", "delete-abandoned-quotes", "delete-old-signins",
                   "warm-road-times",
                   "dispatch-outbox",
                   "plan-tomorrow", "expire-stale-notifications", "alert-expiring-documents",
                   "retention-cleanup", "ask-drivers"]
    app.config.update(DISPATCH_INTERVAL_SECONDS=7, PLAN_TOMORROW_AT="16:45")
    scheduler = build_scheduler(app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert jobs["dispatch-outbox"].trigger.interval == timedelta(seconds=7)
    assert "hour='16', minute='45'" in str(jobs["plan-tomorrow"].trigger)
    assert set(jobs) == set(ids)


def test_only_one_scheduler_per_database(app: Flask) -> None:
    with app.app_context():
        first, second = SchedulerLock(get_engine()), SchedulerLock(get_engine())
        assert first.acquire() and not second.acquire()
        assert start_in_process(app) is None  # make run next to a running scheduler
        result = app.test_cli_runner().invoke(args=["jobs", "run"])
        assert result.exit_code == 1 and "another scheduler is already running" in result.output
        first.release()
        assert second.acquire()
        second.release()


def test_dispatch_command_prints_the_outcome(app: Flask, town: Town,
                                             settings: NotifySettings) -> None:
    ride = promised_ride(town, "高橋", PICKUP)
    enqueue_confirmation(town.session, ride.id, settings=settings)
    town.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "dispatch"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0, expired 0" in result.output


def test_plan_tomorrow_plans_then_writes_confirmations_and_manifests(
        app: Flask, town: Town, clock: time_machine.Coordinates,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from carshare.services import planning

    planned: list[tuple[int, date]] = []
    monkeypatch.setattr(planning, "plan_day",
                        lambda _s, town_id, day, _tz, **_kw: planned.append((town_id, day)))
    ride = promised_ride(town, "高橋", PICKUP)
    waiting = promised_ride(town, "鈴木", PICKUP + timedelta(hours=1))
    town.session.add(Assignment(  # 村上 takes riders only when asked: he accepted this one
        request_id=ride.id, offer_id=ride.promised_offer_id, state=AssignmentState.ACCEPTED,
        asked_at=PICKUP - timedelta(days=2), deadline=PICKUP - timedelta(days=1)))
    town.session.commit()
    clock.move_to(datetime(2026, 12, 7, 17, tzinfo=TOKYO))
    assert tasks.plan_tomorrow(app) == 2
    assert planned == [(town.town_id, date(2026, 12, 8))]
    keys = {r.idempotency_key for r in rows(town.session)}
    assert f"confirmation:{ride.id}:v1" in keys
    assert not any(k.startswith(f"confirmation:{waiting.id}:") for k in keys)  # not accepted
    assert any(k.startswith(f"manifest:{ride.promised_offer_id}:2026-12-08") for k in keys)
    assert tasks.plan_tomorrow(app) == 2 and len(rows(town.session)) == len(keys)


def test_document_alerts_once_and_retention(app: Flask, town: Town,
                                            clock: time_machine.Coordinates) -> None:
    assert tasks.alert_expiring_documents(app) == 1  # demo: first driver's insurance
    assert tasks.alert_expiring_documents(app) == 0
    [alert] = rows(town.session, template="staff_alert")
    assert "insurance expires" in alert.last_error
    alert.state = NotificationState.SENT
    town.session.add(alert)
    town.session.add(Notification(town_id=town.town_id, recipient="+819012345678",
                                  channel="sms", template="confirmation", due_at=PICKUP,
                                  idempotency_key="still-pending"))
    town.session.commit()
    clock.shift(timedelta(days=1096))  # the default period is three years
    assert tasks.retention_cleanup(app) >= 1
    town.session.expire_all()
    kept = {r.idempotency_key: r for r in rows(town.session)}
    assert set(kept) == {alert.idempotency_key, "still-pending"}  # anonymised, not deleted
    assert kept[alert.idempotency_key].payload == {} and kept[alert.idempotency_key].anonymised_at
    assert kept["still-pending"].anonymised_at is None
    assert tasks.retention_cleanup(app) == 0  # idempotent


def test_the_staff_page_shows_what_would_have_been_sent(
        client: FlaskClient, town: Town, settings: NotifySettings) -> None:
    ride = promised_ride(town, "高橋", PICKUP)
    enqueue_confirmation(town.session, ride.id, settings=settings)
    town.session.commit()
    tasks.dispatch_outbox(client.application)
    assert client.get("/notifications/").status_code == 302  # staff only
    login(client, "madoguchi", "teshio-demo-2026")
    page = client.get("/notifications/").get_data(as_text=True)
    assert "12/8(火)9:30〜10:00にご自宅へお迎えに伺います" in page
