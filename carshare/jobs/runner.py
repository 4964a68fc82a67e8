"""Build an APScheduler scheduler from the job registry."""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from carshare.jobs.registry import JOBS, JobSpec


def build_scheduler(app: Flask, blocking: bool = False, jobs: tuple[JobSpec, ...] = JOBS
                    ) -> BaseScheduler:
    """Return a scheduler (not started) with every job of the registry added once."""
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(timezone=app.config["TIMEZONE"],
                    job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
    for spec in jobs:
        scheduler.add_job(spec.func, spec.trigger, id=spec.id, name=spec.description,
                          args=[app], replace_existing=True, **spec.trigger_args)
    return scheduler
