"""The admin's form for the town's report and open-data settings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, SubmitField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from carshare.db import get_session
from carshare.models import StaffRole, Town
from carshare.services.town_settings import ReportSettings, SettingsError, current, update_settings
from carshare.web.report_blueprint import bp

DAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
        _l("Saturday"), _l("Sunday"))
ERRORS = {
    "bad_phone": _l("Enter the phone number with digits and hyphens, e.g. 01632-2-1111."),
    "bad_url": _l("Enter the address of a web page, starting with https://."),
    "hours_inverted": _l("The service must end after it starts."),
    "no_day": _l("Choose at least one day."),
    "out_of_range": _l("This number is out of range."),
}


def _number(label, top: int) -> IntegerField:  # type: ignore[no-untyped-def]
    return IntegerField(label, [InputRequired(_l("Enter a number.")),
                                NumberRange(0, top, _l("This number is out of range."))])


class ReportSettingsForm(FlaskForm):
    """Service hours and days, booking, website, taxi tariff and CO2 factor."""

    office_phone = StringField(_l("Booking phone number (empty: the installation's)"),
                               [Optional(), Length(max=20)])
    website = StringField(_l("Town website (for the open data)"), [Optional(), Length(max=200)])
    service_start = TimeField(_l("Service starts"), [InputRequired(_l("Enter a time."))])
    service_end = TimeField(_l("Service ends"), [InputRequired(_l("Enter a time."))])
    booking_cutoff = TimeField(_l("Booking closes the day before at"),
                               [InputRequired(_l("Enter a time."))])
    taxi_base_fare_yen = _number(_l("Taxi base fare (yen)"), 100_000)
    taxi_yen_per_km = _number(_l("Taxi fare per km (yen)"), 10_000)
    co2_g_per_km = _number(_l("CO2 per car-km (g)"), 2_000)
    submit = SubmitField(_l("Save"))


for _index, _label in enumerate(DAYS):
    setattr(ReportSettingsForm, f"day_{_index}", BooleanField(_label))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():  # type: ignore[no-untyped-def]
    """Edit the town's report and open-data settings (administrators)."""
    if current_user.role is not StaffRole.ADMIN:
        abort(403)
    session = get_session()
    town = session.get(Town, current_user.town_id)
    values = current(town)
    form = ReportSettingsForm(data={**values.__dict__, **{
        f"day_{i}": values.service_days[i] == "1" for i in range(7)}})
    days_error = ""
    if form.validate_on_submit():
        try:
            update_settings(session, current_user, _input(form))
        except SettingsError as error:
            if error.field == "service_days":
                days_error = str(ERRORS[error.code])
            else:
                form[error.field].errors = [*form[error.field].errors, str(ERRORS[error.code])]
        else:
            flash(_("The settings were saved."))
            return redirect(url_for("reports.settings"))
    status = 400 if days_error or any(f.errors for f in form) else 200
    days = [form[f"day_{i}"] for i in range(7)]
    return render_template("reports/settings.html", form=form, days=days,
                           days_error=days_error), status


def _input(form: ReportSettingsForm) -> ReportSettings:
    return ReportSettings(
        office_phone=(form.office_phone.data or "").strip(),
        website=(form.website.data or "").strip(), service_start=form.service_start.data,
        service_end=form.service_end.data,
        service_days="".join("1" if form[f"day_{i}"].data else "0" for i in range(7)),
        booking_cutoff=form.booking_cutoff.data, taxi_base_fare_yen=form.taxi_base_fare_yen.data,
        taxi_yen_per_km=form.taxi_yen_per_km.data, co2_g_per_km=form.co2_g_per_km.data)
