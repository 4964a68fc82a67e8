"""Admin pages for a resident's rights and the town's retention period.

Disclosure (a JSON file of everything held about a resident) and erasure both need a reason;
erasure also needs the resident's number typed again. Staff who are not admins get 403.
"""

from __future__ import annotations

import json
import re
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from carshare.db import get_session
from carshare.models import ConsentScope, StaffRole, StaffUser, Town, utcnow
from carshare.presenters.town import town_tz
from carshare.services import audit, privacy, retention
from carshare.services.consents import consents_of
from carshare.web.records.consent_fields import METHODS, SCOPE_LABELS
from carshare.web.records.fields import whole

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ERRORS = {
    "reason_missing": _l("Say why (at least a few words)."),
    "confirmation_wrong": _l("Type the resident's number exactly as shown."),
    "already_erased": _l("This resident's data was already erased."),
    "driver_booked": _l("Riders are booked with this driver. Move or cancel their rides first."),
    "retention_range": _l("Enter between 365 and 3650 days."),
}


class ReasonForm(FlaskForm):
    """Why the resident's data is disclosed."""

    reason = StringField(_l("Reason (e.g. the resident's written request of 3 June)"),
                         [DataRequired(ERRORS["reason_missing"]), Length(min=4, max=250)])
    submit = SubmitField(_l("Download everything held (JSON)"))


class EraseForm(FlaskForm):
    """Erasure needs a reason and the resident's number typed again."""

    reason = StringField(_l("Reason"), [DataRequired(ERRORS["reason_missing"]),
                                        Length(min=4, max=250)])
    confirmation = StringField(_l("Type the resident's number to confirm"),
                               [DataRequired(ERRORS["confirmation_wrong"]), Length(max=12)],
                               render_kw={"inputmode": "numeric", "autocomplete": "off"})
    submit = SubmitField(_l("Erase this resident's data"))


class RetentionForm(FlaskForm):
    """The town's retention period."""

    days = whole(_l("Keep rides and messages for (days)"), retention.MIN_DAYS,
                 retention.MAX_DAYS, ERRORS["retention_range"])
    submit = SubmitField(_l("Save"))


@bp.before_request
def _no_control_characters() -> None:
    """Refuse control characters no keyboard types (PostgreSQL rejects NUL): 400, nothing
    written."""
    if any(CONTROL.search(v) for v in [*request.args.values(), *request.form.values()]):
        abort(400)


def admin_only(view: Any) -> Any:
    """Let only signed-in admins in (others: 403)."""
    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_user.role != StaffRole.ADMIN:
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def _resident(resident_id: int):  # type: ignore[no-untyped-def]
    try:
        return privacy.admin_resident(get_session(), current_user, resident_id)
    except privacy.PrivacyError:
        abort(404)


@bp.get("/residents/<int:resident_id>")
@admin_only
def resident(resident_id: int):  # type: ignore[no-untyped-def]
    """The resident's consents, and the disclosure and erasure forms."""
    return _page(resident_id)


def _page(resident_id: int, status: int = 200, **forms: FlaskForm):  # type: ignore[no-untyped-def]
    session, person = get_session(), _resident(resident_id)
    consents = consents_of(session, person.id)
    recorders = {c.recorded_by_id: session.get(StaffUser, c.recorded_by_id).display_name
                 for c in consents.values() if c.recorded_by_id}
    audit.viewed(session, current_user, [person.id], "privacy page")
    return render_template(
        "privacy/resident.html", person=person, consents=consents, recorders=recorders,
        scopes=SCOPE_LABELS, all_scopes=list(ConsentScope), methods=dict(METHODS),
        export_form=forms.get("export") or ReasonForm(prefix="export", formdata=None),
        erase_form=forms.get("erase") or EraseForm(prefix="erase", formdata=None)), status


@bp.post("/residents/<int:resident_id>/export")
@admin_only
def export(resident_id: int):  # type: ignore[no-untyped-def]
    """Download everything held about the resident as JSON (audited)."""
    _resident(resident_id)
    form = ReasonForm(prefix="export")
    if not form.validate_on_submit():
        return _page(resident_id, 400, export=form)
    try:
        data = privacy.export_resident(get_session(), current_user, resident_id,
                                       form.reason.data)
    except privacy.PrivacyError as error:
        get_session().rollback()
        form.reason.errors = [str(ERRORS.get(error.code, error.code))]
        return _page(resident_id, 400, export=form)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="resident-{resident_id}.json"',
        "Cache-Control": "no-store"})


@bp.post("/residents/<int:resident_id>/erase")
@admin_only
def erase(resident_id: int):  # type: ignore[no-untyped-def]
    """Erase the resident's data (rides kept anonymised; promised rides cancelled)."""
    _resident(resident_id)
    form = EraseForm(prefix="erase")
    if not form.validate_on_submit():
        return _page(resident_id, 400, erase=form)
    try:
        cancelled = privacy.erase_resident(get_session(), current_user, resident_id,
                                           form.reason.data, form.confirmation.data,
                                           utcnow(), town_tz())
    except privacy.PrivacyError as error:
        get_session().rollback()
        target = form.confirmation if error.code == "confirmation_wrong" else form.reason
        target.errors = [str(ERRORS.get(error.code, error.code))]
        return _page(resident_id, 409 if error.code != "confirmation_wrong" else 400,
                     erase=form)
    flash(_("The resident's data was erased; %(n)d rides were cancelled and their drivers "
            "will be told.", n=cancelled))
    return redirect(url_for("records.residents"))


@bp.route("/retention", methods=["GET", "POST"])
@admin_only
def retention_period():  # type: ignore[no-untyped-def]
    """How long the town keeps rides and messages before they are anonymised."""
    session = get_session()
    town = session.get(Town, current_user.town_id)
    form = RetentionForm(data={"days": town.retention_days})
    if form.validate_on_submit():
        try:
            retention.set_period(session, current_user, town, form.days.data)
        except retention.RetentionError as error:
            session.rollback()
            form.days.errors = [str(ERRORS[str(error)])]
        else:
            flash(_("The retention period was saved."))
            return redirect(url_for("privacy.retention_period"))
    status = 400 if form.errors else 200
    return render_template("privacy/retention.html", form=form, town=town), status
