"""Town cost settings and the dated fuel price table."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from carshare.db import get_session
from carshare.domain.costs import CostError
from carshare.services.cost_settings import (
    SettingsInput,
    cost_settings,
    delete_fuel_price,
    fuel_prices,
    save_cost_settings,
    save_fuel_price,
)
from carshare.web.costs.blueprint import bp
from carshare.web.costs.forms import ActionForm, FuelPriceForm, SettingsForm
from carshare.web.costs.messages import cost_message


@bp.route("/settings", methods=["GET", "POST"])
def settings_page():  # type: ignore[no-untyped-def]
    """The split rule, the rounding and the optional items of the staff member's town."""
    session = get_session()
    row = cost_settings(session, current_user.town_id)
    form = SettingsForm(obj=row)
    if form.validate_on_submit():
        data = SettingsInput(form.split_rule.data, form.rounding_unit.data,
                             form.rounding_mode.data, form.insurance_enabled.data,
                             form.rental_enabled.data)
        try:
            save_cost_settings(session, current_user, data)
        except CostError as error:
            session.rollback()
            form.form_errors.append(cost_message(error.code))
        else:
            flash(_("The cost settings were saved."))
            return redirect(url_for("costs.settings_page"))
    status = 400 if form.is_submitted() else 200
    return render_template("costs/settings.html", form=form), status


@bp.route("/fuel-prices", methods=["GET", "POST"])
def fuel_prices_page():  # type: ignore[no-untyped-def]
    """The town's fuel prices by date, and a form to enter a new one."""
    session = get_session()
    form = FuelPriceForm()
    if form.validate_on_submit():
        try:
            save_fuel_price(session, current_user, form.valid_from.data, form.yen_per_litre.data)
        except CostError as error:
            session.rollback()
            form.yen_per_litre.errors = [cost_message(error.code)]
        else:
            flash(_("The fuel price was saved."))
            return redirect(url_for("costs.fuel_prices_page"))
    status = 400 if form.is_submitted() else 200
    return render_template("costs/fuel_prices.html", form=form, action=ActionForm(),
                           prices=fuel_prices(session, current_user.town_id)), status


@bp.post("/fuel-prices/<int:price_id>/delete")
def delete_price(price_id: int):  # type: ignore[no-untyped-def]
    """Remove a mistaken fuel price."""
    if not ActionForm().validate_on_submit():
        return render_template("error.html", status=400,
                               message=_("The form has expired. Please reload and try again.")), 400
    try:
        delete_fuel_price(get_session(), current_user, price_id)
    except CostError as error:
        get_session().rollback()
        return render_template("error.html", status=404, message=cost_message(error.code)), 404
    flash(_("The fuel price was removed."))
    return redirect(url_for("costs.fuel_prices_page"))
