"""Many towns planned by worker processes: wall time with 1, 2, 4 workers (issue 21).

    .venv/bin/python bench/towns.py [--towns 200] [--workers 1 2 4] [--limit 10] [--kill]

Generates a prefecture of ``--towns`` copies of the demo town (each its own slug, residents,
drivers and tomorrow's requests) in a PostgreSQL database made from ``CARSHARE_TEST_DATABASE_URL``
(127.0.0.1 only), then, for each worker count, on a fresh copy of it: starts that many
``flask --app app worker`` processes, lets them compile the planning kernel (``--warm`` s),
enqueues every town's planning for tomorrow at once (what the scheduler does at 17:00) and
waits until every town is planned. Prints the wall time to plan all, the time from the
enqueueing until each town's riders' confirmations are written (p50/p95: they are sent at the
dispatcher's next round), the per-task cost (worker-seconds per town) and the load average.
With ``--kill``, one worker is killed with SIGKILL when a third of the towns are planned and
a new one started; every town must still have exactly one plan and no message written twice.
The databases are dropped at the end.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ALL_DAY = "00:00-23:59:59"


def admin_engine(base: str) -> sa.Engine:
    """An AUTOCOMMIT engine on the base database (to create and drop databases)."""
    return sa.create_engine(base, isolation_level="AUTOCOMMIT")


def url_of(base: str, name: str) -> str:
    """The URL of database ``name`` on the base URL's server."""
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def build_template(base: str, towns: int) -> str:
    """Create and fill the prefecture's template database; return its name."""
    from carshare import migrate
    from carshare.db import make_engine
    from carshare.models import utcnow
    from carshare.services import demo_data
    from carshare.services.demo import seed_demo
    from carshare.timeutil import TOKYO

    name = f"carshare_towns_{uuid.uuid4().hex[:8]}"
    with admin_engine(base).connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = url_of(base, name)
    migrate.upgrade(url)
    engine = make_engine(url)
    town, logins = dict(demo_data.TOWN), list(demo_data.DEMO_LOGINS)
    try:
        for k in range(towns):
            demo_data.TOWN.update(slug=f"town{k:03d}", name=f"{town['name']}{k:03d}")
            demo_data.DEMO_LOGINS[:] = [(f"{u}{k:03d}", n, r, p) for u, n, r, p in logins]
            with Session(engine) as session:
                seed_demo(session, utcnow(), TOKYO)
                # number plates are unique in the installation: the next copy's are free
                session.execute(sa.text("UPDATE vehicle SET plate = plate || ' ' || id"))
                session.commit()
    finally:
        demo_data.TOWN.clear()
        demo_data.TOWN.update(town)
        demo_data.DEMO_LOGINS[:] = logins
        engine.dispose()
    return name


def copy_database(base: str, template: str) -> str:
    """A fresh copy of the template (``CREATE DATABASE ... TEMPLATE``); return its name."""
    name = f"{template}_{uuid.uuid4().hex[:4]}"
    with admin_engine(base).connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    return name


