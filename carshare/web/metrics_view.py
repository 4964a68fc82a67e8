"""``/metrics`` for Prometheus (behind a bearer token) and the timing of every request.

No token configured (``CARSHARE_METRICS_TOKEN`` empty, the default): ``/metrics`` answers 404
as if it did not exist. Otherwise it needs ``Authorization: Bearer <token>``; a wrong or
missing token gets 401 without a body. The token is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST

from carshare import metrics
from carshare.db import get_engine
from carshare.extensions import csrf

bp = Blueprint("metrics", __name__)
csrf.exempt(bp)
UNTIMED = frozenset({"static", "metrics.metrics"})  # the scrape itself and static files
SHORT_TOKEN = 32


@bp.get("/metrics", endpoint="metrics")
def metrics_page():  # type: ignore[no-untyped-def]
    """The text exposition of every metric, for a scraper holding the token."""
    token = current_app.config.get("METRICS_TOKEN", "")
    if not token:
        abort(404)
    if not token_matches(request.headers.get("Authorization", ""), token):
        return Response(status=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    response = Response(metrics.exposition(get_engine()), content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def token_matches(header: str, token: str) -> bool:
    """Tell whether ``header`` is ``Bearer <token>``, in time that depends on neither the
    token nor the guess (both are hashed first, so not even their lengths leak)."""
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer":
        given = ""
    return hmac.compare_digest(_digest(given.strip()), _digest(token))


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def init_app(app: Flask) -> None:
    """Mount ``/metrics`` and time every request except the scrape and static files."""
    app.register_blueprint(bp)
    token = app.config.get("METRICS_TOKEN", "")
    if token and len(token) < SHORT_TOKEN:
        app.logger.warning("CARSHARE_METRICS_TOKEN is short: use %d+ random characters",
                           SHORT_TOKEN)
    app.before_request(_start)
    app.after_request(_observe)


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    if started is not None and request.endpoint not in UNTIMED:
        rule = request.url_rule.rule if request.url_rule is not None else None
        metrics.http_request(rule, request.method, response.status_code,
                             time.perf_counter() - started)
    return response
