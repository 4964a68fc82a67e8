"""Re-planning a day in the background, with its progress kept in the database.

Any web worker can show a run's progress, because nothing lives only in the process that
started it; a run left ``running`` by a process that died is shown as failed once its time
limit has long passed.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from sqlmodel import Session, select

from carshare.models import PlanningRun, RunStatus, StaffUser, utcnow

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


def launch(app: Flask, run_id: int) -> threading.Thread:
    """Run the re-planning in a thread of this process; the database records the outcome."""
    thread = threading.Thread(target=execute, args=(app, run_id), daemon=True)
    thread.start()
    return thread


def execute(app: Flask, run_id: int) -> None:
    """Re-plan the run's day and store what changed for whom (or the error)."""
    from carshare.db import get_engine
    from carshare.services.planning import plan_day

    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        run = session.get(PlanningRun, run_id)
        try:
            result = plan_day(session, run.town_id, run.service_date,
                              ZoneInfo(app.config["TIMEZONE"]), time_limit_s=run.time_limit_s,
                              now=utcnow())
        except Exception as error:  # recorded for staff; the plan in force is unchanged
            session.rollback()
            run = session.get(PlanningRun, run_id)
            run.status, run.error = RunStatus.FAILED, str(error)[:300]
        else:
            run = session.get(PlanningRun, run_id)
            run.status, run.served, run.waiting = RunStatus.DONE, result.served, len(
                result.unserved)
            run.changes = [{"request_id": c.request_id, "kind": c.kind} for c in result.changes]
        run.finished_at = utcnow()
        session.add(run)
        session.commit()


def elapsed_share(run: PlanningRun) -> float:
    """Return how much of the time limit has passed (0 to 1)."""
    end = run.finished_at or utcnow()
    return min(1.0, (end - run.started_at).total_seconds() / run.time_limit_s)
