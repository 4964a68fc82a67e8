"""The booking form of the phone call, and the options found for it."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from carshare.db import get_session
from carshare.models import (
    ConsentScope,
    Place,
    RequestStatus,
    Resident,
    RideRequest,
    WindowKind,
    utcnow,
)
from carshare.presenters.messages import message
from carshare.presenters.reasons import reason_label
from carshare.presenters.town import town_tz
from carshare.services import audit
from carshare.services.booking import (
    BookingError,
    BookingInput,
    create_booking,
    destinations,
    next_service_day,
    return_leg,
)
from carshare.services.consents import consents_of, has_consent
from carshare.services.driver_pending import is_awaiting
from carshare.services.quotes import QUOTABLE
from carshare.services.quoting import QuoteError, answer, confirm, take_alternative
from carshare.services.readback import booking_card
from carshare.services.requests import put_on_waiting_list
from carshare.services.ride_changes import changeable
from carshare.services.rider_portal import upcoming
from carshare.services.trips import open_return
from carshare.timeutil import local_today
from carshare.web.booking_forms import AlternativeForm, BookingForm, ConfirmForm
from carshare.web.booking_view import option_labels
from carshare.web.scope import own_request
from carshare.web.trip_forms import CancelForm

bp = Blueprint("booking", __name__)



@bp.route("/book/<int:resident_id>", methods=["GET", "POST"])
@login_required
def book(resident_id: int):  # type: ignore[no-untyped-def]
    """Show the one-screen booking form for a resident; on submit, store and find options."""
    session = get_session()
    rider = session.get(Resident, resident_id)
    if rider is None or rider.town_id != current_user.town_id:
        abort(404)
    form = BookingForm()
    _fill_choices(form, rider)
    if not form.is_submitted():
        _defaults(form, rider)
        _again(form, rider, request.args.get("again", type=int))
        _change(form, rider, request.args.get("change", type=int))
        audit.accessed(session, current_user, "view", "resident", [(rider.id, rider.id)],
                       "booking")
    elif form.validate():
        try:
            booking = create_booking(session, current_user, _input(form, rider), utcnow(),
                                     town_tz(), quote=True)
        except BookingError as error:
            session.rollback()
            _attach(form, error)
        else:
            return redirect(url_for("booking.options", request_id=booking.outbound.id))
    if form.errors:
        audit.viewed(session, current_user, [rider.id], "booking (form corrected)")
    status = 400 if form.errors else 200
    have = consents_of(session, rider.id)
    missing = [s.value for s in (ConsentScope.RIDES, ConsentScope.NEEDS) if s not in have]
    return render_template("booking/book.html", form=form, rider=rider,
                           missing_consents=missing, upcoming=upcoming(session, rider, utcnow()),
                           **_changing(rider, form),
                           duplicate_of=getattr(form, "duplicate_of", None)), status


def _changing(rider: Resident, form: BookingForm) -> dict:
    """The booked ride the form changes, and its destination, for the page to name."""
    ride = changeable(get_session(), rider.id, form.replaces_id.data)
    place = get_session().get(Place, ride.dropoff_place_id) if ride else None
    return {"changing": ride, "changing_place": place.name if place else ""}


def _fill_choices(form: BookingForm, rider: Resident) -> None:
    session = get_session()
    frequent, facilities = destinations(session, current_user.town_id, rider.id)
    home = session.get(Place, rider.home_place_id) if rider.home_place_id else None
    homes = [(home.id, _("Home (%(name)s)", name=home.name))] if home else []
    form.pickup_place_id.choices = homes + [(p.id, p.name) for p in frequent + facilities]
    form.dropoff_place_id.choices = {
        str(_("Frequent places")): [(p.id, _place_label(p)) for p in frequent],
        str(_("Facilities")): [(p.id, _place_label(p)) for p in facilities],
        str(_("Home")): homes,
    }


def _place_label(place: Place) -> str:
    return f"{place.name}（{place.settlement}）" if place.settlement else place.name


def _defaults(form: BookingForm, rider: Resident) -> None:
    form.pickup_place_id.data = rider.home_place_id
    form.day.data = next_service_day(get_session(), current_user.town_id, local_today(town_tz()))
    if has_consent(get_session(), rider.id, ConsentScope.NEEDS):  # needs shown only with it
        form.wheelchair.data, form.walker.data = rider.wheelchair, rider.walker
        form.boarding_help.data = rider.boarding_help


def _again(form: BookingForm, rider: Resident, request_id: int | None) -> None:
    """Prefill from an earlier request of the rider: the quote staff went back from (all
    that was typed, day included), or a ride booked again after a cancellation."""
    earlier = get_session().get(RideRequest, request_id) if request_id else None
    if earlier is None or earlier.rider_id != rider.id:
        return
    form.pickup_place_id.data = earlier.pickup_place_id
    form.dropoff_place_id.data = earlier.dropoff_place_id
    form.window_kind.data = earlier.window_kind.value
    at = earlier.window_end if earlier.window_kind == WindowKind.ARRIVE_BY else earlier.window_start
    form.clock.data = at.astimezone(town_tz()).time()
    form.party_size.data = earlier.party_size
    form.return_mode.data = "open" if earlier.return_open else "none"
    if earlier.status == RequestStatus.QUOTED:
        _again_all(form, earlier)
        form.replaces_id.data = earlier.replaces_id  # back from a change's options


def _change(form: BookingForm, rider: Resident, request_id: int | None) -> None:
    """Prefill the form with everything of a booked ride the caller wants to change."""
    ride = changeable(get_session(), rider.id, request_id)
    if ride is None:
        return
    _again(form, rider, ride.id)
    _again_all(form, ride)
    form.replaces_id.data = ride.id


def _again_all(form: BookingForm, quote: RideRequest) -> None:
    """Keep the rest of what was typed for a quote: day, needs, note and the return time."""
    form.day.data = quote.window_start.astimezone(town_tz()).date()
    form.wheelchair.data, form.walker.data = quote.wheelchair, quote.walker
    form.boarding_help.data, form.note.data = quote.boarding_help, quote.note
    inbound = return_leg(get_session(), quote.id)
    if inbound is not None:
        form.return_mode.data = "after"
        form.return_clock.data = inbound.window_start.astimezone(town_tz()).time()


def _input(form: BookingForm, rider: Resident) -> BookingInput:
    return BookingInput(
        rider_id=rider.id, pickup_place_id=form.pickup_place_id.data,
        dropoff_place_id=form.dropoff_place_id.data, day=form.day.data,
        window_kind=WindowKind(form.window_kind.data), clock=form.clock.data,
        party_size=form.party_size.data, wheelchair=form.wheelchair.data,
        walker=form.walker.data, boarding_help=form.boarding_help.data,
        return_mode=form.return_mode.data, return_clock=form.return_clock.data,
        note=form.note.data or "", replaces_id=form.replaces_id.data)


def _attach(form: BookingForm, error: BookingError) -> None:
    field = {"rider": "form", "pickup": "pickup_place_id", "dropoff": "dropoff_place_id"}.get(
        error.field, error.field)
    text = message(error.code, **error.params)
    if error.code == "duplicate":
        form.duplicate_of = error.params.get("request_id")  # type: ignore[attr-defined]
    target = getattr(form, field, None)
    if target is None:
        form.form_errors.append(text)
    else:
        target.errors = [*target.errors, text]



@bp.get("/requests/<int:request_id>/options")
@login_required
def options(request_id: int):  # type: ignore[no-untyped-def]
    """The instant answer: options to read out to the caller, or alternatives."""
    request = own_request(request_id)
    if request.status not in QUOTABLE:
        return redirect(url_for("booking.summary", request_id=request.id))
    return _render_options(request)


def _render_options(request: RideRequest, error: str | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    session = get_session()
    result = answer(session, request, town_tz())
    audit.viewed(session, current_user, [request.rider_id], "booking options")
    labels = option_labels(session, result)
    inbound = return_leg(session, request.id)
    replaced = changeable(session, request.rider_id, request.replaces_id)
    return render_template("booking/options.html", answer=result, labels=labels, error=error,
                           inbound=inbound, rider=session.get(Resident, request.rider_id),
                           replaced=replaced if request.status == RequestStatus.QUOTED else None,
                           reason=reason_label(result.reason)), status


@bp.post("/requests/<int:request_id>/confirm")
@login_required
def confirm_option(request_id: int):  # type: ignore[no-untyped-def]
    """Staff confirm the option the caller accepted."""
    request = own_request(request_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    return _taking(request, lambda: confirm(get_session(), current_user, request,
                                            form.offer_id.data, town_tz()))


def _taking(request: RideRequest, take: Callable[[], object]):  # type: ignore[no-untyped-def]
    """Book what the caller took (``take``); when it is gone, say so with the options now."""
    try:
        take()
    except QuoteError as error:
        get_session().rollback()
        if error.code == "not_open":
            flash(message(error.code))
            return redirect(url_for("booking.summary", request_id=request.id))
        return _render_options(request, message(error.code), 409)
    return _after_confirm(request)


def _after_confirm(request: RideRequest):  # type: ignore[no-untyped-def]
    """Say what was booked; go on to the return leg's options when it is still open."""
    if request.replaces_id:
        flash(_("The earlier ride is cancelled; this ride takes its place."))
    if is_awaiting(get_session(), request.id):
        flash(_("Booked. Waiting for the driver to accept; the rider is told once they do."))
    else:
        flash(_("Ride confirmed."))
    inbound = return_leg(get_session(), request.id)
    if inbound is not None and inbound.status == RequestStatus.REQUESTED:
        return redirect(url_for("booking.options", request_id=inbound.id))
    return redirect(url_for("booking.summary", request_id=request.id))


