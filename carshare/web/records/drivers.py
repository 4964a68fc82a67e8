"""Drivers: the role of a resident, with licence and insurance expiry shown red when due."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session

from carshare.db import get_session
from carshare.services.records import RecordError
from carshare.services.records.drivers import (
    DriverRow,
    create_driver,
    deactivate_driver,
    list_drivers,
    open_driver,
    update_driver,
)
from carshare.services.records.reactivation import reactivate_driver
from carshare.services.records.resident_queries import resident_choices
from carshare.web.records.blueprint import bp
from carshare.web.records.common import attach, form_page, list_args, saved, today
from carshare.web.records.fleet_forms import DriverForm


@bp.get("/drivers")
def drivers():  # type: ignore[no-untyped-def]
    """Drivers of the town; expired or soon-expiring documents are shown in red."""
    query, inactive = list_args()
    rows = list_drivers(get_session(), current_user, today(), query, inactive)
    return render_template("records/drivers.html", rows=rows, query=query, inactive=inactive)


@bp.route("/drivers/new", methods=["GET", "POST"])
def new_driver():  # type: ignore[no-untyped-def]
    """Give a registered resident the driver role."""
    form = DriverForm()
    people = resident_choices(get_session(), current_user, drivers_only=False)
    form.resident_id.choices = [(p.id, f"{p.family_name} {p.given_name}（{p.family_name_kana}"
                                       f" {p.given_name_kana}）") for p in people]
    if saved(form, lambda: create_driver(get_session(), current_user, form.resident_id.data,
                                         form.licence_expiry.data, form.insurance_expiry.data,
                                         today())):
        flash(_("The driver was registered. Add their car next."))
        return redirect(url_for("records.new_vehicle"))
    return form_page(form, _("New driver"))


@bp.route("/drivers/<int:driver_id>", methods=["GET", "POST"])
def edit_driver(driver_id: int):  # type: ignore[no-untyped-def]
    """Show a driver and record new expiry dates of their documents."""
    row = open_driver(get_session(), current_user, driver_id, today())
    form = DriverForm(obj=row.driver) if request.method == "GET" else DriverForm()
    del form.resident_id
    if saved(form, lambda: update_driver(get_session(), current_user, driver_id,
                                         form.licence_expiry.data, form.insurance_expiry.data,
                                         today())):
        flash(_("The changes were saved."))
        return redirect(url_for("records.drivers"))
    return _edit_page(form, row)


def _edit_page(form: DriverForm, row: DriverRow, status: int | None = None):  # type: ignore[no-untyped-def]
    name = f"{row.resident.family_name} {row.resident.given_name}"
    return form_page(form, _("Driver: %(name)s", name=name), status=status, row=row,
                     template="records/driver_form.html", active=row.driver.active,
                     deactivate_url=url_for("records.deactivate_driver", driver_id=row.driver.id),
                     deactivate_label=_("End the driver role"),
                     reactivate_url=url_for("records.reactivate_driver", driver_id=row.driver.id))


@bp.post("/drivers/<int:driver_id>/deactivate", endpoint="deactivate_driver")
def deactivate(driver_id: int):  # type: ignore[no-untyped-def]
    """End a driver role; refused while riders are booked with them."""
    return _change(driver_id, lambda s: deactivate_driver(s, current_user, driver_id),
                   _("The driver role was ended."), url_for("records.drivers"))


@bp.post("/drivers/<int:driver_id>/reactivate", endpoint="reactivate_driver")
def reactivate(driver_id: int):  # type: ignore[no-untyped-def]
    """Give an ended driver role back."""
    return _change(driver_id, lambda s: reactivate_driver(s, current_user, driver_id),
                   _("The record is active again."),
                   url_for("records.edit_driver", driver_id=driver_id))


def _change(driver_id: int, change: Callable[[Session], object], done: str, target: str):  # type: ignore[no-untyped-def]
    session = get_session()
    row = open_driver(session, current_user, driver_id, today())
    try:
        change(session)
    except RecordError as error:
        session.rollback()
        form = DriverForm(obj=row.driver, formdata=None)
        del form.resident_id
        attach(form, error)
        return _edit_page(form, row, status=409)
    flash(done)
    return redirect(target)
