"""Staff pages: what was (or, on the console channel, would have been) sent, and the call list."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from carshare.db import get_session
from carshare.notifications.settings import NotifySettings
from carshare.services.notify_log import recent_messages
from carshare.services.outbox import call_list

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    """List recent messages with their text, and the staff call list."""
    session = get_session()
    settings = NotifySettings.from_config(current_app.config)
    return render_template("notifications/index.html",
                           messages=recent_messages(session, current_user.town_id, settings),
                           calls=call_list(session, current_user.town_id),
                           channel=current_app.config["NOTIFY_CHANNEL"])
