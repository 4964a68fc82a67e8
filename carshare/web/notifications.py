"""Staff pages: what was (or, on the console channel, would have been) sent, and the call list."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from carshare.db import get_session
from carshare.notifications.settings import NotifySettings
from carshare.services import audit
from carshare.services.notify_log import recent_messages
from carshare.services.outbox import call_list

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    """List recent messages with their text, and the staff call list."""
    session = get_session()
    settings = NotifySettings.from_config(current_app.config)
    messages = recent_messages(session, current_user.town_id, settings)
    calls = call_list(session, current_user.town_id)
    audit.viewed(session, current_user, [m.row.resident_id for m in messages]
                 + [c.resident_id for c in calls], "messages page", "list")
    return render_template("notifications/index.html", messages=messages, calls=calls,
                           channel=current_app.config["NOTIFY_CHANNEL"])

