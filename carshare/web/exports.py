"""CSV exports for staff: residents, offers, rides; the audit log for admins.

Each export is a POST with its purpose (CSRF-protected), because it is written to the audit
log; a bad form answers 400 with the page and its errors, and nothing is exported.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from carshare.db import get_session
from carshare.models import StaffRole
from carshare.presenters.report_labels import RANGE_ERRORS
from carshare.presenters.town import town_tz
from carshare.services import exports
from carshare.services.exports import ExportError, Table
from carshare.timeutil import local_today
from carshare.web.csv_response import csv_response
from carshare.web.export_labels import column_label, value_label

bp = Blueprint("exports", __name__, url_prefix="/exports")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ExportForm(FlaskForm):
    """Why the data leaves the system (written to the audit log)."""

    purpose = StringField(_l("Purpose of the export"), [
        DataRequired(_l("Say why you export these data.")), Length(min=3, max=200)])
    submit = SubmitField(_l("Download CSV"))


class RangeExportForm(ExportForm):
    """An export of a date range, both days included."""

    start = DateField(_l("Start date"), [DataRequired(_l("Enter a date as YYYY-MM-DD."))])
    end = DateField(_l("End date"), [DataRequired(_l("Enter a date as YYYY-MM-DD."))])


@bp.before_request
def _no_control_characters() -> None:
    """Refuse control characters no keyboard types (PostgreSQL rejects NUL)."""
    if any(CONTROL.search(v) for v in [*request.args.values(), *request.form.values()]):
        abort(400)


@bp.get("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    """The export page: one form per export."""
    return _page()


@bp.post("/residents.csv")
@login_required
def residents():  # type: ignore[no-untyped-def]
    """Residents with their consents (personal data: audited)."""
    form = ExportForm(prefix="residents")
    if not form.validate_on_submit():
        return _page(residents=form), 400
    table = exports.export_residents(get_session(), current_user, form.purpose.data.strip())
    return _download("residents", table)


@bp.post("/offers.csv")
@login_required
def offers():  # type: ignore[no-untyped-def]
    """Drivers' offers (names and homes: audited)."""
    form = ExportForm(prefix="offers")
    if not form.validate_on_submit():
        return _page(offers=form), 400
    table = exports.export_offers(get_session(), current_user, form.purpose.data.strip())
    return _download("offers", table)


@bp.post("/trips.csv")
@login_required
def trips():  # type: ignore[no-untyped-def]
    """Rides of a date range with riders, drivers and times (audited)."""
    return _ranged("trips", exports.export_trips)


@bp.post("/audit.csv")
@login_required
def audit_log():  # type: ignore[no-untyped-def]
    """The audit log of a date range; administrators only."""
    if current_user.role is not StaffRole.ADMIN:
        abort(403)
    return _ranged("audit", exports.export_audit_log)


def _ranged(name: str, export):  # type: ignore[no-untyped-def]
    form = RangeExportForm(prefix=name)
    if form.validate_on_submit():
        try:
            table = export(get_session(), current_user, form.purpose.data.strip(),
                           form.start.data, form.end.data, town_tz())
        except ExportError as error:
            form.end.errors = [*form.end.errors, str(RANGE_ERRORS.get(error.code, error.code))]
        else:
            return _download(f"{name}-{form.start.data}-{form.end.data}", table)
    return _page(**{name: form}), 400


def _download(name: str, table: Table):  # type: ignore[no-untyped-def]
    return csv_response(f"{name}-{local_today(town_tz())}.csv" if "-" not in name
                        else f"{name}.csv", [column_label(c) for c in table.columns],
                        [[value_label(c, v) for c, v in zip(table.columns, row, strict=False)]
                         for row in table.rows])


def _page(**forms: FlaskForm) -> str:
    forms = {"residents": ExportForm(prefix="residents", formdata=None),
             "offers": ExportForm(prefix="offers", formdata=None),
             "trips": RangeExportForm(prefix="trips", formdata=None),
             "audit": RangeExportForm(prefix="audit", formdata=None), **forms}
    return render_template("reports/exports.html", forms=forms,
                           admin=current_user.role is StaffRole.ADMIN,
                           title=_("Exports"))
