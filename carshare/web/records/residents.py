"""Residents' records: list and search, register, edit, deactivate (every view audited)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session

from carshare.db import get_session
from carshare.services.records import RecordError
from carshare.services.records.place_queries import home_choices
from carshare.services.records.reactivation import reactivate_resident
from carshare.services.records.resident_queries import ResidentRow, list_residents, open_resident
from carshare.services.records.residents import (
    create_resident,
    deactivate_resident,
    update_resident,
)
from carshare.web.records.blueprint import bp
from carshare.web.records.common import attach, form_page, list_args, saved, today
from carshare.web.records.reasons import OPEN_REASONS
from carshare.web.records.resident_forms import ResidentForm, resident_data


@bp.get("/residents")
def residents():  # type: ignore[no-untyped-def]
    """Residents of the town, searched by phone, kanji or any kana form."""
    query, inactive = list_args()
    rows = list_residents(get_session(), current_user, query, inactive)
    return render_template("records/residents.html", rows=rows, query=query, inactive=inactive,
                           why=_why(), reasons=OPEN_REASONS)


def _why() -> str:
    """Return the reason code staff gave for opening records (``records`` by default)."""
    code = request.args.get("why", "records")
    return code if code in OPEN_REASONS else "records"


def _form(resident_id: int | None = None, **kwargs: object) -> ResidentForm:
    form = ResidentForm(**kwargs)
    homes = home_choices(get_session(), current_user, resident_id)
    form.home_place_id.choices = [("", "—")] + [(p.id, _place_label(p)) for p in homes]
    return form


def _place_label(place) -> str:  # type: ignore[no-untyped-def]
    return f"{place.name}（{place.settlement}）" if place.settlement else place.name


@bp.route("/residents/new", methods=["GET", "POST"])
def new_resident():  # type: ignore[no-untyped-def]
    """Register a resident with everything the office keeps about them."""
    form = _form()
    if saved(form, lambda: create_resident(get_session(), current_user, form.to_input(),
                                           today())):
        flash(_("The resident was registered."))
        return redirect(url_for("records.residents"))
    return form_page(form, _("New resident"))


@bp.route("/residents/<int:resident_id>", methods=["GET", "POST"])
def edit_resident(resident_id: int):  # type: ignore[no-untyped-def]
    """Show and change a resident's record (the view is audited)."""
    row = open_resident(get_session(), current_user, resident_id,
                        f"records: {_why()}" if request.method == "GET" else "records edit")
    if request.method == "GET":
        form = _form(resident_id, data=resident_data(row))
    else:
        form = _form(resident_id)
    if saved(form, lambda: update_resident(get_session(), current_user, resident_id,
                                           form.to_input(), today())):
        flash(_("The changes were saved."))
        return redirect(url_for("records.residents"))
    return _edit_page(form, row)


def _edit_page(form: ResidentForm, row: ResidentRow, status: int | None = None):  # type: ignore[no-untyped-def]
    name = f"{row.resident.family_name} {row.resident.given_name}"
    return form_page(form, _("Resident: %(name)s", name=name), status=status,
                     active=row.resident.active,
                     deactivate_url=url_for("records.deactivate_resident",
                                            resident_id=row.resident.id),
                     reactivate_url=url_for("records.reactivate_resident",
                                            resident_id=row.resident.id),
                     privacy_url=url_for("privacy.resident", resident_id=row.resident.id)
                     if current_user.role == "admin" else None)


@bp.post("/residents/<int:resident_id>/deactivate", endpoint="deactivate_resident")
def deactivate(resident_id: int):  # type: ignore[no-untyped-def]
    """Mark a resident as gone (the CSRF token is checked app-wide); refused while booked."""
    return _change(resident_id, lambda s: deactivate_resident(s, current_user, resident_id,
                                                              today()),
                   _("The resident was deactivated."), url_for("records.residents"))


@bp.post("/residents/<int:resident_id>/reactivate", endpoint="reactivate_resident")
def reactivate(resident_id: int):  # type: ignore[no-untyped-def]
    """Make a deactivated resident active again."""
    return _change(resident_id, lambda s: reactivate_resident(s, current_user, resident_id),
                   _("The record is active again."),
                   url_for("records.edit_resident", resident_id=resident_id))


def _change(resident_id: int, change: Callable[[Session], object], done: str, target: str):  # type: ignore[no-untyped-def]
    session = get_session()
    row = open_resident(session, current_user, resident_id, "records state")
    try:
        change(session)
    except RecordError as error:
        session.rollback()
        form = _form(resident_id, data=resident_data(row), formdata=None)
        attach(form, error)
        return _edit_page(form, row, status=409)
    flash(done)
    return redirect(target)
