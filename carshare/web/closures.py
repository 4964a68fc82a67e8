"""Road closures (通行止め): staff enter one for a day, see the days ahead, lift one (issue 20)."""

from __future__ import annotations

import math

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired

from carshare.db import get_session
from carshare.models import ClosureKind, PlanningRun
from carshare.presenters.messages import message
from carshare.presenters.town import town_tz
from carshare.services import replan_runs
from carshare.services.closures import (
    NOTE_LENGTH,
    ClosureError,
    ClosureInput,
    Effect,
    add_closure,
    after_change,
    closures_from,
    facilities,
    facility_point,
    lift_closure,
)
from carshare.services.travel import model_info
from carshare.timeutil import local_today

bp = Blueprint("closures", __name__)

CODES = {
    "closure_day_past": _l("A closure can be entered for today or a later day."),
    "closure_point_missing": _l("Enter the latitude and longitude, or choose a place."),
    "closure_point_far": _l("This point is not near the town (more than 50 km from every "
                            "place). Check the latitude and longitude."),
    "closure_same_point": _l("The two ends of the road are the same point. For one spot, "
                             "choose an area."),
    "closure_radius": _l("Enter a width from 10 to 20000 metres."),
    "closure_note_long": _l("Use at most 200 characters."),
    "closure_note_characters": _l("The note cannot contain line breaks or invisible "
                                  "characters."),
    "closure_unknown_place": _l("Choose a place from the list."),
    "not_a_number": _l("Enter a number."),
}
#: Which form field shows a service error about a point.
FIELDS = {"place": "place1"}


class ClosureForm(FlaskForm):
    """A closure for one day: a stretch of road or an area, how wide, and why."""

    day = DateField(_l("Day"), [InputRequired(_l("Enter the day."))])
    kind = RadioField(_l("What is closed"), default=ClosureKind.SEGMENT.value, choices=[
        (ClosureKind.SEGMENT.value, _l("A stretch of road (between two points)")),
        (ClosureKind.AREA.value, _l("An area (around one point)"))])
    place1 = SelectField(_l("A place of the town"), default="")
    lat = StringField(_l("or latitude"), render_kw={"inputmode": "decimal"})
    lon = StringField(_l("longitude"), render_kw={"inputmode": "decimal"})
    place2 = SelectField(_l("A place of the town"), default="")
    lat2 = StringField(_l("or latitude"), render_kw={"inputmode": "decimal"})
    lon2 = StringField(_l("longitude"), render_kw={"inputmode": "decimal"})
    radius_m = StringField(_l("Width (metres either side of the road, or the area's radius; "
                              "10–20000)"), default="100", render_kw={"inputmode": "numeric"})
    note = StringField(_l("Note (which road, why)"), render_kw={"maxlength": NOTE_LENGTH})
    submit = SubmitField(_l("Enter the closure"))


class LiftForm(FlaskForm):
    """Lift a closure (CSRF only)."""


def _form() -> ClosureForm:
    form = ClosureForm()
    choices = [("", _("— enter the coordinates —"))]
    choices += [(str(p.id), p.name) for p in facilities(get_session(), current_user.town_id)]
    form.place1.choices, form.place2.choices = choices, list(choices)
    if not form.is_submitted():
        form.day.data = local_today(town_tz())
    return form


def _render(form: ClosureForm, status: int = 200):  # type: ignore[no-untyped-def]
    session, today = get_session(), local_today(town_tz())
    run = _run(request.args.get("run", type=int))
    return render_template("closures/index.html", form=form, lift_form=LiftForm(),
                           rows=closures_from(session, current_user.town_id, today),
                           roads=model_info().roads, run=run), status


def _run(run_id: int | None) -> PlanningRun | None:
    run = get_session().get(PlanningRun, run_id) if run_id else None
    return run if run is not None and run.town_id == current_user.town_id else None


@bp.get("/closures")
@login_required
def index():  # type: ignore[no-untyped-def]
    """The closures of today and the coming days, and the form for a new one."""
    return _render(_form())


