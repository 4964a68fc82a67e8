"""Re-planning a day in the background, with its progress kept in the database.

The re-planning is a task (:mod:`carshare.tasks`): a worker runs it, or a thread of the app
process on SQLite. Any web worker can show a run's progress, because nothing lives only in
the process that started it; a run left ``running`` by a process that died is shown as
failed once its time limit has long passed (a worker's task is retried by another worker).
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from sqlmodel import Session, select

from carshare.models import (
    PlanningRun,
    RequestStatus,
    RideRequest,
    RunStatus,
    StaffUser,
    TaskMark,
    utcnow,
)
from carshare.tasks.port import Enqueued
from carshare.timeutil import day_bounds

GRACE = timedelta(seconds=60)


def start(session: Session, staff: StaffUser, day: date, time_limit_s: int
          ) -> tuple[PlanningRun, bool]:
    """Return (the day's running re-planning, False), or (a new recorded run, True); commit."""
    running = session.exec(select(PlanningRun).where(
        PlanningRun.town_id == staff.town_id, PlanningRun.service_date == day,
        PlanningRun.status == RunStatus.RUNNING)).first()
    if running is not None and not is_stale(running):
        return running, False
    run = PlanningRun(town_id=staff.town_id, service_date=day, requested_by_id=staff.id,
                      time_limit_s=time_limit_s)
    session.add(run)
    session.commit()
    return run, True


def is_stale(run: PlanningRun) -> bool:
    """Tell whether a run still marked running has outlived its limit (its process died)."""
    return (run.status == RunStatus.RUNNING
            and utcnow() > run.started_at + timedelta(seconds=run.time_limit_s) + GRACE)


def launch(app: Flask, run_id: int) -> Enqueued:
    """Enqueue the re-planning as a task (a worker, or a thread of this process on SQLite);
    the database records the outcome. Waits behind a planning of the same town's day."""
    from carshare.db import get_engine
    from carshare.tasks import get_queue

    with app.app_context(), Session(get_engine()) as session:
        run = session.get(PlanningRun, run_id)
        town_id, day = run.town_id, run.service_date.isoformat()
    return get_queue(app).enqueue("replan_run", run_id=run_id, town_id=town_id, day=day)


def execute(app: Flask, run_id: int) -> None:
    """Re-plan the run's day and store what changed for whom (or the error).

    Idempotent: a run already finished is left alone; a run whose plan was stored by an
    attempt that died before recording it (its mark was committed with the plan) is
    recorded from the stored plan instead of being planned twice.
    """
    from carshare.db import get_engine
    from carshare.services.planning import plan_day

    key = f"replan:{run_id}"
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        run = session.get(PlanningRun, run_id)
        if run is None or run.status != RunStatus.RUNNING:
            return
        if session.get(TaskMark, key) is not None:
            _record_stored(session, run, ZoneInfo(app.config["TIMEZONE"]))
            return
        run.started_at = utcnow()  # it may have waited in the queue
        session.add(run)
        session.commit()
        try:
            session.add(TaskMark(key=key))  # committed with the plan, or not at all
            result = plan_day(session, run.town_id, run.service_date,
                              ZoneInfo(app.config["TIMEZONE"]), time_limit_s=run.time_limit_s,
                              now=utcnow())
        except Exception as error:  # recorded for staff; the plan in force is unchanged
            session.rollback()
            run = session.get(PlanningRun, run_id)
            run.status, run.error = RunStatus.FAILED, str(error)[:300]
        else:
            session.commit()  # the mark, when the day had nothing to plan
            run = session.get(PlanningRun, run_id)
            run.status, run.served, run.waiting = RunStatus.DONE, result.served, len(
                result.unserved)
            run.changes = [{"request_id": c.request_id, "kind": c.kind} for c in result.changes]
        run.finished_at = utcnow()
        session.add(run)
        session.commit()


def _record_stored(session: Session, run: PlanningRun, tz: ZoneInfo) -> None:
    """Finish a run whose plan is stored: served and waiting as they stand now (which rides
    changed is not known any more)."""
    start, end = day_bounds(run.service_date, tz)
    statuses = list(session.exec(select(RideRequest.status).where(
        RideRequest.town_id == run.town_id, RideRequest.window_start >= start,
        RideRequest.window_start < end)))
    run.status, run.finished_at = RunStatus.DONE, utcnow()
    run.served = sum(1 for s in statuses if s == RequestStatus.PLANNED)
    run.waiting = sum(1 for s in statuses if s == RequestStatus.WAITING)
    session.add(run)
    session.commit()


def elapsed_share(run: PlanningRun) -> float:
    """Return how much of the time limit has passed (0 to 1)."""
    end = run.finished_at or utcnow()
    return min(1.0, (end - run.started_at).total_seconds() / run.time_limit_s)
