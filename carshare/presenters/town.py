"""The town of the request being answered, as pages and the API both need it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app


def town_tz() -> ZoneInfo:
    """Return the town's time zone."""
    return ZoneInfo(current_app.config["TIMEZONE"])
