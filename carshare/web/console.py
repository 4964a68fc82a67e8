"""The phone call: find the caller (or register them) and open the booking form."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from carshare.db import get_session
from carshare.models import ConsentScope
from carshare.presenters.messages import message
from carshare.presenters.town import town_tz
from carshare.services import audit
from carshare.services.lookup import find_callers
from carshare.services.residents import NewCaller, RegistrationError, register_caller, settlements
from carshare.timeutil import local_today
from carshare.web.booking_forms import NewCallerForm

bp = Blueprint("console", __name__)


@bp.get("/call")
@login_required
def call():  # type: ignore[no-untyped-def]
    """The search box that staff type the caller's number or name into."""
    query = request.args.get("q", "")
    return render_template("console/call.html", query=query, matches=_search(query))


@bp.get("/call/search")
@login_required
def search():  # type: ignore[no-untyped-def]
    """Matches as you type (an htmx fragment)."""
    query = request.args.get("q", "")
    return render_template("console/_matches.html", query=query, matches=_search(query))


def _search(query: str) -> list:
    if not query.strip():
        return []
    session = get_session()
    matches = find_callers(session, current_user.town_id, query)
    audit.accessed(session, current_user, "search", "resident",
                   ((m.resident.id, m.resident.id) for m in matches), "caller lookup")
    return matches


def _consents(form: NewCallerForm) -> tuple[ConsentScope, ...]:
    """The consents the caller gave on this call."""
    return tuple(scope for scope in (ConsentScope.RIDES, ConsentScope.PROVIDER_ABROAD)
                 if form[f"consent_{scope.value}"].data)


@bp.route("/residents/new", methods=["GET", "POST"])
@login_required
def new_caller():  # type: ignore[no-untyped-def]
    """Register a first-time caller with the minimum fields, then book for them."""
    session = get_session()
    form = NewCallerForm()
    form.settlement.choices = [(s, s) for s in settlements(session, current_user.town_id)]
    if not form.is_submitted() and request.args.get("phone"):
        form.phone.data = request.args["phone"]
    if form.validate_on_submit():
        try:
            resident = register_caller(session, current_user, NewCaller(
                form.family_name.data, form.given_name.data, form.family_name_kana.data,
                form.given_name_kana.data, form.phone.data, form.settlement.data,
                form.address_note.data or "", _consents(form), local_today(town_tz())))
        except RegistrationError as error:
            session.rollback()
            getattr(form, error.field).errors.append(message(str(error)))
        else:
            return redirect(url_for("booking.book", resident_id=resident.id))
    status = 400 if form.errors else 200
    return render_template("console/new_caller.html", form=form), status
