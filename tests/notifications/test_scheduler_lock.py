"""The jobs process keeps its scheduler lock across a lost connection, or stops when it lost it."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from flask import Flask

from carshare.db import get_engine
from carshare.jobs import runner
from carshare.jobs.lock import SchedulerLock


def _kill_session(lock: SchedulerLock) -> None:
    """End the lock's database session from outside, as a PostgreSQL restart does."""
    assert lock._conn is not None
    pid = lock._conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()
    lock._conn.commit()
    with get_engine().connect() as other:
        assert other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()


@pytest.fixture
def pg_app(app: Flask, backend: str) -> Flask:
    if backend != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's; SQLite's file lock lives with the process")
    return app


def test_lock_is_taken_again_after_the_session_died(pg_app: Flask) -> None:
    with pg_app.app_context():
        held = SchedulerLock(get_engine())
        assert held.acquire()
        _kill_session(held)
        assert held.keep()
        other = SchedulerLock(get_engine())
        assert not other.acquire()  # taken again: still only one scheduler
        held.release()


def test_lock_lost_to_another_process_is_reported(pg_app: Flask) -> None:
    with pg_app.app_context():
        held = SchedulerLock(get_engine())
        assert held.acquire()
        _kill_session(held)
        other = SchedulerLock(get_engine())
        assert other.acquire()  # a second scheduler started in the window
        assert not held.keep()
        other.release()


def test_jobs_process_stops_when_its_lock_went_to_another(pg_app: Flask,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    locks: list[SchedulerLock] = []
    real = SchedulerLock

    def tracking(engine: sa.Engine) -> SchedulerLock:
        lock = real(engine)
        locks.append(lock)
        return lock

    monkeypatch.setattr(runner, "SchedulerLock", tracking)
    monkeypatch.setattr(runner, "build_scheduler", lambda app: _IdleScheduler())
    stop = threading.Event()
    worker = threading.Thread(target=runner.run_forever, args=(pg_app, stop, 0.05))
    worker.start()
    try:
        while not locks or locks[0]._conn is None:
            threading.Event().wait(0.01)
        with pg_app.app_context():
            _kill_session(locks[0])
            rival = real(get_engine())
            assert rival.acquire()
        worker.join(timeout=10)
        assert not worker.is_alive()
        rival.release()
    finally:
        stop.set()
        worker.join(timeout=10)


class _IdleScheduler:
    """A scheduler with no jobs (the lock is what is tested here)."""

    def start(self) -> None:
        """Nothing to start."""

    def shutdown(self, wait: bool = True) -> None:
        """Nothing to stop."""
