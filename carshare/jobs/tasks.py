"""Job bodies: open an app context and a session, call one service, log the outcome."""

from __future__ import annotations

import logging

from flask import Flask

from carshare.db import get_engine, session_scope
from carshare.models import utcnow
from carshare.services import requests

log = logging.getLogger("carshare.jobs")


def close_expired_requests(app: Flask) -> int:
    """Mark overdue unplanned requests as unmet; return how many."""
    with app.app_context(), session_scope(get_engine()) as session:
        count = requests.close_expired_requests(session, utcnow())
    if count:
        log.info("closed %d expired ride requests", count)
    return count
