"""Staff pages: what was (or, on the console channel, would have been) sent, and the call list."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from carshare.db import get_session
from carshare.models import Notification, Resident, RideRequest
from carshare.notifications.settings import NotifySettings
from carshare.services import audit
from carshare.services.notify_log import recent_messages
from carshare.services.outbox import call_list

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    """List recent messages with their text, and the staff call list.

    A sign-in code is never shown: its row holds no code, and the page names it only.
    """
    session = get_session()
    settings = NotifySettings.from_config(current_app.config)
    messages = recent_messages(session, current_user.town_id, settings)
    calls = call_list(session, current_user.town_id)
    people = {row.id: _person(row) for row in calls}
    audit.viewed(session, current_user, [m.row.resident_id for m in messages]
                 + [p.id for p in people.values() if p], "messages page", "list")
    return render_template("notifications/index.html", messages=messages, calls=calls,
                           people=people, channel=current_app.config["NOTIFY_CHANNEL"])


def _person(row: Notification) -> Resident | None:
    """The resident a call-list row is about: its own, or the rider of its ride."""
    session = get_session()
    resident_id = row.resident_id
    if resident_id is None and row.ride_request_id is not None:
        ride = session.get(RideRequest, row.ride_request_id)
        resident_id = ride.rider_id if ride else None
    return session.get(Resident, resident_id) if resident_id else None
