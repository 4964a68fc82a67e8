"""Every route of the app, classified by who may use it. A new route must be added here.

``tests/security/test_matrix.py`` fails for a route of ``app.url_map`` that this table does not
name (and for a name here that no longer exists), so no page is ever added without deciding
who may open it.
"""

from __future__ import annotations

import enum
import re


class Access(enum.StrEnum):
    """Who may use a route."""

    PUBLIC = "public"  # anyone, signed in or not (sign-in pages, probes, static files)
    STAFF = "staff"  # staff and admins, only for records of the town they work in
    ADMIN = "admin"  # admins only, in the town they work in
    RESIDENT = "resident"  # a rider or driver signed in on their phone: only their own rides
    DRIVER = "driver"  # a signed-in resident with a driver role: own trips, day before to after
    FEED = "feed"  # a secret token in the URL (a driver's calendar feed)
    TWILIO = "twilio"  # Twilio webhooks: a valid X-Twilio-Signature, nothing else
    TOKEN = "token"  # the JSON API under /api/v1: a bearer token, never a browser session


PUBLIC = {
    "static", "health.healthz", "health.readyz", "i18n.switch", "auth.login",
    "dashboard.root", "me.login", "me.code", "driver.service_worker",
    "api.openapi", "api.docs",  # the API's description; every operation needs a token
    "open_data.gtfs_flex", "open_data.town_gtfs_flex",  # the timetable as GTFS-Flex, no people
    "metrics.metrics",  # its own bearer token: 404 unless configured (tests/test_metrics.py)
}
STAFF = {
    "auth.logout", "auth.password", "security.keepalive", "security.session_state",
    "security.switch_town",
    "dashboard.index", "dashboard.days", "dashboard.replan", "dashboard.replan_progress",
    "dashboard.replan_status",
    "console.call", "console.search", "console.new_caller",
    "booking.book", "booking.summary", "booking.options", "booking.confirm_option",
    "booking.wait", "booking.book_alternative",
    "trips.detail", "trips.manifest", "trips.cancel", "trips.reassign",
    "office.calls", "office.informed", "office.slip", "office.weather",
    "notifications.index",
    "records.index",
    *(f"records.{verb}_{kind}" for verb in ("new", "edit", "deactivate", "reactivate")
      for kind in ("resident", "driver", "vehicle", "place")),
    "records.residents", "records.drivers", "records.vehicles", "records.places",
    "records.offers", "records.new_offer", "records.edit_offer", "records.withdraw_offer",
    # issue 8 helpers' pages (read in their code: login_required + current_user.town_id)
    "api_tokens.index", "api_tokens.create", "api_tokens.revoke",
    "costs.index", "costs.fuel_prices_page", "costs.delete_price", "costs.delete_item",
    "costs.ledger_page", "costs.add_gift", "costs.receipt_page", "costs.settings_page",
    "costs.trip", "costs.distance", "costs.add_item",
    "exports.index", "exports.residents", "exports.offers", "exports.trips",
    "reports.index", "reports.printable", "reports.report_csv",
    # issue 20: road closures, the road data page, planned against driven
    "closures.index", "closures.create", "closures.lift", "roads.index", "reports.driven",
}
ADMIN = {"exports.audit_log", "reports.settings", "travel_settings.travel",
         "tasks_view.tasks",
         "reports.accept",  # issue 20: accepting a suggested month factor
         # issue 8 privacy helper: disclosure export, erasure, retention period (admins)
         "privacy.resident", "privacy.erase", "privacy.export", "privacy.retention_period"}
RESIDENT = {"me.home", "me.book", "me.options", "me.confirm_ride", "me.logout", "me.rides",
            "me.cancel", "me.cancel_ask"}
DRIVER = {"driver.home", "driver.calendar_page", "driver.calendar_reset", "driver.day",
          "driver.offers", "driver.edit_offer", "driver.withdraw_offer", "driver.new_offer",
          "driver.answer_request", "driver.press", "driver.undo_press",
          # issue 8 costs helper: a driver's own trip costs and ledger
          "driver.ledger", "driver.trip_costs_page", "driver.add_trip_cost",
          "driver.delete_trip_cost"}
FEED = {"driver.calendar_feed"}
TWILIO = {"hooks.status", "hooks.gather"}
TOKEN_PREFIX = re.compile(r"^/api/v1(/|$)")

TABLE: dict[str, Access] = {
    **dict.fromkeys(PUBLIC, Access.PUBLIC), **dict.fromkeys(STAFF, Access.STAFF),
    **dict.fromkeys(ADMIN, Access.ADMIN), **dict.fromkeys(RESIDENT, Access.RESIDENT),
    **dict.fromkeys(DRIVER, Access.DRIVER), **dict.fromkeys(FEED, Access.FEED),
    **dict.fromkeys(TWILIO, Access.TWILIO),
}


def access_of(endpoint: str, rule: str) -> Access | None:
    """Return how a route is protected, or ``None`` when nobody has decided yet."""
    if endpoint in TABLE:
        return TABLE[endpoint]
    if TOKEN_PREFIX.match(rule):
        return Access.TOKEN
    return None
