"""Thin web views: parse input, call one service, render."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import format_date, get_locale


def init_app(app: Flask) -> None:
    """Register every blueprint and the error handlers."""
    from carshare.presenters.reasons import reason_label
    from carshare.services import readback
    from carshare.web import (
        auth,
        booking,
        console,
        dashboard,
        driver,
        errors,
        health,
        helpers,
        i18n,
        labels,
        me,
        metrics_view,
        office,
        records,
        render_cache,
        security,
        timing,
        travel_model,
        trip_words,
        trips,
    )
    from carshare.web.alert_labels import alert_label, channel_label, state_label

    for module in (auth, dashboard, health, i18n, console, booking, trips, office,
                   records, me, driver):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    timing.init_app(app)
    metrics_view.init_app(app)
    travel_model.init_app(app)
    render_cache.init_app(app)
    register_notifications(app)
    register_costs(app)
    register_reports(app)
    register_tasks(app)
    register_privacy(app)
    security.init_app(app)
    app.jinja_env.filters["local"] = _local_time
    app.jinja_env.filters["day"] = _day
    app.jinja_env.filters["localdate"] = _local_date
    app.jinja_env.filters["national"] = helpers.national_phone
    app.jinja_env.globals.update(status_label=labels.status_label, get_locale=get_locale,
                                 format_date=format_date, stop_label=labels.stop_label,
                                 risk_label=labels.risk_label, driver_name=helpers.driver_name,
                                 rider_phone=helpers.rider_phone,
                                 rider_name=helpers.rider_name,
                                 honorific=helpers.honorific, reason_label=reason_label,
                                 alert_label=alert_label, channel_label=channel_label,
                                 state_label=state_label,
                                 change_label=labels.change_label,
                                 car_label=trip_words.car_label,
                                 own_stop_row=trip_words.own_stop_row,
                                 own_trip_times=trip_words.own_trip_times,
                                 offer_own_trip=trip_words.offer_own_trip,
                                 question_words=trip_words.question_words,
                                 day_words=trip_words.day_words,
                                 time_words=trip_words.time_words,
                                 driver_honorific=trip_words.driver_honorific,
                                 card_overall=readback.overall)
    app.jinja_env.filters["place_json"] = helpers.place_json


def _local_time(value, fmt: str = "%H:%M") -> str:  # type: ignore[no-untyped-def]
    """A time in the town's zone (called for every row: imports at module level)."""
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).strftime(fmt)


def _local_date(value):  # type: ignore[no-untyped-def]
    """The date of an aware datetime in the town's zone."""
    from zoneinfo import ZoneInfo

    from flask import current_app

    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def _day(value) -> str:  # type: ignore[no-untyped-def]
    """Format a date as 「6月3日（火）」 in Japanese, "Tue 3 Jun" in English."""
    from datetime import datetime

    if isinstance(value, datetime):
        from zoneinfo import ZoneInfo

        from flask import current_app

        value = value.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()
    pattern = "M月d日（E）" if str(get_locale()) == "ja" else "EEE d MMM"
    return format_date(value, pattern)


def register_costs(app: Flask) -> None:
    """Mount the staff's cost pages (actual-cost sharing, receipts, ledgers)."""
    from carshare.web import costs

    app.register_blueprint(costs.bp)


def register_notifications(app: Flask) -> None:
    """Mount the Twilio webhooks and the staff's message pages."""
    from carshare.web import hooks, notifications

    hooks.init_app(app)
    app.register_blueprint(notifications.bp)


def register_reports(app: Flask) -> None:
    """Mount the council report, the staff exports, the public open data, travel settings."""
    from carshare.web import (  # noqa: F401 (driven_report, report_settings: views of reports.bp)
        closures,
        driven_report,
        exports,
        open_data,
        report_settings,
        reports,
        roads,
        travel_settings,
    )

    for module in (reports, exports, open_data, travel_settings, roads, closures):
        app.register_blueprint(module.bp)


def register_tasks(app: Flask) -> None:
    """Mount the administrator's task queue page."""
    from carshare.web import tasks_view

    app.register_blueprint(tasks_view.bp)


def register_privacy(app: Flask) -> None:
    """Mount the admin's privacy pages (disclosure, erasure, retention period)."""
    from carshare.web import privacy

    app.register_blueprint(privacy.bp)
