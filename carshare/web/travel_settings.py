"""The admin's travel-time settings: road circuity, average speed, month factors (17, 20)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DecimalField, SubmitField
from wtforms.validators import InputRequired

from carshare.db import get_session
from carshare.models import StaffRole, TownTravelSettings
from carshare.presenters.town import town_tz
from carshare.services.travel import travel_settings
from carshare.services.travel_settings import (
    RANGES,
    SampleDrive,
    TravelInput,
    TravelSettingsError,
    sample_drive,
    save_travel_settings,
)
from carshare.timeutil import local_today

bp = Blueprint("travel_settings", __name__, url_prefix="/settings")

MONTHS = (_l("January"), _l("February"), _l("March"), _l("April"), _l("May"), _l("June"),
          _l("July"), _l("August"), _l("September"), _l("October"), _l("November"),
          _l("December"))


def _number(label, name: str, step: str) -> DecimalField:  # type: ignore[no-untyped-def]
    low, high, places = RANGES[name]
    return DecimalField(label, [InputRequired(_l("Enter a number."))], places=places,
                        render_kw={"inputmode": "decimal", "min": low, "max": high, "step": step})


class TravelSettingsForm(FlaskForm):
    """Circuity, speed and the twelve month factors."""

    circuity = _number(_l("Road circuity (km by road per km in a straight line, 1.0–2.0)"),
                       "circuity", "0.01")
    speed_kmh = _number(_l("Average speed (km/h, 20–100)"), "speed_kmh", "0.1")
    submit = SubmitField(_l("Save"))


for _index, _label in enumerate(MONTHS, start=1):
    setattr(TravelSettingsForm, f"month_{_index}", _number(_label, "month_factor", "0.01"))


@bp.route("/travel", methods=["GET", "POST"])
@login_required
def travel():  # type: ignore[no-untyped-def]
    """Edit the town's travel-time settings and see its main drive timed (administrators)."""
    if current_user.role is not StaffRole.ADMIN:
        abort(403)
    session = get_session()
    form = TravelSettingsForm(data=_form_data(travel_settings(session, current_user.town_id)))
    if form.validate_on_submit():
        try:
            save_travel_settings(session, current_user, _input(form))
        except TravelSettingsError as error:
            session.rollback()
            _blame(form, error)
        else:
            flash(_("The travel settings were saved."))
            return redirect(url_for("travel_settings.travel"))
    sample = sample_drive(session, current_user.town_id, local_today(town_tz()).year)
    minutes = sample.minutes if sample else (None,) * 12
    return render_template("settings/travel.html", form=form, sample=sample_text(sample),
                           months=[(form[f"month_{m}"], minutes[m - 1]) for m in range(1, 13)],
                           ), 400 if form.is_submitted() else 200


def sample_text(sample: SampleDrive | None) -> tuple[str, str] | None:
    """Return the drive ("A → B, about 68 km by road") and its quickest and slowest months."""
    if sample is None:
        return None
    drive = _("%(origin)s → %(target)s (about %(km)s km by road)", origin=sample.origin,
              target=sample.target, km=sample.km)
    fast, slow = min(sample.minutes), max(sample.minutes)
    if fast == slow:
        return drive, _("About %(minutes)s min all year", minutes=fast)
    return drive, _("%(fast_month)s about %(fast)s min · %(slow_month)s about %(slow)s min",
                    fast_month=MONTHS[sample.minutes.index(fast)], fast=fast,
                    slow_month=MONTHS[sample.minutes.index(slow)], slow=slow)


def _form_data(row: TownTravelSettings) -> dict[str, object]:
    data: dict[str, object] = {"circuity": row.circuity, "speed_kmh": row.speed_kmh}
    data.update({f"month_{m}": factor for m, factor in enumerate(row.factors, start=1)})
    return data


def _input(form: TravelSettingsForm) -> TravelInput:
    return TravelInput(circuity=float(form.circuity.data), speed_kmh=float(form.speed_kmh.data),
                       month_factors=tuple(float(form[f"month_{m}"].data)
                                           for m in range(1, 13)))


def _blame(form: TravelSettingsForm, error: TravelSettingsError) -> None:
    if error.field in form._fields:
        low, high, _places = RANGES.get(error.field, RANGES["month_factor"])
        shown = lambda v: f"{v:g}" if v >= 10 else f"{v:.1f}"  # noqa: E731  (20, 1.0)
        message = _("Enter a number from %(low)s to %(high)s.", low=shown(low), high=shown(high))
        form[error.field].errors = [*form[error.field].errors, message]
    else:
        form.form_errors.append(_("Enter a factor for each month."))
