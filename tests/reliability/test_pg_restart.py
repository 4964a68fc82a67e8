"""PostgreSQL restarted (crash-stopped) during bookings: staff see a clear 503 meanwhile, the
workers reconnect by themselves, and every confirmed ride is still there, once."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.deploy.race import Desk, log_tail, read_back, seed_crowd
from tests.deploy.servers import UNAVAILABLE, gunicorn, outcome, texts
from tests.reliability.private_pg import available, private_cluster

pytestmark = pytest.mark.skipif(not available(), reason="needs /usr/lib/postgresql/15/bin "
                                "and runuser to start a private PostgreSQL cluster")

def test_bookings_survive_a_database_restart(tmp_path: Path) -> None:
    with private_cluster() as pg:
        crowd = seed_crowd(pg.url, riders=12, seats=8, staff=1)
        log = tmp_path / "gunicorn.log"
        with gunicorn(pg.url, log, workers=2) as base:
            desk = Desk(base, crowd)
            before = [outcome(desk.confirm(r), r) for r in crowd.request_ids[:3]]
            assert before == ["confirmed"] * 3, log_tail(log)

            pg.stop("immediate")  # like a crash: no checkpoint, recovery from the WAL
            down = desk.confirm(crowd.request_ids[3])
            assert down.status_code == 503 and down.headers["Retry-After"] == "30"
            assert any(t in down.text for t in texts(UNAVAILABLE)), down.text[:500]
            assert requests.get(f"{base}/readyz", timeout=30).status_code == 503

            pg.start()
            after = [desk.confirm_until_answered(r) for r in crowd.request_ids[3:]]
            assert requests.get(f"{base}/readyz", timeout=30).status_code == 200
    # (the private cluster is gone; read back before it stops: see below)
    assert [o for o, _ in after] == ["confirmed"] * 5 + ["full"] * 4, (after, log_tail(log))


def test_nothing_confirmed_is_lost_across_the_restart(tmp_path: Path) -> None:
    with private_cluster() as pg:
        crowd = seed_crowd(pg.url, riders=6, seats=8, staff=1)
        log = tmp_path / "gunicorn.log"
        with gunicorn(pg.url, log, workers=2) as base:
            desk = Desk(base, crowd)
            first = [outcome(desk.confirm(r), r) for r in crowd.request_ids[:4]]
            pg.stop("immediate")
            pg.start()
            rest = [desk.confirm_until_answered(r)[0] for r in crowd.request_ids[4:]]
        stored = read_back(pg.url, crowd)
    assert first + rest == ["confirmed"] * 6, log_tail(log)
    assert (stored.confirmed, stored.riders_in_plan, stored.active_plans) == (6, 6, 1)


def test_the_scheduler_keeps_sending_through_a_restart(tmp_path: Path) -> None:
    """`flask jobs run` (the real runner, console channel) while PostgreSQL crash-restarts:
    it carries on by itself; no message is sent twice; one cut off mid-send goes to staff."""
    import signal
    import time
    from datetime import timedelta

    from sqlmodel import Session

    from carshare import create_app, migrate
    from carshare.db import get_engine
    from carshare.models import utcnow
    from carshare.services.notify_dispatch import recover_stale
    from tests.notifications.test_processes import due_codes, logged, run_until, states, worker

    total = 300
    with private_cluster() as pg:
        migrate.upgrade(pg.url)
        app = create_app("testing", DATABASE_URL=pg.url)
        due_codes(app, total)
        log = tmp_path / "sent.log"
        scheduler = worker("scheduler", pg.url, str(log))
        try:
            run_until(log, 40, scheduler)
            pg.stop("immediate")
            time.sleep(3)
            pg.start()
            deadline = time.monotonic() + 180
            while states(app).get("pending", 0) and time.monotonic() < deadline:
                assert scheduler.poll() is None, "the scheduler died with the database"
                time.sleep(0.2)
        finally:
            scheduler.send_signal(signal.SIGTERM)
            scheduler.communicate(timeout=60)
        with app.app_context(), Session(get_engine()) as session:
            recover_stale(session, utcnow() + timedelta(minutes=10))
        final, keys = states(app), logged(log)
        app.extensions["carshare.engine"].dispose()
    print(f"scheduler through a restart: {final}, {len(keys)} sent lines")  # figures (-s)
    assert len(keys) == len(set(keys)), "a message was sent twice"
    assert final.get("sent", 0) + final.get("needs_attention", 0) == total, final
    assert final.get("needs_attention", 0) <= 2, final  # at most the ones in flight