@bp.post("/closures")
@login_required
def create():  # type: ignore[no-untyped-def]
    """Store a closure, then measure its day's plan against it (re-planning if needed)."""
    session, form = get_session(), _form()
    if not form.validate_on_submit():
        return _render(form, 400)
    today = local_today(town_tz())
    try:
        closure = add_closure(session, current_user, _input(form), today)
    except ClosureError as error:
        session.rollback()
        _blame(form, error)
        return _render(form, 400)
    effect = after_change(session, current_user, closure.day, today)
    return _done(effect, _("The closure was entered."))


@bp.post("/closures/<int:closure_id>/lift")
@login_required
def lift(closure_id: int):  # type: ignore[no-untyped-def]
    """Lift a closure (解除): the road is open again that day."""
    if not LiftForm().validate_on_submit():
        abort(400)
    session, today = get_session(), local_today(town_tz())
    try:
        closure = lift_closure(session, current_user, closure_id)
    except ClosureError as error:
        session.rollback()
        abort(404 if error.code == "unknown_closure" else 409)
    effect = after_change(session, current_user, closure.day, today, lifted=True)
    return _done(effect, _("The closure was lifted."))


def _done(effect: Effect, first: str):  # type: ignore[no-untyped-def]
    if effect.started:
        replan_runs.launch(current_app._get_current_object(), effect.run.id)
    flash(_sentences(first, outcome(effect)))
    run = effect.run.id if effect.run is not None else None
    return redirect(url_for("closures.index", run=run))


def outcome(effect: Effect) -> str:
    """Return what the closure did to its day's plan, in words for staff."""
    if not effect.planned:
        return _("The day has no plan yet; planning will avoid the closed roads.")
    if not effect.roads:
        if not effect.at_risk:
            return _("No planned ride crosses the closed area.")
        return _("%(n)d planned rides cross the closed area: they are shown as at risk. "
                 "Without road data detours cannot be computed, so please phone the drivers.",
                 n=effect.at_risk)
    if effect.run is None:
        return _("No planned ride is affected.")
    said = _("%(n)d rides affected: re-planning started.", n=effect.affected)
    if effect.at_risk:
        said = _sentences(said, _("%(n)d of them cannot keep the promised time as planned and "
                                  "are shown as at risk until the new plan is ready.",
                                  n=effect.at_risk))
    return said


def _sentences(*parts: str) -> str:
    """Join sentences as the language writes them (Japanese: no space between)."""
    return ("" if str(get_locale()) == "ja" else " ").join(parts)


def _input(form: ClosureForm) -> ClosureInput:
    kind = ClosureKind(form.kind.data)
    lat, lon = _point(form, "place1", "lat", "lon")
    lat2, lon2 = (_point(form, "place2", "lat2", "lon2") if kind is ClosureKind.SEGMENT
                  else (None, None))
    radius = _number(form.radius_m.data, "radius_m")
    return ClosureInput(form.day.data, kind, lat, lon,
                        None if radius is None else round(radius), form.note.data or "",
                        lat2, lon2)


def _point(form: ClosureForm, place: str, lat: str, lon: str
           ) -> tuple[float | None, float | None]:
    chosen = form[place].data
    if chosen:
        if not chosen.isdigit():
            raise ClosureError(place, "closure_unknown_place")
        try:
            return facility_point(get_session(), current_user.town_id, int(chosen))
        except ClosureError:
            raise ClosureError(place, "closure_unknown_place") from None
    return _number(form[lat].data, lat), _number(form[lon].data, lon)


def _number(text: str | None, field: str) -> float | None:
    raw = (text or "").strip().translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-"))
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ClosureError(field, "not_a_number") from None
    if not math.isfinite(value):
        raise ClosureError(field, "not_a_number")
    return value


def _blame(form: ClosureForm, error: ClosureError) -> None:
    name = FIELDS.get(error.field, error.field)
    text = str(CODES[error.code]) if error.code in CODES else message(error.code,
                                                                      **error.params)
    target = form[name] if name in form._fields else form.day
    target.errors = [*target.errors, text]

