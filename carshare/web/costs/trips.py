"""A day's trips with their costs, one trip's cost sheet (items, km), and riders' receipts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from carshare.db import get_session
from carshare.domain.costs import CostError
from carshare.presenters.town import town_tz
from carshare.services import audit
from carshare.services.cost_items import (
    ItemInput,
    add_cost_item,
    remove_cost_item,
    set_trip_distance,
)
from carshare.services.cost_ledger import receipt
from carshare.services.cost_views import day_trips, trip_sheet
from carshare.timeutil import local_today
from carshare.web.costs.blueprint import bp, parse_day
from carshare.web.costs.forms import ActionForm, DistanceForm, ItemForm, kind_choices
from carshare.web.costs.messages import cost_message

NOT_FOUND = ("no_trip", "no_item")


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    """The trips of a day (yesterday by default) with each trip's shared total."""
    text = request.args.get("day")
    day = parse_day(text) if text else local_today(town_tz()).fromordinal(
        local_today(town_tz()).toordinal() - 1)
    return render_template("costs/index.html", day=day,
                           trips=day_trips(get_session(), current_user.town_id, day))


def _sheet_page(offer_id: int, day_text: str, item_form: ItemForm | None = None,
                distance_form: DistanceForm | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    day = parse_day(day_text)
    try:
        sheet = trip_sheet(get_session(), current_user, current_user.town_id, offer_id, day)
    except CostError:
        abort(404)
    item_form = item_form or ItemForm(formdata=None)
    item_form.kind.choices = kind_choices(sheet.insurance_enabled, sheet.rental_enabled)
    distance_form = distance_form or DistanceForm(formdata=None, obj=sheet.distance)
    return render_template("costs/trip.html", sheet=sheet, day=day, item_form=item_form,
                           distance_form=distance_form, action=ActionForm()), status


@bp.get("/trips/<int:offer_id>/<day_text>")
def trip(offer_id: int, day_text: str):  # type: ignore[no-untyped-def]
    """One trip's actual costs, each rider's part, and forms to enter tolls, parking, km."""
    return _sheet_page(offer_id, day_text)


@bp.post("/trips/<int:offer_id>/<day_text>/items")
def add_item(offer_id: int, day_text: str):  # type: ignore[no-untyped-def]
    """Add a toll, parking fee or optional item to the trip."""
    day, form = parse_day(day_text), ItemForm()
    form.kind.choices = kind_choices(True, True)  # the service refuses kinds not enabled
    if form.validate_on_submit():
        data = ItemInput(form.kind.data, form.amount_yen.data, form.extra.data,
                         form.note.data or "")
        try:
            add_cost_item(get_session(), current_user, current_user.town_id, offer_id, day, data)
        except CostError as error:
            get_session().rollback()
            if error.code in NOT_FOUND:
                abort(404)
            form.amount_yen.errors = [cost_message(error.code)]
        else:
            flash(_("The cost was added."))
            return redirect(url_for("costs.trip", offer_id=offer_id, day_text=day_text))
    return _sheet_page(offer_id, day_text, item_form=form, status=400)


@bp.post("/items/<int:item_id>/delete")
def delete_item(item_id: int):  # type: ignore[no-untyped-def]
    """Remove an entered item."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        row = remove_cost_item(get_session(), current_user, current_user.town_id, item_id)
    except CostError:
        get_session().rollback()
        abort(404)
    flash(_("The cost was removed."))
    return redirect(url_for("costs.trip", offer_id=row.offer_id,
                            day_text=row.service_date.isoformat()))


@bp.post("/trips/<int:offer_id>/<day_text>/distance")
def distance(offer_id: int, day_text: str):  # type: ignore[no-untyped-def]
    """Set (or clear) the driven km from the odometer."""
    day, form = parse_day(day_text), DistanceForm()
    if form.validate_on_submit():
        try:
            km = Decimal(form.km.data) if form.km.data else None
            set_trip_distance(get_session(), current_user, offer_id, day, km, form.note.data or "")
        except InvalidOperation:
            form.km.errors = [cost_message("bad_distance")]
        except CostError as error:
            get_session().rollback()
            if error.code in NOT_FOUND:
                abort(404)
            form.km.errors = [cost_message(error.code)]
        else:
            flash(_("The driven km were saved."))
            return redirect(url_for("costs.trip", offer_id=offer_id, day_text=day_text))
    return _sheet_page(offer_id, day_text, distance_form=form, status=400)


@bp.get("/receipts/<int:request_id>")
def receipt_page(request_id: int):  # type: ignore[no-untyped-def]
    """A rider's receipt of actual costs, to print on A6 (``?size=a6``) or A4."""
    size = request.args.get("size", "a4")
    if size not in ("a4", "a6"):
        abort(400)
    session = get_session()
    try:
        found = receipt(session, current_user.town_id, request_id, town_tz())
    except CostError as error:
        session.rollback()
        if error.code in NOT_FOUND:
            abort(404)
        return render_template("error.html", status=409, message=cost_message(error.code)), 409
    audit.accessed(session, current_user, "print", "resident", [(found.rider.id, found.rider.id)],
                   "cost receipt")
    return render_template("costs/receipt.html", r=found, size=size)
