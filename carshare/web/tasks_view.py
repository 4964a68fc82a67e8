"""The administrator's view of the task queue: this town's tasks queued, running and failed."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from flask_babel import format_timedelta
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from carshare.models import StaffRole, utcnow
from carshare.tasks import get_queue
from carshare.tasks.port import FAILED, QUEUED, RUNNING, TaskRow
from carshare.tasks.status import overview

bp = Blueprint("tasks_view", __name__, url_prefix="/settings")

TASK_LABELS = {
    "plan_town_day": _l("Plan the day"),
    "replan_run": _l("Re-plan on request"),
    "send_town_messages": _l("Send messages"),
    "retention": _l("Retention (all towns)"),
    "document_alerts": _l("Document alerts (all towns)"),
}
STATUS_LABELS = {QUEUED: _l("Waiting"), RUNNING: _l("Running"), FAILED: _l("Failed")}
MODE_LABELS = {
    "procrastinate": _l("Tasks run on worker processes (PostgreSQL)."),
    "in-process": _l("Tasks run inside the app process (no worker needed)."),
    "inline": _l("Tasks run at once, when they are asked for."),
}


@bp.get("/tasks")
@login_required
def tasks():  # type: ignore[no-untyped-def]
    """List this town's tasks with their age (administrators)."""
    if current_user.role is not StaffRole.ADMIN:
        abort(403)
    seen = overview(get_queue(current_app._get_current_object()), current_user.town_id)
    now = utcnow()
    return render_template("settings/tasks.html", seen=seen, rows=[
        (row, TASK_LABELS.get(row.task, row.task), STATUS_LABELS[row.status],
         _age(row, now)) for row in seen.rows],
        status_labels=STATUS_LABELS, mode=MODE_LABELS.get(seen.mode, seen.mode))


def _age(row: TaskRow, now) -> str:  # type: ignore[no-untyped-def]
    return format_timedelta(now - row.since, granularity="second", threshold=1.0)
