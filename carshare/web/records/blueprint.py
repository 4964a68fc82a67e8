"""The records blueprint: every page needs a signed-in staff member of the town."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required
from werkzeug.exceptions import NotFound

from carshare.services.records import RecordNotFound

bp = Blueprint("records", __name__, url_prefix="/records")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Send anyone not signed in to the login page."""


@bp.errorhandler(RecordNotFound)
def _not_found(_error: RecordNotFound):  # type: ignore[no-untyped-def]
    """Another town's record is answered like a missing one."""
    from carshare.web.errors import handle_http_error

    return handle_http_error(NotFound())
