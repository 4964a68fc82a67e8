"""Thin web views: parse input, call one service, render."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, get_locale


def init_app(app: Flask) -> None:
    """Register every blueprint and the error handlers."""
    from carshare.web import auth, dashboard, errors, health, i18n, labels

    for module in (auth, dashboard, health, i18n):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    register_notifications(app)
    app.jinja_env.filters["local"] = _local_time
    app.jinja_env.globals.update(status_label=labels.status_label, get_locale=get_locale,
                                 format_date=format_date)


def _local_time(value, fmt: str = "%H:%M") -> str:  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    from flask import current_app

    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).strftime(fmt)


def register_notifications(app: Flask) -> None:
    """Mount the Twilio webhooks and the staff's message pages."""
    from carshare.web import hooks, notifications

    hooks.init_app(app)
    app.register_blueprint(notifications.bp)
