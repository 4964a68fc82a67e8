"""A rider (or their family) asks for a ride from home, with the same engine staff use."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from carshare.db import get_session
from carshare.models import ConsentScope, RideRequest, WindowKind, utcnow
from carshare.presenters.messages import message
from carshare.presenters.reasons import reason_label
from carshare.presenters.town import town_tz
from carshare.services.booking import (
    BookingError,
    BookingInput,
    create_booking,
    destinations,
    next_service_day,
)
from carshare.services.booking_limits import RiderLimitReached, check_rider_day
from carshare.services.consents import has_consent
from carshare.services.driver_pending import is_awaiting
from carshare.services.quotes import QUOTABLE
from carshare.services.quoting import QuoteError, answer, confirm
from carshare.services.requests import put_on_waiting_list
from carshare.timeutil import local_today
from carshare.web.booking_view import option_labels
from carshare.web.me.access import current_resident, resident_required
from carshare.web.me.forms import RiderBookingForm
from carshare.web.me.views import bp


@bp.route("/book", methods=["GET", "POST"])
@resident_required
def book():  # type: ignore[no-untyped-def]
    """The short booking form: destination, day, time and the return."""
    session, rider = get_session(), current_resident()
    form = RiderBookingForm()
    frequent, facilities = destinations(session, rider.town_id, rider.id)
    form.dropoff_place_id.choices = [(p.id, p.name) for p in frequent + facilities]
    if not form.is_submitted():
        form.day.data = next_service_day(session, rider.town_id, local_today(town_tz()))
    elif form.validate():
        try:
            check_rider_day(session, rider.id, form.day.data, town_tz(),
                            current_app.config["RIDER_OPEN_REQUESTS_PER_DAY"])
            booking = create_booking(session, rider, _input(form, rider), utcnow(), town_tz(),
                                     quote=True)
        except RiderLimitReached as limit:
            session.rollback()
            form.day.errors = [*form.day.errors, _(
                "You already have %(n)d rides asked for on this day. For more, please call "
                "the town office.", n=limit.cap)]
        except BookingError as error:
            session.rollback()
            target = getattr(form, {"dropoff": "dropoff_place_id"}.get(error.field, error.field),
                             form.dropoff_place_id)
            target.errors = [*target.errors, message(error.code, **error.params)]
        else:
            return redirect(url_for("me.options", request_id=booking.outbound.id))
    return render_template("me/book.html", form=form), 400 if form.errors else 200


def _input(form: RiderBookingForm, rider) -> BookingInput:  # type: ignore[no-untyped-def]
    needs = has_consent(get_session(), rider.id, ConsentScope.NEEDS)  # else not used
    return BookingInput(
        rider_id=rider.id, pickup_place_id=rider.home_place_id,
        dropoff_place_id=form.dropoff_place_id.data, day=form.day.data,
        window_kind=WindowKind(form.window_kind.data), clock=form.clock.data,
        wheelchair=needs and rider.wheelchair, walker=needs and rider.walker,
        boarding_help=needs and rider.boarding_help, return_mode=form.return_mode.data,
        return_clock=form.return_clock.data)


def _own_ride(request_id: int) -> RideRequest:
    ride = get_session().get(RideRequest, request_id)
    if ride is None or ride.rider_id != current_resident().id:
        current_app.logger.warning("resident %s tried ride %s", current_resident().id, request_id)
        abort(404)
    return ride


@bp.get("/book/<int:request_id>/options")
@resident_required
def options(request_id: int):  # type: ignore[no-untyped-def]
    """The drivers who can take the ride, or why none can."""
    ride = _own_ride(request_id)
    if ride.status not in QUOTABLE:
        return redirect(url_for("me.rides"))
    result = answer(get_session(), ride, town_tz())
    return render_template("me/options.html", answer=result,
                           labels=option_labels(get_session(), result),
                           reason=reason_label(result.reason))


@bp.post("/book/<int:request_id>/confirm")
@resident_required
def confirm_ride(request_id: int):  # type: ignore[no-untyped-def]
    """The rider takes an option (or, without one, waits for the office)."""
    from flask_wtf.csrf import validate_csrf

    validate_csrf(request.form.get("csrf_token", ""))
    ride, session = _own_ride(request_id), get_session()
    offer_id = request.form.get("offer_id", type=int)
    try:
        if offer_id is None:
            put_on_waiting_list(session, current_resident(), ride)
            flash(_("The office will look for a driver and call you."))
        else:
            confirm(session, current_resident(), ride, offer_id, town_tz())
            flash(_("Your request is in. We will tell you when the driver accepts.")
                  if is_awaiting(session, ride.id) else _("Your ride is booked."))
    except QuoteError as error:
        session.rollback()
        flash(message(error.code))
        return redirect(url_for("me.options", request_id=ride.id))
    return redirect(url_for("me.rides"))
