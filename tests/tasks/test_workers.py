"""Real worker processes on PostgreSQL, started by the test against a database of its own:
they plan every town once and send every message once, a worker killed with SIGKILL in the
middle of a planning leaves it to another worker (no plan stored twice, no message twice),
and a worker whose database connections are cut carries on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from flask import Flask
from sqlmodel import Session

from carshare import create_app
from carshare.db import make_engine
from carshare.jobs import tasks as jobs_
from carshare.models import utcnow
from carshare.services.demo import seed_demo
from carshare.tasks import get_queue
from carshare.timeutil import TOKYO, local_today
from tests.conftest import login
from tests.dbs import pg_base_url
from tests.deploy.servers import free_port
from tests.tasks.workers import ALL_DAY, Worker, fresh_database, jobs, query, wait_for, workers

pytestmark = pytest.mark.skipif(not pg_base_url(), reason="PostgreSQL workers need "
                                "CARSHARE_TEST_DATABASE_URL (set by .ci/run)")


def tomorrow() -> str:
    """Tomorrow in the town, as the scheduler counts it when the test runs (not at import:
    a run may cross midnight)."""
    return (local_today(TOKYO) + timedelta(days=1)).isoformat()


@pytest.fixture
def url() -> Iterator[str]:
    """A migrated database of this test's own, with the demo town."""
    with fresh_database(pg_base_url() or "") as database:
        engine = make_engine(database)
        with Session(engine) as session:
            seed_demo(session, utcnow(), TOKYO)
        engine.dispose()
        yield database


@pytest.fixture
def app(url: str) -> Iterator[Flask]:
    """The enqueueing side (the scheduler's process): Procrastinate on the test database."""
    application = create_app("testing", DATABASE_URL=url, TASK_QUEUE="procrastinate",
                             NOTIFY_HOURS=ALL_DAY)
    yield application
    application.extensions["carshare.engine"].dispose()


def _plans(url: str) -> list[tuple[int, int]]:
    return query(url, "SELECT town_id, version FROM plan WHERE service_date = :day "
                      "ORDER BY version", day=tomorrow())


def _marks(url: str) -> list[str]:
    return [k for (k,) in query(url, "SELECT key FROM task_mark ORDER BY key")]


def _sent_twice(url: str) -> list[tuple[str, int]]:
    return query(url, "SELECT idempotency_key, attempts FROM notification "
                      "WHERE state = 'sent' AND attempts > 1")


def test_workers_plan_each_town_once_and_send_each_message_once(app: Flask, url: str,
                                                                 tmp_path: Path) -> None:
    assert jobs_.plan_tomorrow(app) == 0  # enqueued, not run here
    assert jobs_.plan_tomorrow(app) == 0  # the same town's day is already waiting
    assert [(task, status) for _, task, status, _ in jobs(url)] == [("plan_town_day", "todo")]
    rows = get_queue(app).rows()
    assert [(r.task, r.status, r.args["day"]) for r in rows] == [
        ("plan_town_day", "queued", tomorrow())]
    listed = app.test_cli_runner().invoke(args=["tasks"])
    assert "queued 1, running 0, failed 0; workers alive 0" in listed.output
    admin = app.test_client()
    login(admin, "admin", "teshio-admin-2026")
    page = admin.get("/settings/tasks").get_data(as_text=True)
    assert "ワーカーが動いていません" in page and "一日の配車計画" in page  # none started yet
    assert "teshio" in listed.output and "plan_town_day" in listed.output
    port = free_port()
    with workers(url, tmp_path, 2, ("--metrics-port", str(port)),
                 CARSHARE_PLAN_TIME_LIMIT_SECONDS="1") as running:
        logs = lambda: "\n".join(w.log() for w in running)  # noqa: E731
        wait_for("the planning task done", lambda: not jobs(url) and _marks(url), logs)
        assert _marks(url) == [f"plan:1:{tomorrow()}"] and len(_plans(url)) == 1
        counted = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
        assert "carshare_planning_duration_seconds_count{town=\"teshio\"} 1.0" in counted \
            or "town 1 planned" in running[1].log()  # the other worker took it
        jobs_.dispatch_outbox(app)
        assert [task for _, task, _, _ in jobs(url)] in (["send_town_messages"], [])
        wait_for("the messages sent", lambda: not jobs(url) and query(
            url, "SELECT count(*) FROM notification WHERE state = 'sent'")[0][0] > 0, logs)
        assert "town 1 planned" in logs()
    assert _sent_twice(url) == [] and len(_plans(url)) == 1


