"""Build an APScheduler scheduler from the job registry, and run exactly one of it."""

from __future__ import annotations

import logging
import signal
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from carshare.db import get_engine
from carshare.jobs.lock import SchedulerLock
from carshare.jobs.registry import JOBS, JobSpec
from carshare.jobs.tasks import STOP

log = logging.getLogger("carshare.jobs")

#: How often the jobs process checks that it still holds the scheduler lock (seconds).
LOCK_CHECK_SECONDS = 15.0


def build_scheduler(app: Flask, blocking: bool = False, jobs: tuple[JobSpec, ...] = JOBS
                    ) -> BaseScheduler:
    """Return a scheduler (not started) with every job of the registry added once."""
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(timezone=app.config["TIMEZONE"],
                    job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
    for spec in jobs:
        scheduler.add_job(spec.func, spec.trigger, id=spec.id, name=spec.description,
                          args=[app], replace_existing=True, **spec.resolve(app.config))
    return scheduler


def start_in_process(app: Flask) -> BaseScheduler | None:
    """Start the scheduler in the background of this process if no other one runs
    (``make run``); return it, or ``None`` when another process holds the lock."""
    with app.app_context():
        lock = SchedulerLock(get_engine())
    if not lock.acquire():
        log.warning("another scheduler is running; this process runs none")
        return None
    scheduler = build_scheduler(app)
    scheduler.start()
    return scheduler


def run_forever(app: Flask, stop: threading.Event | None = None,
                check_every: float = LOCK_CHECK_SECONDS) -> None:
    """Run the scheduler until SIGTERM/SIGINT (or ``stop``); finish the running jobs' current
    message, then return.

    :raise RuntimeError: when another scheduler already runs on this database.
    """
    with app.app_context():
        lock = SchedulerLock(get_engine())
    if not lock.acquire():
        raise RuntimeError("another scheduler is already running on this database")
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    scheduler = build_scheduler(app)
    STOP.clear()
    scheduler.start()
    try:
        while not stop.wait(check_every):
            if not lock.keep():
                log.error("the scheduler lock was lost to another process; stopping")
                break
    finally:
        STOP.set()
        scheduler.shutdown(wait=True)
        lock.release()
