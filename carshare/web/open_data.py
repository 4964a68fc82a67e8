"""Public open data: the service as a GTFS-Flex feed, for trip planners and the prefecture."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _

from carshare.db import get_session
from carshare.presenters.town import town_tz
from carshare.services.open_data import (
    FeedDefaults,
    OpenDataError,
    gtfs_flex_files,
    town_by_slug,
    zip_feed,
)
from carshare.timeutil import local_today

bp = Blueprint("open_data", __name__, url_prefix="/open-data")


@bp.get("/gtfs-flex.zip")
def gtfs_flex():  # type: ignore[no-untyped-def]
    """The installation's town's GTFS-Flex feed (no sign-in)."""
    return _feed(current_app.config["TOWN_SLUG"])


@bp.get("/<slug>/gtfs-flex.zip")
def town_gtfs_flex(slug: str):  # type: ignore[no-untyped-def]
    """One town's GTFS-Flex feed, for installations serving several towns."""
    return _feed(slug)


def _feed(slug: str):  # type: ignore[no-untyped-def]
    session = get_session()
    defaults = FeedDefaults(current_app.config["OFFICE_PHONE"],
                            current_app.config["PUBLIC_URL"] or request.host_url)
    try:
        town = town_by_slug(session, slug[:40])
        files = gtfs_flex_files(session, town, local_today(town_tz()), defaults)
    except OpenDataError as error:
        message = (_("No town is published under this name.") if error.code == "unknown_town"
                   else _("This town does not publish its timetable yet."))
        return render_template("error.html", status=404, message=message), 404
    response = Response(zip_feed(files), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{town.slug}-gtfs-flex.zip"'
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
