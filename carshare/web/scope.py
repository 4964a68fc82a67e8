"""What the signed-in staff member may open: their town's records, in their town's time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort, current_app
from flask_login import current_user

from carshare.db import get_session
from carshare.models import RideRequest


def town_tz() -> ZoneInfo:
    """Return the town's time zone."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def own_request(request_id: int) -> RideRequest:
    """Return a ride request of the staff member's town, or answer 404."""
    request = get_session().get(RideRequest, request_id)
    if request is None or request.town_id != current_user.town_id:
        abort(404)
    return request
