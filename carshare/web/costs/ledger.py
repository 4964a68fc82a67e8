"""Monthly ledger of what a driver received, and voluntary gifts recorded apart."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from carshare.db import get_session
from carshare.domain.costs import CostError
from carshare.presenters.town import town_tz
from carshare.services import audit
from carshare.services.cost_ledger import (
    GiftInput,
    Ledger,
    driver_ledger,
    record_gift,
    town_drivers,
)
from carshare.timeutil import local_today
from carshare.web.costs.blueprint import bp, parse_month
from carshare.web.costs.forms import GiftForm
from carshare.web.costs.messages import cost_message


def _page(driver_id: int | None, month_text: str | None, form: GiftForm | None = None,
          status: int = 200):  # type: ignore[no-untyped-def]
    session = get_session()
    month = parse_month(month_text, local_today(town_tz()))
    drivers = town_drivers(session, current_user.town_id)
    ledger = None
    if driver_id is not None:
        try:
            ledger = driver_ledger(session, current_user.town_id, driver_id, month)
        except CostError:
            abort(404)
        shown = {g.rider_id for g in ledger.gifts if g.rider_id}
        shown |= {r.resident.id for row in ledger.rows if row.costs for r in row.costs.riders}
        audit.accessed(session, current_user, "view", "resident", ((r, r) for r in shown),
                       "driver ledger")
    form = form or GiftForm(formdata=None, given_on=month)
    form.rider_id.choices = _rider_choices(ledger)
    return render_template("costs/ledger.html", drivers=drivers, ledger=ledger, month=month,
                           driver_id=driver_id, form=form), status


def _rider_choices(ledger: Ledger | None) -> list[tuple[object, str]]:
    """The riders the driver carried that month (a gift usually comes from one of them)."""
    riders = {r.resident.id: r.resident for row in (ledger.rows if ledger else [])
              if row.costs for r in row.costs.riders}
    return [("", "—")] + [(i, f"{p.family_name} {p.given_name}") for i, p in riders.items()]


@bp.get("/ledger")
def ledger_page():  # type: ignore[no-untyped-def]
    """A driver's month: each trip's shared total, the month's total, gifts shown apart."""
    driver_id = request.args.get("driver_id", type=int)
    if "driver_id" in request.args and driver_id is None and request.args["driver_id"]:
        abort(400)
    return _page(driver_id, request.args.get("month"))


@bp.post("/ledger/<int:driver_id>/gifts")
def add_gift(driver_id: int):  # type: ignore[no-untyped-def]
    """Record a voluntary gift to the driver (never part of a split)."""
    form, month = GiftForm(), request.args.get("month")
    try:
        ledger = driver_ledger(get_session(), current_user.town_id, driver_id,
                               parse_month(month, local_today(town_tz())))
    except CostError:
        abort(404)
    form.rider_id.choices = _rider_choices(ledger)
    if form.validate_on_submit():
        data = GiftInput(driver_id, form.given_on.data, form.description.data,
                         form.value_yen.data, form.rider_id.data)
        try:
            record_gift(get_session(), current_user, data)
        except CostError as error:
            get_session().rollback()
            if error.code == "no_driver":
                abort(404)
            form.description.errors = [cost_message(error.code)]
        else:
            flash(_("The gift was recorded."))
            return redirect(url_for("costs.ledger_page", driver_id=driver_id,
                                    month=form.given_on.data.strftime("%Y-%m")))
    return _page(driver_id, month, form, 400)