@bp.post("/requests/<int:request_id>/alternative")
@login_required
def book_alternative(request_id: int):  # type: ignore[no-untyped-def]
    """Staff book the alternative (another time or day) the caller accepted."""
    request = own_request(request_id)
    form = AlternativeForm()
    if not form.validate_on_submit():
        abort(400)
    return _taking(request, lambda: take_alternative(
        get_session(), current_user, request, form.offer_id.data, form.day_offset.data,
        form.shift.data, town_tz()))


@bp.post("/requests/<int:request_id>/wait")
@login_required
def wait(request_id: int):  # type: ignore[no-untyped-def]
    """Put the request on the waiting list for the periodic re-planning."""
    request = own_request(request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    put_on_waiting_list(get_session(), current_user, request, town_tz())
    flash(_("The request is on the waiting list."))
    if request.replaces_id:
        flash(_("The earlier ride is cancelled; this ride takes its place."))
    return redirect(url_for("booking.summary", request_id=request.id))


@bp.get("/requests/<int:request_id>")
@login_required
def summary(request_id: int):  # type: ignore[no-untyped-def]
    """What was booked: both legs, with the promised times, to read back to the caller."""
    ride = own_request(request_id)
    session = get_session()
    audit.viewed(session, current_user, [ride.rider_id], "booking summary")
    cards = booking_card(session, ride, town_tz())
    legs = [c.request for c in cards if c.request is not None]
    return render_template("booking/summary.html", legs=legs, cards=cards,
                           rider=session.get(Resident, ride.rider_id), cancel_form=CancelForm(),
                           open_cancel=request.args.get("cancel", type=int),
                           changeable_ids={leg.id for leg in legs
                                           if changeable(session, leg.rider_id, leg.id)},
                           with_return={leg.id for leg in legs
                                        if open_return(session, leg) is not None})
