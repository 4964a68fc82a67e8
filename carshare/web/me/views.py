"""Sign-in with a code, sign-out, and the home page that leads riders and drivers on."""

from __future__ import annotations

import time
import unicodedata

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from carshare.db import get_session
from carshare.models import utcnow
from carshare.presenters.messages import message
from carshare.services.resident_auth import (
    SESSION_LIFETIME,
    CodePolicy,
    SigninError,
    request_code,
    sign_out,
    town_id_of,
    verify_code,
)
from carshare.web.me.access import COOKIE, current_driver, current_resident, resident_required
from carshare.web.me.forms import CodeForm, PhoneForm

bp = Blueprint("me", __name__, url_prefix="/me")

#: A code request is answered no sooner than this: a known number (whose code is written to
#: the outbox) and an unknown one (nothing to send) then take the same time.
ANSWER_FLOOR_SECONDS = 0.15


def _town_id() -> int:
    return town_id_of(get_session(), current_app.config["TOWN_SLUG"]) or -1


def _wait_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


def _policy() -> CodePolicy:
    return CodePolicy.from_config(current_app.config)


def _refusal(error: SigninError) -> str:
    """The translated reason a code sign-in was refused."""
    from flask_babel import gettext as _

    if error.code == "voice_hours":
        opens = _policy().hours[0]
        return _("At this hour we do not call landlines. Enter a mobile phone number to get "
                 "the code by text message, or try again from %(time)s.",
                 time=f"{opens.hour}:{opens.minute:02d}")
    if error.code == "too_many_codes":
        return _("Several codes were sent to this number lately. Please wait an hour, or call "
                 "the town office.")
    return message(error.code)


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    """Ask for the phone number and send a code to it."""
    form = PhoneForm()
    if form.validate_on_submit():
        started = time.monotonic()
        try:
            nonce = request_code(get_session(), _town_id(), form.phone.data, utcnow(),
                                 _policy())
        except SigninError as error:
            get_session().rollback()
            form.phone.errors = [*form.phone.errors, _refusal(error)]
        else:
            _wait_until(started + ANSWER_FLOOR_SECONDS)
            session["signin_nonce"] = nonce
            session["signin_next"] = _safe_next(request.args.get("next"))
            return redirect(url_for("me.code"))
    return render_template("me/login.html", form=form), 400 if form.errors else 200


@bp.route("/code", methods=["GET", "POST"])
def code():  # type: ignore[no-untyped-def]
    """Take the code; on success keep this phone signed in."""
    form = CodeForm()
    nonce = session.get("signin_nonce")
    if nonce is None:
        return redirect(url_for("me.login"))
    if form.validate_on_submit():
        typed = unicodedata.normalize("NFKC", form.code.data)
        try:
            signed = verify_code(get_session(), nonce, typed, utcnow(), _policy(),
                                 request.headers.get("User-Agent", ""))
        except SigninError as error:
            get_session().rollback()
            form.code.errors = [*form.code.errors, _refusal(error)]
        else:
            session.pop("signin_nonce", None)
            response = redirect(session.pop("signin_next", None) or url_for("me.home"))
            response.set_cookie(COOKIE, signed.token, max_age=int(SESSION_LIFETIME.total_seconds()),
                                httponly=True, samesite="Lax",
                                secure=current_app.config["SESSION_COOKIE_SECURE"])
            return response
    return render_template("me/code.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@resident_required
def logout():  # type: ignore[no-untyped-def]
    """Sign this phone out."""
    from flask_wtf.csrf import validate_csrf

    validate_csrf(request.form.get("csrf_token", ""))
    sign_out(get_session(), request.cookies.get(COOKIE, ""), utcnow())
    response = redirect(url_for("me.login"))
    response.delete_cookie(COOKIE)
    return response


@bp.get("/")
@resident_required
def home():  # type: ignore[no-untyped-def]
    """A rider's rides, and for drivers the way to their trips."""
    return render_template("me/home.html", driver=current_driver())


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/me") and "//" not in target:
        return target
    return None


@bp.app_context_processor
def _me() -> dict:
    return {"me": current_resident,
            "has_endpoint": lambda name: name in current_app.view_functions}


@bp.get("/rides")
@resident_required
def rides():  # type: ignore[no-untyped-def]
    """The rider's upcoming bookings, each as the card the office reads out."""
    from zoneinfo import ZoneInfo

    from carshare.services.rider_portal import upcoming_bookings

    tz = ZoneInfo(current_app.config["TIMEZONE"])
    return render_template("me/rides.html", bookings=upcoming_bookings(
        get_session(), current_resident(), utcnow(), tz))


@bp.get("/rides/<int:request_id>/cancel")
@resident_required
def cancel_ask(request_id: int):  # type: ignore[no-untyped-def]
    """Ask once more before a rider cancels (and whether the way back goes too)."""
    from zoneinfo import ZoneInfo

    from carshare.models import Place
    from carshare.services.trips import open_return

    db, ride = get_session(), _own_ride_or_404(request_id)
    tz = ZoneInfo(current_app.config["TIMEZONE"])
    return render_template("me/cancel.html", ride=ride,
                           day=ride.window_start.astimezone(tz).date(),
                           pickup=db.get(Place, ride.pickup_place_id),
                           dropoff=db.get(Place, ride.dropoff_place_id),
                           has_return=open_return(db, ride) is not None)


def _own_ride_or_404(request_id: int):  # type: ignore[no-untyped-def]
    from flask import abort

    from carshare.models import RideRequest

    ride, rider = get_session().get(RideRequest, request_id), current_resident()
    if ride is None or ride.rider_id != rider.id:
        current_app.logger.warning("resident %s tried ride %s", rider.id, request_id)
        abort(404)
    return ride


@bp.post("/rides/<int:request_id>/cancel")
@resident_required
def cancel(request_id: int):  # type: ignore[no-untyped-def]
    """The rider cancels one of their rides (another rider's ride: 404, logged)."""
    from zoneinfo import ZoneInfo

    from flask import flash
    from flask_babel import gettext as _
    from flask_wtf.csrf import validate_csrf

    from carshare.services.trips import TripError, cancel_by_rider

    validate_csrf(request.form.get("csrf_token", ""))
    db, rider = get_session(), current_resident()
    ride = _own_ride_or_404(request_id)
    try:
        outcome = cancel_by_rider(db, rider, ride, utcnow(),
                                  current_app.config["LATE_CANCEL_HOURS"],
                                  ZoneInfo(current_app.config["TIMEZONE"]),
                                  with_return=request.form.get("with_return") == "1")
    except TripError as error:
        db.rollback()
        flash(message(error.code))
    else:
        flash(_("Your ride is cancelled.") if outcome == "rider_cancel" else
              _("Your ride is cancelled (late cancellation)."))
    return redirect(url_for("me.rides"))
