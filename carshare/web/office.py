"""Office pages: tomorrow's call list, a weather day, the rider's printed slip."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from carshare.db import get_session
from carshare.models import Resident
from carshare.presenters.town import town_tz
from carshare.services import audit
from carshare.services.call_list import call_list, mark_informed
from carshare.services.readback import booking_card
from carshare.services.residents import settlements
from carshare.services.trips import declare_weather_day, weather_rides
from carshare.timeutil import local_today
from carshare.web.booking_forms import ConfirmForm
from carshare.web.scope import own_request
from carshare.web.trip_forms import WeatherForm

bp = Blueprint("office", __name__)




@bp.get("/call-list")
@login_required
def calls():  # type: ignore[no-untyped-def]
    """Riders to phone about tomorrow's (or today's) rides, with a tick for who told them."""
    today = local_today(town_tz())
    day = today if request.args.get("day") == today.isoformat() else today + timedelta(days=1)
    items = call_list(get_session(), current_user.town_id, day, town_tz())
    audit.viewed(get_session(), current_user, [i.rider.id for i in items], "call list", "list")
    return render_template("office/call_list.html", items=items, day=day, today=today,
                           timedelta=timedelta, form=ConfirmForm())


@bp.post("/call-list/<int:request_id>/informed")
@login_required
def informed(request_id: int):  # type: ignore[no-untyped-def]
    """Tick a rider as informed."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ride = own_request(request_id)
    mark_informed(get_session(), current_user, ride)
    day = ride.window_start.astimezone(town_tz()).date()
    return redirect(url_for("office.calls", day=day.isoformat()))


@bp.route("/weather", methods=["GET", "POST"])
@login_required
def weather():  # type: ignore[no-untyped-def]
    """Declare a road closure or blizzard: the day's rides are cancelled as weather."""
    session = get_session()
    form = WeatherForm()
    form.settlement.choices = [("", _("Whole town"))] + [
        (s, s) for s in settlements(session, current_user.town_id)]
    if form.validate_on_submit():
        area = form.settlement.data or None
        if request.form.get("confirmed") != "1":  # first show what would be cancelled
            rides = weather_rides(session, current_user.town_id, form.day.data, area, town_tz())
            audit.viewed(session, current_user, [r.rider_id for r in rides], "weather preview")
            return render_template("office/weather.html", form=form, preview=rides,
                                   shown=",".join(str(r.id) for r in rides))
        result = declare_weather_day(session, current_user, form.day.data, area,
                                     form.reason.data, town_tz(), _shown_ids())
        flash(_("%(n)d rides were cancelled for the weather; riders and drivers will be told.",
                n=result.cancelled))
        return redirect(url_for("dashboard.index", day=form.day.data.isoformat()))
    status = 400 if form.errors else 200
    return render_template("office/weather.html", form=form), status


def _shown_ids() -> set[int]:
    """The rides staff were shown before confirming (anything else is left alone)."""
    text = request.form.get("shown", "")
    return {int(part) for part in text.split(",") if part.strip().isdigit()
            and len(part.strip()) < 12}


@bp.get("/requests/<int:request_id>/slip")
@login_required
def slip(request_id: int):  # type: ignore[no-untyped-def]
    """A large-font slip for the rider: date, time, driver, car and the office phone."""
    session = get_session()
    request = own_request(request_id)
    audit.accessed(session, current_user, "print", "ride_request",
                   [(request.id, request.rider_id)], "rider slip")
    return render_template("office/slip.html", cards=booking_card(session, request, town_tz()),
                           rider=session.get(Resident, request.rider_id))
