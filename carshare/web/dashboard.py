"""The staff dashboard: today's and tomorrow's requests and offers."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from carshare.db import get_session
from carshare.models import RequestStatus
from carshare.services.dashboard import day_overview
from carshare.timeutil import local_today

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def root():  # type: ignore[no-untyped-def]
    """Send visitors to the dashboard (which asks them to sign in first)."""
    return redirect(url_for("dashboard.index"))


@bp.get("/dashboard")
@login_required
def index():  # type: ignore[no-untyped-def]
    """Show a day and the next one (default today and tomorrow, in the town's time zone)."""
    tz = ZoneInfo(current_app.config["TIMEZONE"])
    first = _day_arg(request.args.get("day"), tz)
    session = get_session()
    days = [day_overview(session, current_user.town_id, first + timedelta(days=n), tz)
            for n in (0, 1)]
    return render_template("dashboard.html", days=days, first=first, Status=RequestStatus,
                           today=local_today(tz), timedelta=timedelta)


def _day_arg(raw: str | None, tz: ZoneInfo) -> date:
    if not raw:
        return local_today(tz)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400)
