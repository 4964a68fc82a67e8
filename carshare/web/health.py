"""Liveness and readiness probes for load balancers and monitors."""

from __future__ import annotations

from flask import Blueprint, jsonify

from carshare.db import get_engine
from carshare.extensions import csrf
from carshare.services.health import readiness

bp = Blueprint("health", __name__)
csrf.exempt(bp)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """The process is alive."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():  # type: ignore[no-untyped-def]
    """The database is reachable and migrated; 503 otherwise."""
    result = readiness(get_engine())
    body = {"status": "ready" if result.ready else "not_ready", "database": result.database,
            "revision": result.revision, "head": result.head}
    return jsonify(body), 200 if result.ready else 503