def test_a_worker_killed_mid_planning_leaves_it_to_another_worker(app: Flask, url: str,
                                                                  tmp_path: Path) -> None:
    jobs_.plan_tomorrow(app)
    slow = {"CARSHARE_PLAN_TIME_LIMIT_SECONDS": "8"}
    first = Worker(url, tmp_path / "first.log", "first", **slow)
    try:
        wait_for("the first worker planning", lambda: [j for j in jobs(url) if j[2] == "doing"],
                 first.log)
        first.kill()
    finally:
        first.stop()
    assert "planned for" not in first.log() and _plans(url) == [] and _marks(url) == []
    with workers(url, tmp_path, 1, **slow) as [second]:
        wait_for("the task finished by the second worker",
                 lambda: not jobs(url) and _marks(url), second.log)
        assert "of a silent worker handed back to the queue" in second.log()
        assert "town 1 planned" in second.log()
    assert len(_plans(url)) == 1 and _marks(url) == [f"plan:1:{tomorrow()}"]
    keys = query(url, "SELECT idempotency_key, count(*) FROM notification "
                      "GROUP BY idempotency_key HAVING count(*) > 1")
    assert keys == [] and _sent_twice(url) == []


def test_a_worker_cut_off_from_the_database_carries_on(app: Flask, url: str,
                                                      tmp_path: Path) -> None:
    database = url.rsplit("/", 1)[1].split("?")[0]
    with workers(url, tmp_path, 1, CARSHARE_PLAN_TIME_LIMIT_SECONDS="1") as [worker]:
        wait_for("the worker registered", lambda: query(
            url, "SELECT count(*) FROM procrastinate_workers")[0][0] > 0, worker.log)
        cut = query(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = :db AND pid <> pg_backend_pid()", db=database)
        assert cut and all(ok for (ok,) in cut)
        jobs_.plan_tomorrow(app)
        wait_for("the planning done after the cut", lambda: not jobs(url) and _marks(url),
                 worker.log)
        assert worker.proc.poll() is None  # still running
    assert len(_plans(url)) == 1


def test_a_task_enqueued_in_a_transaction_exists_only_if_it_commits(app: Flask,
                                                                    url: str) -> None:
    from carshare.db import get_engine
    from carshare.models import Town

    queue = get_queue(app)
    with app.app_context(), Session(get_engine()) as session:
        session.add(Town(slug="otoineppu", name="音威子府村"))
        queue.enqueue("plan_town_day", session=session, town_id=1, day=tomorrow())
        session.rollback()
        assert jobs(url) == []
        session.add(Town(slug="horonobe", name="幌延町"))
        kept = queue.enqueue("plan_town_day", session=session, town_id=1, day=tomorrow())
        again = queue.enqueue("plan_town_day", session=session, town_id=1, day=tomorrow())
        assert kept.id and again.duplicate  # the transaction is still usable after it
        session.commit()
    assert [task for _, task, _, _ in jobs(url)] == ["plan_town_day"]
    assert query(url, "SELECT count(*) FROM town WHERE slug = 'horonobe'") == [(1,)]
    queue.enqueue("send_town_messages", town_id=1)  # messages go before any planning
    assert query(url, "SELECT task_name, priority FROM procrastinate_jobs "
                      "ORDER BY priority DESC, id") == [("send_town_messages", 20),
                                                        ("plan_town_day", 0)]
