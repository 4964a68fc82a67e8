"""The API's blueprint and its guard: every request authenticated, every body a sane JSON
object (views register on :data:`bp`)."""

from __future__ import annotations

import re

from flask import Blueprint, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from carshare.api import errors
from carshare.api.auth import check_token
from carshare.presenters.problems import ApiProblem, FieldError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
ID = "int(min=1, max=2147483647)"  # a path id: a 32-bit row id, else 404 before any query
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
MAX_BODY_BYTES = 64 * 1024  # the largest request of the API is a few hundred bytes
MAX_JSON_DEPTH = 16  # the deepest request model nests three levels
STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')  # a JSON string, escapes included
OPENING = frozenset(b"[{")


def json_depth(raw: bytes) -> int:
    """Return how deeply the arrays and objects of a JSON text nest (strings do not count;
    an unclosed bracket counts as open), without parsing it."""
    brackets = re.sub(rb"[^\[\]{}]", b"", STRINGS.sub(b"", raw))
    depth = deepest = 0
    for byte in brackets:
        depth += 1 if byte in OPENING else -1
        deepest = max(deepest, depth)
    return deepest


def _too_large() -> ApiProblem:
    return ApiProblem(413, "body_too_large", _("The body may be at most %(n)d bytes.",
                                               n=MAX_BODY_BYTES))


def _guard() -> None:
    """Authenticate, then make sure a body, if any, is a JSON object of a sane size: at most
    :data:`MAX_BODY_BYTES`, nested at most :data:`MAX_JSON_DEPTH` deep (measured before
    parsing, as the parser would run out of stack)."""
    check_token()
    if request.method not in BODY_METHODS:
        return
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise _too_large()
    raw = request.get_data(cache=True)
    if not raw:
        return
    if request.mimetype != "application/json":
        raise ApiProblem(415, "unsupported_media_type",
                         _("Send the body as JSON (Content-Type: application/json)."))
    if len(raw) > MAX_BODY_BYTES:
        raise _too_large()
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise ApiProblem(400, "json_too_deep", _("The JSON nests deeper than %(n)d levels.",
                                                 n=MAX_JSON_DEPTH))
    try:
        body = request.get_json()
    except BadRequest:
        raise ApiProblem(400, "malformed_json", _("The body is not valid JSON.")) from None
    if not isinstance(body, dict):
        message = _("Send a JSON object.")
        raise ApiProblem(422, "validation", message,
                         [FieldError(field="", code="model_type", message=message)])


bp.before_request(_guard)
errors.register(bp)
