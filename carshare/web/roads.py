"""The road data page: which road graph is in use and which places staff should fix (issue 20)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from carshare.db import get_session
from carshare.services.road_snapping import NEAR_M, report_for_staff
from carshare.services.travel import road_graph

bp = Blueprint("roads", __name__, url_prefix="/settings")


@bp.get("/roads")
@login_required
def index():  # type: ignore[no-untyped-def]
    """Show the road data in use and the places far from any road (staff and admins)."""
    report = report_for_staff(get_session(), current_user)
    return render_template("settings/roads.html", graph=road_graph(), report=report,
                           near_m=NEAR_M)
