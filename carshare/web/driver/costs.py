"""The driver's own costs: tolls and parking of a trip, and the monthly ledger of shares."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from carshare.db import get_session
from carshare.domain.costs import CostError
from carshare.services.cost_items import ItemInput, add_cost_item, remove_cost_item
from carshare.services.cost_ledger import driver_ledger, own_offer
from carshare.services.cost_views import trip_sheet
from carshare.web.costs.blueprint import parse_day, parse_month
from carshare.web.costs.forms import ActionForm, ItemForm, kind_choices
from carshare.web.costs.messages import cost_message
from carshare.web.driver.blueprint import bp, driver_required, me, not_yours, today

ENTRY_DAYS_BACK = 35  # tolls and parking can be entered up to five weeks after the trip


def _own_trip_day(offer_id: int, day_text: str) -> date:
    """Return the day of the driver's own trip, or answer 404 (400 for a bad date)."""
    resident, driver = me()
    day = parse_day(day_text)
    try:
        own_offer(get_session(), driver, offer_id)
    except CostError:
        not_yours("trip costs", f"{offer_id}/{day_text}")
    if not today() - timedelta(days=ENTRY_DAYS_BACK) <= day <= today() + timedelta(days=1):
        not_yours("trip costs day", day_text)
    return day


def _page(offer_id: int, day: date, form: ItemForm | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    resident, _driver = me()
    try:
        sheet = trip_sheet(get_session(), resident, resident.town_id, offer_id, day)
    except CostError:
        abort(404)
    form = form or ItemForm(formdata=None)
    form.kind.choices = kind_choices(sheet.insurance_enabled, sheet.rental_enabled)
    return render_template("driver/costs.html", sheet=sheet, day=day, form=form,
                           action=ActionForm()), status


@bp.get("/trips/<int:offer_id>/<day_text>/costs")
@driver_required
def trip_costs_page(offer_id: int, day_text: str):  # type: ignore[no-untyped-def]
    """The trip's tolls and parking as entered, and what the riders share."""
    return _page(offer_id, _own_trip_day(offer_id, day_text))


@bp.post("/trips/<int:offer_id>/<day_text>/costs")
@driver_required
def add_trip_cost(offer_id: int, day_text: str):  # type: ignore[no-untyped-def]
    """The driver enters a toll or parking fee they paid on the trip."""
    day, form = _own_trip_day(offer_id, day_text), ItemForm()
    form.kind.choices = kind_choices(True, True)  # the service refuses kinds not enabled
    resident, _driver = me()
    if form.validate_on_submit():
        data = ItemInput(form.kind.data, form.amount_yen.data, form.extra.data,
                         form.note.data or "")
        try:
            add_cost_item(get_session(), resident, resident.town_id, offer_id, day, data)
        except CostError as error:
            get_session().rollback()
            if error.code == "no_trip":
                abort(404)
            form.amount_yen.errors = [cost_message(error.code)]
        else:
            flash(_("The cost was added."))
            return redirect(url_for("driver.trip_costs_page", offer_id=offer_id,
                                    day_text=day_text))
    return _page(offer_id, day, form, 400)


@bp.post("/costs/items/<int:item_id>/delete")
@driver_required
def delete_trip_cost(item_id: int):  # type: ignore[no-untyped-def]
    """The driver removes an item they entered themselves."""
    if not ActionForm().validate_on_submit():
        abort(400)
    resident, _driver = me()
    try:
        row = remove_cost_item(get_session(), resident, resident.town_id, item_id)
    except CostError:
        get_session().rollback()
        not_yours("cost item", item_id)
    flash(_("The cost was removed."))
    return redirect(url_for("driver.trip_costs_page", offer_id=row.offer_id,
                            day_text=row.service_date.isoformat()))


@bp.get("/ledger")
@driver_required
def ledger():  # type: ignore[no-untyped-def]
    """The driver's own month: what riders shared on each trip, and gifts apart."""
    resident, driver = me()
    month = parse_month(request.args.get("month"), today())
    found = driver_ledger(get_session(), resident.town_id, driver.id, month)
    return render_template("driver/ledger.html", ledger=found, month=month)
