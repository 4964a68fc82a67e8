"""The staff dashboard: today's and tomorrow's routes, requests and offers."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from carshare.db import get_session
from carshare.models import RequestStatus
from carshare.services.dashboard import day_overview
from carshare.services.planning import plan_day
from carshare.timeutil import local_today

bp = Blueprint("dashboard", __name__)
REPLAN_SECONDS = 5.0


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


@bp.get("/")
def root():  # type: ignore[no-untyped-def]
    """Send visitors to the dashboard (which asks them to sign in first)."""
    return redirect(url_for("dashboard.index"))


def _context(first: date) -> dict:
    session, tz = get_session(), _tz()
    days = [day_overview(session, current_user.town_id, first + timedelta(days=n), tz)
            for n in (0, 1)]
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
    """Re-plan a day now, keeping every promise, and say what changed."""
    day = _day_arg(request.form.get("day"))
    result = plan_day(get_session(), current_user.town_id, day, _tz(),
                      time_limit_s=REPLAN_SECONDS)
    flash(_("Re-planned %(day)s: %(served)d rides planned, %(waiting)d waiting, "
            "%(changed)d riders affected.", day=day.isoformat(), served=result.served,
            waiting=len(result.unserved), changed=len(result.changes)))
    return redirect(url_for("dashboard.index", day=local_today(_tz()).isoformat()))


def _day_arg(raw: str | None) -> date:
    if not raw:
        return local_today(_tz())
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400)
