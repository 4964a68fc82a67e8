"""The records blueprint: every page needs a signed-in staff member of the town."""

from __future__ import annotations

import re

from flask import Blueprint, abort, request
from flask_login import login_required
from werkzeug.exceptions import NotFound

from carshare.services.records import RecordNotFound

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

bp = Blueprint("records", __name__, url_prefix="/records")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Send anyone not signed in to the login page."""


@bp.before_request
def _no_control_characters() -> None:
    """Refuse NUL and other control characters no keyboard types (PostgreSQL rejects NUL)."""
    values = [*request.args.values(), *request.form.values()]
    if any(CONTROL.search(value) for value in values):
        abort(400)


@bp.errorhandler(RecordNotFound)
def _not_found(_error: RecordNotFound):  # type: ignore[no-untyped-def]
    """Another town's record is answered like a missing one."""
    from carshare.web.errors import handle_http_error

    return handle_http_error(NotFound())
