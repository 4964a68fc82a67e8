"""The manifest of a day, the trip buttons (also replayed from an offline queue), and the
service worker that keeps the manifest readable without a connection."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from flask import (
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf

from carshare.db import get_session
from carshare.extensions import csrf
from carshare.models import Offer, Place, TripEventKind, utcnow
from carshare.services.batch import by_id
from carshare.services.driver_assignments import pending
from carshare.services.driver_manifest import (
    can_open,
    manifest,
    phones_shown,
    rides_promised_on,
)
from carshare.services.driver_trips import Press, TripError, record
from carshare.services.legs import own_trip
from carshare.services.notify_facts import questions_facts
from carshare.services.press_safety import UNDO_FOR, is_far, planned_time, undo
from carshare.web.driver.blueprint import bp, driver_required, me, not_yours, today, tz
from carshare.web.driver.messages import driver_message
from carshare.web.trip_words import question_words
from carshare.web.validators import day_arg

QUEUE_HEADER = "X-Carshare-Queue"  # sent by driver.js; a custom header cannot come cross-site


def _day(text: str | None) -> date:
    """The day asked for (today by default), within the service horizon, else 400."""
    return day_arg(text)


@bp.get("/")
@driver_required
def home():  # type: ignore[no-untyped-def]
    """Start at today's manifest."""
    return redirect(url_for("driver.day"))


@bp.get("/day")
@driver_required
def day():  # type: ignore[no-untyped-def]
    """The driver's trips of today (or tomorrow, or yesterday) with open questions on top."""
    resident, driver = me()
    shown = _day(request.args.get("day"))
    if not can_open(shown, today(), rides_promised_on(get_session(), driver, shown, tz())):
        not_yours("manifest day", shown)
    return _render(shown)


def _render(shown: date, error: str = "", status: int = 200,  # type: ignore[no-untyped-def]
            ask: dict | None = None):
    resident, driver = me()
    session = get_session()
    with_phones = phones_shown(shown, today())
    return render_template("driver/day.html", day=shown, today=today(), error=error,
                           trips=manifest(session, resident, driver, shown, with_phones),
                           with_phones=with_phones, ask=ask,
                           undo_after=utcnow() - UNDO_FOR,
                           now_local=utcnow().astimezone(tz()).strftime("%H:%M"),
                           questions=_questions(driver), driver=driver,
                           soon=today() + timedelta(days=30),
                           new_id=lambda: uuid.uuid4().hex), status


def _questions(driver) -> list[tuple]:  # type: ignore[no-untyped-def]
    """The driver's open questions as the page shows them: (assignment, ride, the driver's
    own trip of that offer, the words for the rider and places), loaded a table at a time."""
    session = get_session()
    rows = pending(session, driver, utcnow())
    if not rows:
        return []
    offers = by_id(session, Offer, (row.offer_id for row, _ in rows))
    places = by_id(session, Place, (o.destination_place_id for o in offers.values()))
    facts = questions_facts(session, [ride for _, ride in rows])
    return [(row, ride, own_trip(session, offers[row.offer_id], places),
             question_words(ride, facts[ride.id])) for row, ride in rows]


@bp.post("/trips/<int:offer_id>/<day_text>/press")
@csrf.exempt
@driver_required
def press(offer_id: int, day_text: str):  # type: ignore[no-untyped-def]
    """Record one button press; a repeat changes nothing. JSON for the offline queue."""
    queued = request.headers.get(QUEUE_HEADER) == "1"
    if not queued:
        validate_csrf(request.form.get("csrf_token", ""))
    resident, driver = me()
    shown = _day(day_text)
    offer = get_session().get(Offer, offer_id)
    if offer is None or offer.driver_id != driver.id or not can_open(shown, today()):
        not_yours("trip", f"{offer_id}/{day_text}")
    try:
        pressed = _press(offer_id, shown)
        if request.form.get("confirmed") != "1" and is_far(get_session(), resident.town_id,
                                                          pressed):
            return _ask_first(shown, pressed, queued)
        record(get_session(), resident.town_id, resident, pressed, utcnow())
    except (TripError, ValueError) as error:
        get_session().rollback()
        text = driver_message(getattr(error, "code", "bad_press"))
        return (jsonify(ok=False, message=text), 409) if queued else _render(shown, text, 409)
    return jsonify(ok=True) if queued else redirect(url_for("driver.day", day=shown))


def _ask_first(shown: date, pressed: Press, queued: bool):  # type: ignore[no-untyped-def]
    """A press far from the planned time: show the plan's time and ask before recording
    (the phone's queue gets the question as JSON and asks with a dialog)."""
    planned = planned_time(get_session(), me()[0].town_id, pressed)
    if queued:
        text = _("The plan has this at %(t)s. Record it anyway?",
                 t=planned.astimezone(tz()).strftime("%H:%M")) if planned else ""
        return jsonify(ok=False, ask=True, message=text), 409
    fields = {k: request.form.get(k, "") for k in ("kind", "request_id", "client_event_id",
                                                   "happened_at", "reason")}
    return _render(shown, "", 409, {"fields": fields, "planned": planned,
                                    "offer_id": pressed.offer_id})


@bp.post("/events/<int:event_id>/undo")
@driver_required
def undo_press(event_id: int):  # type: ignore[no-untyped-def]
    """Take back a press within ten minutes (pressed by mistake)."""
    validate_csrf(request.form.get("csrf_token", ""))
    _resident, driver = me()
    try:
        event = undo(get_session(), driver.id, event_id, utcnow())
    except TripError as error:
        get_session().rollback()
        if error.code == "not_yours":
            not_yours("trip event", event_id)
        flash(driver_message(error.code))
        return redirect(url_for("driver.day"))
    flash(_("The press was taken back."))
    return redirect(url_for("driver.day", day=event.service_date))


def _press(offer_id: int, shown: date) -> Press:
    form = request.form
    kind = TripEventKind(form.get("kind", ""))
    rider = form.get("request_id") or None
    event_id = form.get("client_event_id", "")
    if not 8 <= len(event_id) <= 64:
        raise ValueError("bad_press")
    return Press(offer_id, shown, kind, int(rider) if rider else None, event_id,
                 _when(form.get("happened_at")), form.get("reason", "").strip())


def _when(text: str | None) -> datetime:
    """The phone's time of the press (an offline press is sent later); never in the future."""
    now = utcnow()
    if not text:
        return now
    at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if at.tzinfo is None:
        raise ValueError("bad_press")
    return min(at, now)


@bp.get("/sw.js")
def service_worker():  # type: ignore[no-untyped-def]
    """The service worker, served under /driver/ so that it may cache the manifest."""
    response = current_app.send_static_file("driver-sw.js")
    response.headers["Cache-Control"] = "no-cache"
    response.mimetype = "text/javascript"
    return response