def drop(base: str, name: str) -> None:
    """Drop database ``name`` (its connections too)."""
    with admin_engine(base).connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def start_worker(url: str, log: Path, limit: int) -> subprocess.Popen[bytes]:
    """One ``flask --app app worker`` process on ``url``."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith("CARSHARE_")}
    env = {**keep, "CARSHARE_ENV": "production",
           "CARSHARE_SECRET_KEY": "bench-towns-secret-0123456789abcdef",
           "CARSHARE_DATABASE_URL": url, "CARSHARE_SESSION_COOKIE_SECURE": "false",
           "CARSHARE_UNSAFE_ALLOWED": "SESSION_COOKIE_SECURE,RATELIMIT_STORAGE_URI",
           "CARSHARE_TASK_QUEUE": "procrastinate", "CARSHARE_NOTIFY_HOURS": ALL_DAY,
           "CARSHARE_PLAN_TIME_LIMIT_SECONDS": str(limit), "CARSHARE_TASK_HEARTBEAT_SECONDS": "2",
           "CARSHARE_TASK_STALLED_SECONDS": "8", "CARSHARE_LOG_LEVEL": "WARNING",
           "PYTHONPATH": str(ROOT)}
    with open(log, "w") as out:
        return subprocess.Popen([str(BIN / "flask"), "--app", "app", "worker",
                                 "--poll-seconds", "1"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def scalar(engine: sa.Engine, sql: str, **params: object) -> object:
    """One value of one query."""
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar()


def run(base: str, template: str, towns: int, workers: int, limit: int, warm: float,
        kill: bool, logs: Path) -> dict[str, float]:
    """Plan every town with ``workers`` workers on a fresh copy; return the figures."""
    from carshare import create_app
    from carshare.jobs import tasks as jobs

    name = copy_database(base, template)
    url = url_of(base, name)
    engine = sa.create_engine(url)
    procs = [start_worker(url, logs / f"w{workers}-{i}.log", limit) for i in range(workers)]
    try:
        time.sleep(warm)  # workers running before 17:00, their kernel compiled
        app = create_app("testing", DATABASE_URL=url, TASK_QUEUE="procrastinate",
                         NOTIFY_HOURS=ALL_DAY)
        started_at = scalar(engine, "SELECT now()")
        started = time.monotonic()
        jobs.plan_tomorrow(app)
        killed = not kill
        while scalar(engine, "SELECT count(*) FROM procrastinate_jobs") or scalar(
                engine, "SELECT count(*) FROM task_mark") < towns:
            if not killed and scalar(engine, "SELECT count(*) FROM task_mark") >= towns / 3:
                os.killpg(procs[0].pid, signal.SIGKILL)
                procs[0].wait(30)
                procs[0] = start_worker(url, logs / f"w{workers}-replacement.log", limit)
                killed = True
            dead = [p for p in procs if p.poll() is not None]
            if dead:
                raise SystemExit(f"a worker stopped: see the logs in {logs}")
            time.sleep(0.2)
        wall = time.monotonic() - started
        with engine.connect() as conn:
            told = [float(row[0]) for row in conn.execute(sa.text(
                "SELECT extract(epoch FROM min(created_at) - :t0) FROM notification "
                "WHERE template = 'confirmation' AND created_at >= :t0 GROUP BY town_id"),
                {"t0": started_at}).all()]
        plans = scalar(engine, "SELECT max(n) FROM (SELECT count(*) AS n FROM plan "
                               "WHERE created_at >= :t0 GROUP BY town_id, service_date) p",
                       t0=started_at) or 0
        twice = scalar(engine, "SELECT count(*) FROM (SELECT idempotency_key FROM notification "
                               "GROUP BY idempotency_key HAVING count(*) > 1) d")
        app.extensions["carshare.engine"].dispose()
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(120)
        engine.dispose()
        drop(base, name)
    told.sort()
    return {"workers": workers, "wall": wall, "per_town": wall * workers / towns,
            "told_p50": statistics.median(told) if told else float("nan"),
            "told_p95": told[math.ceil(len(told) * 0.95) - 1] if told else float("nan"),
            "towns_told": len(told), "most_plans": int(plans), "twice": int(twice)}


def main() -> None:
    """Build the prefecture once, plan it with each worker count, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--towns", type=int, default=200)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--limit", type=int, default=10, help="planning seconds per town")
    ap.add_argument("--warm", type=float, default=20.0, help="seconds for workers to start")
    ap.add_argument("--kill", action="store_true", help="SIGKILL a worker a third of the way")
    args = ap.parse_args()
    base = os.environ.get("CARSHARE_TEST_DATABASE_URL", "")
    if not base or make_url(base).host not in ("127.0.0.1", "localhost"):
        sys.exit("set CARSHARE_TEST_DATABASE_URL to a PostgreSQL on 127.0.0.1")
    built = time.monotonic()
    template = build_template(base, args.towns)
    print(f"{args.towns} towns generated in {time.monotonic() - built:.0f} s; "
          f"tomorrow's planning, {args.limit} s per town"
          f"{', one worker killed a third of the way' if args.kill else ''}")
    logs = Path(tempfile.mkdtemp(prefix="carshare-towns-"))
    try:
        print("workers  wall s  worker-s/town  told p50 s  told p95 s  towns told  "
              "plans/town  written twice  load avg")
        for count in args.workers:
            r = run(base, template, args.towns, count, args.limit, args.warm, args.kill, logs)
            load = " ".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"{r['workers']:>7}  {r['wall']:>6.1f}  {r['per_town']:>13.2f}  "
                  f"{r['told_p50']:>10.1f}  {r['told_p95']:>10.1f}  {r['towns_told']:>10}  "
                  f"{r['most_plans']:>10}  {r['twice']:>13}  {load}")
    finally:
        drop(base, template)
    print(f"worker logs: {logs}")


if __name__ == "__main__":
    main()
