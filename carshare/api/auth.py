"""Bearer-token authentication: only the Authorization header opens the API, never a cookie."""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _

from carshare.db import get_session
from carshare.models import ApiScope, utcnow
from carshare.presenters.problems import ApiProblem
from carshare.services.api_tokens import Caller, authenticate

PUBLIC_ENDPOINTS = frozenset({"api.openapi", "api.docs"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="carshare"'}


def check_token() -> None:
    """Find the caller from the bearer token; refuse the request without a valid one.

    :raise ApiProblem: 401 without a valid token, 403 when a read token tries to write.
    """
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiProblem(401, "token_missing", _("Send an API token in the header: "
                                                 "Authorization: Bearer <token>."),
                         headers=CHALLENGE)
    found = authenticate(get_session(), secret.strip(), utcnow())
    if found is None:
        raise ApiProblem(401, "token_invalid", _("This API token is not valid or was revoked."),
                         headers=CHALLENGE | {"WWW-Authenticate":
                                              'Bearer realm="carshare", error="invalid_token"'})
    needed = ApiScope.READ if request.method in READ_METHODS else ApiScope.WRITE
    if not found.may(needed):
        raise ApiProblem(403, "read_only_token", _("This token may only read. Ask an "
                                                   "administrator for a token that may write."))
    g.api_caller = found


def caller() -> Caller:
    """Return the authenticated caller of this request."""
    return g.api_caller
