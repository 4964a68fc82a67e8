"""Real worker processes (``flask --app app worker``) on a PostgreSQL database made for one
test, and ways to watch the queue from the test."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from carshare import migrate
from tests.deploy.servers import BIN, ROOT, app_env

#: Messages may go at any hour (the tests run at any time of day).
ALL_DAY = "00:00-23:59:59"
#: What a worker of these tests is told: beat every second, silent for 4 s = stalled.
WORKER_ENV = {"CARSHARE_TASK_QUEUE": "procrastinate", "CARSHARE_TASK_HEARTBEAT_SECONDS": "1",
              "CARSHARE_TASK_STALLED_SECONDS": "4", "CARSHARE_LOG_LEVEL": "INFO",
              "CARSHARE_NOTIFY_HOURS": ALL_DAY}
#: The longest any wait of these tests may take before it fails (not a timing assertion).
PATIENCE = 240.0


@contextmanager
def fresh_database(base_url: str) -> Iterator[str]:
    """Create a database of its own for one test, migrated to head; drop it afterwards."""
    name = f"carshare_tasks_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Worker:
    """One ``flask --app app worker`` process, its log in a file."""

    def __init__(self, url: str, log: Path, name: str, *args: str, **env: str) -> None:
        self.log_path = log
        command = [str(BIN / "flask"), "--app", "app", "worker", "--name", name,
                   "--poll-seconds", "0.5", *args]
        with open(log, "w") as out:
            self.proc = subprocess.Popen(
                command, cwd=ROOT, env=app_env(url, **{**WORKER_ENV, **env}), stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True)

    def log(self) -> str:
        """What the worker wrote so far."""
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no cleanup, no goodbye to the database."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> int:
        """SIGTERM, as systemd stops it; return the exit code."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                return self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                return self.proc.wait(30)
        return self.proc.returncode


@contextmanager
def workers(url: str, tmp: Path, count: int, first: tuple[str, ...] = (), **env: str
            ) -> Iterator[list[Worker]]:
    """Start ``count`` workers (the first one with the options ``first``); stop them
    (SIGTERM) at the end."""
    started = [Worker(url, tmp / f"worker-{i}.log", f"w{i}", *(first if i == 0 else ()),
                      **env) for i in range(count)]
    try:
        yield started
    finally:
        for worker in started:
            worker.stop()


def wait_for(what: str, check: Callable[[], Any], logs: Callable[[], str] = str) -> Any:
    """Poll ``check`` until it returns something true; fail after :data:`PATIENCE`."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"never happened: {what}\n{logs()[-4000:]}")


def query(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run one query on the test's database and return its rows."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql), params).all()]
    finally:
        engine.dispose()


def jobs(url: str) -> list[tuple[int, str, str, int]]:
    """The jobs in the queue: id, task, status, attempts."""
    return query(url, "SELECT id, task_name, status::text, attempts FROM procrastinate_jobs "
                      "ORDER BY id")

