"""The driver's secret calendar URL: the feed itself, and resetting (revoking) the URL."""

from __future__ import annotations

from flask import Response, abort, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from carshare.db import get_session
from carshare.services.driver_calendar import driver_for_token, feed, reset_token
from carshare.web.driver.blueprint import bp, driver_required, me, today


@bp.get("/calendar")
@driver_required
def calendar_page():  # type: ignore[no-untyped-def]
    """Explain the calendar URL and offer to make a new one."""
    _resident, driver = me()
    return render_template("driver/calendar.html", url=None,
                           has_url=driver.calendar_token_hash is not None)


@bp.post("/calendar/reset")
@driver_required
def calendar_reset():  # type: ignore[no-untyped-def]
    """Make a new secret URL and show it once; the old one stops working at once."""
    _resident, driver = me()
    token = reset_token(get_session(), driver)
    return render_template("driver/calendar.html", has_url=True,
                           url=url_for("driver.calendar_feed", token=token, _external=True))


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):  # type: ignore[no-untyped-def]
    """The iCalendar feed of a driver's trips (no sign-in: the URL is the secret)."""
    driver = driver_for_token(get_session(), token)
    if driver is None:
        abort(404)
    body = feed(get_session(), driver, today(), _("Ride sharing trips"),
                lambda n: ngettext("Ride sharing: %(num)d rider", "Ride sharing: %(num)d riders",
                                   n))
    return Response(body, mimetype="text/calendar",
                    headers={"Cache-Control": "private, no-store"})
