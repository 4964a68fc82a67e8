"""Drivers' cars: list, add, edit, take out of service."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session

from carshare.db import get_session
from carshare.services.records import RecordError
from carshare.services.records.drivers import driver_choices
from carshare.services.records.reactivation import reactivate_vehicle
from carshare.services.records.vehicles import (
    VehicleRow,
    create_vehicle,
    deactivate_vehicle,
    list_vehicles,
    own_vehicle,
    update_vehicle,
)
from carshare.web.records.blueprint import bp
from carshare.web.records.common import attach, form_page, list_args, saved
from carshare.web.records.fleet_forms import VehicleForm


@bp.get("/vehicles")
def vehicles():  # type: ignore[no-untyped-def]
    """Cars of the town's drivers, searched by plate, colour, model or driver."""
    query, inactive = list_args()
    rows = list_vehicles(get_session(), current_user, query, inactive)
    return render_template("records/vehicles.html", rows=rows, query=query, inactive=inactive)


@bp.route("/vehicles/new", methods=["GET", "POST"])
def new_vehicle():  # type: ignore[no-untyped-def]
    """Add a car to a driver (preselected when coming from the driver's page)."""
    form = VehicleForm()
    form.driver_id.choices = [(driver_id, f"{r.family_name} {r.given_name}")
                              for driver_id, r in driver_choices(get_session(), current_user)]
    if not form.is_submitted():
        form.driver_id.data = request.args.get("driver_id", type=int)
    if saved(form, lambda: create_vehicle(get_session(), current_user, form.driver_id.data,
                                          form.to_input())):
        flash(_("The car was added."))
        return redirect(url_for("records.vehicles"))
    return form_page(form, _("New car"))


@bp.route("/vehicles/<int:vehicle_id>", methods=["GET", "POST"])
def edit_vehicle(vehicle_id: int):  # type: ignore[no-untyped-def]
    """Change a car's details (its driver stays the same)."""
    row = own_vehicle(get_session(), current_user, vehicle_id)
    form = VehicleForm(obj=row.vehicle) if request.method == "GET" else VehicleForm()
    del form.driver_id
    if saved(form, lambda: update_vehicle(get_session(), current_user, vehicle_id,
                                          form.to_input())):
        flash(_("The changes were saved."))
        return redirect(url_for("records.vehicles"))
    return _edit_page(form, row)


def _edit_page(form: VehicleForm, row: VehicleRow, status: int | None = None):  # type: ignore[no-untyped-def]
    driver = f"{row.resident.family_name} {row.resident.given_name}"
    return form_page(form, _("Car: %(plate)s", plate=row.vehicle.plate), status=status,
                     summary=_("Driver: %(name)s", name=driver), active=row.vehicle.active,
                     deactivate_url=url_for("records.deactivate_vehicle",
                                            vehicle_id=row.vehicle.id),
                     deactivate_label=_("Take the car out of service"),
                     reactivate_url=url_for("records.reactivate_vehicle",
                                            vehicle_id=row.vehicle.id))


@bp.post("/vehicles/<int:vehicle_id>/deactivate", endpoint="deactivate_vehicle")
def deactivate(vehicle_id: int):  # type: ignore[no-untyped-def]
    """Take a car out of service; refused while riders are booked in it."""
    return _change(vehicle_id, lambda s: deactivate_vehicle(s, current_user, vehicle_id),
                   _("The car was taken out of service."), url_for("records.vehicles"))


@bp.post("/vehicles/<int:vehicle_id>/reactivate", endpoint="reactivate_vehicle")
def reactivate(vehicle_id: int):  # type: ignore[no-untyped-def]
    """Put a car back in service."""
    return _change(vehicle_id, lambda s: reactivate_vehicle(s, current_user, vehicle_id),
                   _("The record is active again."),
                   url_for("records.edit_vehicle", vehicle_id=vehicle_id))


def _change(vehicle_id: int, change: Callable[[Session], object], done: str, target: str):  # type: ignore[no-untyped-def]
    session = get_session()
    row = own_vehicle(session, current_user, vehicle_id)
    try:
        change(session)
    except RecordError as error:
        session.rollback()
        form = VehicleForm(obj=row.vehicle, formdata=None)
        del form.driver_id
        attach(form, error)
        return _edit_page(form, row, status=409)
    flash(done)
    return redirect(target)
