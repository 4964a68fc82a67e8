"""What the signed-in staff member may open: their own town's records."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from carshare.db import get_session
from carshare.models import RideRequest


def own_request(request_id: int) -> RideRequest:
    """Return a ride request of the staff member's town, or answer 404."""
    request = get_session().get(RideRequest, request_id)
    if request is None or request.town_id != current_user.town_id:
        abort(404)
    return request
