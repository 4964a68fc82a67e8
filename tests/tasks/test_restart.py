"""PostgreSQL restarted (crash-stopped) while a worker plans: the planning is done once, by
a worker that reconnects by itself. A private cluster of the test's own is stopped and
started, never the shared server."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from carshare import create_app, migrate
from carshare.db import make_engine
from carshare.jobs import tasks as jobs_
from carshare.models import utcnow
from carshare.services.demo import seed_demo
from carshare.timeutil import TOKYO, local_today
from tests.reliability.private_pg import available, private_cluster
from tests.tasks.workers import ALL_DAY, jobs, query, wait_for, workers

pytestmark = pytest.mark.skipif(not available(), reason="needs /usr/lib/postgresql/15/bin "
                                "and runuser to start a private PostgreSQL cluster")


def test_a_database_restart_mid_planning_plans_once(tmp_path: Path) -> None:
    tomorrow = (local_today(TOKYO) + timedelta(days=1)).isoformat()
    with private_cluster() as pg:
        migrate.upgrade(pg.url)
        engine = make_engine(pg.url)
        with Session(engine) as session:
            seed_demo(session, utcnow(), TOKYO)
        engine.dispose()
        app = create_app("testing", DATABASE_URL=pg.url, TASK_QUEUE="procrastinate",
                         NOTIFY_HOURS=ALL_DAY)
        jobs_.plan_tomorrow(app)
        app.extensions["carshare.engine"].dispose()
        with workers(pg.url, tmp_path, 1, CARSHARE_PLAN_TIME_LIMIT_SECONDS="6") as [worker]:
            wait_for("the worker planning", lambda: [j for j in jobs(pg.url) if j[2] == "doing"],
                     worker.log)
            pg.stop("immediate")  # like a crash, in the middle of the solver's time
            pg.start()
            wait_for("the planning done after the restart",
                     lambda: _quiet(lambda: not jobs(pg.url) and query(
                         pg.url, "SELECT key FROM task_mark")), worker.log)
            assert worker.proc.poll() is None, worker.log()
        plans = query(pg.url, "SELECT version FROM plan WHERE service_date = :day",
                      day=tomorrow)
        twice = query(pg.url, "SELECT idempotency_key FROM notification "
                              "GROUP BY idempotency_key HAVING count(*) > 1")
    assert len(plans) == 1 and twice == []


def _quiet(check):  # type: ignore[no-untyped-def]
    """The check, or nothing while the database is still starting."""
    try:
        return check()
    except Exception:  # noqa: BLE001
        return None
