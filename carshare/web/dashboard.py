"""The staff dashboard: today's and tomorrow's routes, requests and offers."""

from __future__ import annotations

from datetime import date, timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from carshare.db import get_session
from carshare.models import PlanningRun, RequestStatus, Resident, RideRequest
from carshare.presenters.town import town_tz
from carshare.services import audit, replan_runs
from carshare.services.dashboard import day_overview
from carshare.timeutil import local_today
from carshare.web.validators import day_arg

bp = Blueprint("dashboard", __name__)
REPLAN_SECONDS = 10



@bp.get("/")
def root():  # type: ignore[no-untyped-def]
    """Send visitors to the dashboard (which asks them to sign in first)."""
    return redirect(url_for("dashboard.index"))


def _context(first: date) -> dict:
    session, tz = get_session(), town_tz()
    days = [day_overview(session, current_user.town_id, first + timedelta(days=n), tz)
            for n in (0, 1)]
    audit.viewed(session, current_user, _people_shown(days), "dashboard", "list")
    return {"days": days, "first": first, "Status": RequestStatus, "today": local_today(tz),
            "timedelta": timedelta}


@bp.get("/dashboard")
@login_required
def index():  # type: ignore[no-untyped-def]
    """Show a day and the next one (default today and tomorrow, in the town's time zone)."""
    return render_template("dashboard.html", **_context(_day_arg(request.args.get("day"))))


@bp.get("/dashboard/days")
@login_required
def days():  # type: ignore[no-untyped-def]
    """The day sections alone, for the periodic refresh (forms on the page are untouched)."""
    return render_template("_days.html", **_context(_day_arg(request.args.get("day"))))


@bp.post("/dashboard/replan")
@login_required
def replan():  # type: ignore[no-untyped-def]
    """Start re-planning a day in the background (keeping every promise); show its progress."""
    run, created = replan_runs.start(get_session(), current_user,
                                     _day_arg(request.form.get("day")), REPLAN_SECONDS)
    if created:
        replan_runs.launch(current_app._get_current_object(), run.id)
    return redirect(url_for("dashboard.replan_progress", run_id=run.id))


def _own_run(run_id: int) -> PlanningRun:
    run = get_session().get(PlanningRun, run_id)
    if run is None or run.town_id != current_user.town_id:
        abort(404)
    return run


@bp.get("/dashboard/replan/<int:run_id>")
@login_required
def replan_progress(run_id: int):  # type: ignore[no-untyped-def]
    """The run's progress; the status part refreshes itself until the run ends."""
    return render_template("replan.html", run=_own_run(run_id), **_run_view(run_id))


@bp.get("/dashboard/replan/<int:run_id>/status")
@login_required
def replan_status(run_id: int):  # type: ignore[no-untyped-def]
    """The status fragment polled by the progress page."""
    return render_template("_replan_status.html", run=_own_run(run_id), **_run_view(run_id))


def _run_view(run_id: int) -> dict:
    session, run = get_session(), _own_run(run_id)
    names, rides, shown = {}, {}, []
    for change in run.changes:
        request = session.get(RideRequest, change["request_id"])
        rider = session.get(Resident, request.rider_id) if request else None
        names[change["request_id"]] = f"{rider.family_name} {rider.given_name}" if rider else ""
        if request is not None:
            rides[request.id] = request  # the time asked for tells a rider's two rides apart
        shown.append(rider.id if rider else None)
    audit.viewed(session, current_user, shown, "re-planning result", "list")
    return {"share": replan_runs.elapsed_share(run), "stale": replan_runs.is_stale(run),
            "names": names, "rides": rides}


def _people_shown(days: list) -> list[int]:
    """Riders and drivers whose names the day sections show."""
    ids = []
    for day in days:
        ids += [row.rider.id for row in day.requests] + [row.driver.id for row in day.offers]
        ids += [s.rider.id for r in day.routes for s in r.stops if s.rider]
        ids += [r.driver.id for r in day.routes]
    return ids


def _day_arg(raw: str | None) -> date:
    """The day asked for (today by default), within the service horizon, else 400."""
    return day_arg(raw)
