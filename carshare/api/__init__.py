"""The JSON API under ``/api/v1``: the console's use cases for other systems.

Thin views again: each parses its input with a pydantic model (through SpecTree, which also
writes the OpenAPI description), calls one service and answers with a pydantic model.
"""

from __future__ import annotations

from flask import Blueprint, Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from carshare.api import errors
from carshare.api.auth import check_token
from carshare.api.problems import ApiProblem, FieldError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
ID = "int(min=1, max=2147483647)"  # a path id: a 32-bit row id, else 404 before any query
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _guard() -> None:
    """Authenticate, then make sure a body, if any, is a JSON object."""
    check_token()
    if request.method not in BODY_METHODS or not request.get_data(cache=True):
        return
    if request.mimetype != "application/json":
        raise ApiProblem(415, "unsupported_media_type",
                         _("Send the body as JSON (Content-Type: application/json)."))
    try:
        body = request.get_json()
    except BadRequest:
        raise ApiProblem(400, "malformed_json", _("The body is not valid JSON.")) from None
    if not isinstance(body, dict):
        message = _("Send a JSON object.")
        raise ApiProblem(422, "validation", message,
                         [FieldError(field="", code="model_type", message=message)])


def _register_views() -> None:
    from carshare.api import (  # noqa: F401
        docs,
        offers,
        places,
        plans,
        reports,
        residents,
        rides,
        trips,
    )


bp.before_request(_guard)
errors.register(bp)
_register_views()


def init_app(app: Flask) -> None:
    """Mount the API and its token command; the API answers to tokens, not to the CSRF cookie."""
    from carshare.api.cli import api_token_cli
    from carshare.api.tokens_page import pages
    from carshare.extensions import csrf

    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.register_blueprint(pages)
    app.cli.add_command(api_token_cli)

