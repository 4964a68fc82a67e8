"""Trip handling: a driver's route with its stops and map, cancel, reassign, print."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from carshare.db import get_session
from carshare.models import OPEN_STATUSES, Plan, RideRequest, Route
from carshare.presenters.messages import message
from carshare.presenters.town import town_tz
from carshare.services import audit
from carshare.services.driver_pending import awaiting
from carshare.services.quoting import QuoteError, moves, place
from carshare.services.timeline import route_row
from carshare.services.trip_progress import events_for
from carshare.services.trips import TripError, cancel_ride, open_return
from carshare.web.booking_forms import ConfirmForm
from carshare.web.scope import own_request
from carshare.web.trip_forms import CancelForm

bp = Blueprint("trips", __name__)



def _own_route(route_id: int) -> Route:
    session = get_session()
    route = session.get(Route, route_id)
    if route is None or session.get(Plan, route.plan_id).town_id != current_user.town_id:
        abort(404)
    return route



@bp.get("/trips/<int:route_id>")
@login_required
def detail(route_id: int):  # type: ignore[no-untyped-def]
    """The route's stops, times and riders, a map, and what staff can change."""
    session = get_session()
    row = route_row(session, _own_route(route_id))
    riders = {s.rider.id for s in row.stops if s.rider}
    audit.accessed(session, current_user, "view", "resident", ((r, r) for r in riders),
                   "trip detail")
    requests = [session.get(RideRequest, s.stop.request_id) for s in row.stops
                if s.stop.kind == "pickup"]
    open_ones = [r for r in requests if r.status in OPEN_STATUSES]
    day = session.get(Plan, row.route.plan_id).service_date
    return render_template("trips/detail.html", row=row, requests=requests,
                           cancel_form=CancelForm(), confirm_form=ConfirmForm(),
                           moves={r.id: moves(session, r, town_tz()) for r in open_ones},
                           progress=events_for(session, row.route.offer_id, day),
                           waiting=awaiting(session, open_ones),
                           with_return={r.id for r in open_ones
                                        if open_return(session, r) is not None})


@bp.get("/trips/<int:route_id>/manifest")
@login_required
def manifest(route_id: int):  # type: ignore[no-untyped-def]
    """The driver's day manifest, for printing on A4."""
    session = get_session()
    row = route_row(session, _own_route(route_id))
    audit.accessed(session, current_user, "print", "resident",
                   ((s.rider.id, s.rider.id) for s in row.stops if s.rider), "manifest")
    return render_template("trips/manifest.html", row=row)


def _back_to_trip(ride: RideRequest) -> str:
    """Back to the trip page the form was on (same site only), else the booking."""
    from urllib.parse import urlparse

    from flask import request as incoming

    back = incoming.referrer or ""
    if back and urlparse(back).netloc == incoming.host and urlparse(back).path.startswith(
            "/trips/"):
        return urlparse(back).path
    return url_for("booking.summary", request_id=ride.id)


@bp.post("/requests/<int:request_id>/cancel")
@login_required
def cancel(request_id: int):  # type: ignore[no-untyped-def]
    """Cancel a ride with an outcome code and a reason."""
    request, form = own_request(request_id), CancelForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(url_for("booking.summary", request_id=request.id)), 303
    if open_return(get_session(), request) is not None and form.return_too.data not in (
            "yes", "no"):
        flash(_("Say whether the return that day is cancelled too."))
        return redirect(_back_to_trip(request)), 303
    try:
        cancel_ride(get_session(), current_user, request, form.outcome.data,
                    form.reason.data, town_tz(), with_return=form.return_too.data == "yes")
    except TripError as error:
        get_session().rollback()
        flash(message(error.code))
    else:
        flash(_("The ride was cancelled; the rider and the driver will be told."))
    return redirect(url_for("booking.summary", request_id=request.id))


@bp.post("/requests/<int:request_id>/reassign")
@login_required
def reassign(request_id: int):  # type: ignore[no-untyped-def]
    """Move a planned ride to another driver who can take it."""
    request, form = own_request(request_id), ConfirmForm()
    if not form.validate_on_submit() or form.offer_id.data is None:
        abort(400)
    try:
        place(get_session(), current_user, request, form.offer_id.data, town_tz(), "reassign")
    except QuoteError as error:
        get_session().rollback()
        flash(message(error.code))
    else:
        flash(_("The ride was moved to the other driver; the rider and drivers will be told."))
    return redirect(url_for("booking.summary", request_id=request.id))
