"""The task layer in process (SQLite's default, and inline in tests) on both databases: the
scheduler enqueues one planning task per town, a task run again plans nothing twice, locks,
queueing locks, retries with backoff, enqueueing with a transaction; the CLI, the admin page
and the metrics show the queue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from carshare.db import get_engine
from carshare.jobs import tasks as jobs
from carshare.models import Notification, Plan, TaskMark, Town
from carshare.tasks import get_queue, queue_mode
from carshare.tasks.inprocess import InProcessQueue
from carshare.tasks.work import plan_town_day
from carshare.timeutil import TOKYO, local_today
from tests.conftest import login
from tests.tasks import helpers
from tests.tasks.helpers import GATE, STATE


def _counts(app: Flask, town_id: int, day: date) -> tuple[int, int]:
    with app.app_context(), Session(get_engine()) as session:
        plans = session.exec(select(func.count()).select_from(Plan).where(
            Plan.town_id == town_id, Plan.service_date == day)).one()
        messages = session.exec(select(func.count()).select_from(Notification)).one()
    return plans, messages


def _town_id(app: Flask) -> int:
    with app.app_context(), Session(get_engine()) as session:
        return session.exec(select(Town.id)).one()


@pytest.fixture
def quick(app: Flask, demo: None) -> Flask:
    app.config["PLAN_TIME_LIMIT_SECONDS"] = 1
    return app


def test_the_scheduler_enqueues_one_planning_per_town_and_it_plans_once(quick: Flask) -> None:
    assert queue_mode(quick) == "inline" and get_queue(quick).mode == "inline"
    town_id, tomorrow = _town_id(quick), local_today(TOKYO) + timedelta(days=1)
    confirmed = jobs.plan_tomorrow(quick)
    assert confirmed > 0
    plans, messages = _counts(quick, town_id, tomorrow)
    assert plans >= 1 and messages > 0
    assert jobs.plan_tomorrow(quick) == confirmed  # run again: confirmations only
    assert _counts(quick, town_id, tomorrow) == (plans, messages)
    with quick.app_context(), Session(get_engine()) as session:
        assert session.get(TaskMark, f"plan:{town_id}:{tomorrow}") is not None


def test_a_task_that_dies_before_its_commit_leaves_the_plan_in_force(
        quick: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from carshare.services import notify_planned, planning

    town_id, tomorrow = _town_id(quick), local_today(TOKYO) + timedelta(days=1)
    day, real_plan = tomorrow.isoformat(), planning.plan_day

    def dies(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise MemoryError("killed while solving")

    monkeypatch.setattr(planning, "plan_day", dies)
    with pytest.raises(MemoryError):
        plan_town_day(quick, town_id, day)
    assert _counts(quick, town_id, tomorrow) == (0, 0)  # nothing stored, no mark
    monkeypatch.setattr(planning, "plan_day", real_plan)

    real_confirm = notify_planned.send_day_confirmations

    def dies_after_the_plan(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("database gone after the plan's commit")

    monkeypatch.setattr(notify_planned, "send_day_confirmations", dies_after_the_plan)
    with pytest.raises(ConnectionError):
        plan_town_day(quick, town_id, day)
    plans, messages = _counts(quick, town_id, tomorrow)
    assert plans >= 1  # the plan and its mark were committed together
    monkeypatch.setattr(notify_planned, "send_day_confirmations", real_confirm)
    assert plan_town_day(quick, town_id, day) > 0  # the retry: confirmations, no new plan
    again, written = _counts(quick, town_id, tomorrow)
    assert again == plans and written > messages


def test_threads_keep_one_task_per_lock_and_skip_a_duplicate_in_the_queue(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    helpers.register(monkeypatch, "hold", "wait", lock=lambda kw: f"plan:{kw['town_id']}",
                     queueing_lock=lambda kw: f"q:{kw['town_id']}:{kw['n']}")
    queue = InProcessQueue(app, threads=3)
    try:
        first = queue.enqueue("hold", town_id=1, n=1)
        second = queue.enqueue("hold", town_id=1, n=2)  # same town: waits for the first
        again = queue.enqueue("hold", town_id=1, n=2)  # the same work still waiting
        other = queue.enqueue("hold", town_id=2, n=1)  # another town runs beside
        assert again.duplicate and again.id is None
        while STATE["running"] < 2:
            GATE.wait(0.01)
        statuses = sorted((r.town_id, r.status) for r in queue.rows())
        assert statuses == [(1, "queued"), (1, "running"), (2, "running")]
        GATE.set()
        assert all(h.join(60) for h in (first, second, other))
        assert STATE["most"] == 2 and STATE["calls"] == 3
        assert first.result == "done" and queue.rows() == []
    finally:
        GATE.set()
        queue.close()


def test_a_failed_task_is_retried_with_backoff_then_listed_as_failed(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    helpers.register(monkeypatch, "flaky", "flaky", max_attempts=3, backoff_s=0)
    queue = InProcessQueue(app, threads=1)
    try:
        STATE["fail_first"] = 2
        done = queue.enqueue("flaky", town_id=7)
        assert done.join(60) and done.result == "finally" and STATE["calls"] == 3
        STATE.update(calls=0, fail_first=5)
        failed = queue.enqueue("flaky", town_id=7)
        assert failed.join(60) and failed.error == "solver exploded"
        [row] = queue.rows()
        assert (row.status, row.attempts, row.town_id) == ("failed", 3, 7)
    finally:
        queue.close()


def test_a_task_enqueued_in_a_transaction_exists_only_if_it_commits(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    helpers.register(monkeypatch, "flaky", "flaky")
    queue = InProcessQueue(app, threads=0)
    with app.app_context(), Session(get_engine()) as session:
        session.add(Town(slug="otoineppu", name="音威子府村"))
        dropped = queue.enqueue("flaky", session=session)
        session.rollback()
        assert not dropped.ran and STATE["calls"] == 0
        session.add(Town(slug="horonobe", name="幌延町"))
        kept = queue.enqueue("flaky", session=session)
        assert not kept.ran
        session.commit()
    assert kept.ran and kept.result == "finally" and STATE["calls"] == 1


def test_the_cli_on_sqlite_needs_no_worker(app: Flask) -> None:
    runner = app.test_cli_runner()
    worker = runner.invoke(args=["worker"])
    assert worker.exit_code == 1 and "no worker is needed here" in worker.output
    listed = runner.invoke(args=["tasks"])
    assert listed.exit_code == 0 and "tasks run inside the app process" in listed.output


def test_an_unknown_queue_setting_is_named(app: Flask) -> None:
    app.config["TASK_QUEUE"] = "celery"
    with pytest.raises(ValueError, match="CARSHARE_TASK_QUEUE must be one of"):
        queue_mode(app)
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code == 1 and "CARSHARE_TASK_QUEUE" in result.output


def test_the_admin_page_lists_the_towns_tasks_with_their_age(
        client: FlaskClient, demo: None, monkeypatch: pytest.MonkeyPatch) -> None:
    helpers.register(monkeypatch, "send_town_messages", "flaky", max_attempts=1)
    STATE["fail_first"] = 2
    app = client.application
    get_queue(app).enqueue("send_town_messages", town_id=_town_id(app))
    get_queue(app).enqueue("send_town_messages", town_id=_town_id(app) + 99)  # another town
    login(client, "madoguchi", "teshio-demo-2026")
    assert client.get("/settings/tasks").status_code == 403  # staff, not admin
    admin = app.test_client()
    login(admin, "admin", "teshio-admin-2026")
    page = admin.get("/settings/tasks").get_data(as_text=True)
    assert "処理の状況" in page and "連絡の送信" in page and "失敗" in page
    assert "過去1日の失敗 2 件" in page  # the whole installation: both towns
    assert page.count("<td>連絡の送信</td>") == 1  # the other town's row is not shown
    assert 'href="/settings/tasks"' in page  # in the admin's menu
    admin.get("/lang/en")
    english = admin.get("/settings/tasks").get_data(as_text=True)
    assert "Send messages" in english and "Failed" in english


def test_metrics_show_queue_depth_and_age_per_town(
        app: Flask, demo: None, monkeypatch: pytest.MonkeyPatch) -> None:
    helpers.register(monkeypatch, "retention", "flaky", max_attempts=1)
    STATE["fail_first"] = 1
    get_queue(app).enqueue("retention")
    helpers.register(monkeypatch, "plan_town_day", "flaky", max_attempts=1)
    STATE["fail_first"] = 1
    get_queue(app).enqueue("plan_town_day", town_id=_town_id(app), day="2026-12-08")
    app.config["METRICS_TOKEN"] = "t" * 40
    text = app.test_client().get("/metrics", headers={"Authorization": "Bearer " + "t" * 40}
                                 ).get_data(as_text=True)
    assert 'carshare_tasks{status="failed",task="retention",town="all"} 1.0' in text
    assert 'carshare_tasks{status="failed",task="plan_town_day",town="teshio"} 1.0' in text
    assert 'carshare_tasks_oldest_age_seconds{status="failed",task="retention",town="all"}' \
        in text
