"""The driver's offers: list, post (one day, weekly, planned trip), change, withdraw."""

from __future__ import annotations

from dataclasses import replace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from carshare.db import get_session
from carshare.models import Offer, utcnow
from carshare.services import driver_offers as svc
from carshare.services.records.common import RecordError
from carshare.services.records.offer_rules import OfferInput
from carshare.web.driver.blueprint import (
    bp,
    driver_required,
    me,
    not_yours,
    today,
    tz,
)
from carshare.web.driver.forms import DriverOfferForm
from carshare.web.driver.labels import driver_place_label
from carshare.web.driver.messages import driver_message


@bp.get("/offers")
@driver_required
def offers():  # type: ignore[no-untyped-def]
    """The driver's offers still to come."""
    resident, driver = me()
    return render_template("driver/offers.html", offers=svc.list_own(get_session(), driver,
                                                                     today()))


def _form(**kwargs: object) -> DriverOfferForm:
    resident, driver = me()
    session = get_session()
    form = DriverOfferForm(**kwargs)
    form.vehicle_id.choices = [(c.id, f"{c.colour} {c.make_model} {c.plate}".strip())
                               for c in svc.cars_of(session, driver)]
    places = [(p.id, driver_place_label(p, resident.home_place_id))
              for p in svc.place_choices(session, resident)]
    form.start_place_id.choices = places
    form.destination_place_id.choices = [("", "—"), *places]
    return form


def _own(offer_id: int) -> Offer:
    try:
        return svc.own_offer(get_session(), me()[1], offer_id)
    except svc.NotYours:
        not_yours("offer", offer_id)


def _page(form: DriverOfferForm, title: str, offer: Offer | None = None):  # type: ignore[no-untyped-def]
    status = 400 if form.errors else 200
    return render_template("driver/offer_form.html", form=form, title=title, offer=offer), status


def _save(form: DriverOfferForm, action) -> bool:  # type: ignore[no-untyped-def]
    if not form.validate_on_submit():
        return False
    try:
        action()
    except RecordError as error:
        get_session().rollback()
        field = getattr(form, error.field, None)
        target = field.errors if field is not None else form.form_errors
        target.append(driver_message(error.code, **error.params))
        return False
    return True


@bp.route("/offers/new", methods=["GET", "POST"])
@driver_required
def new_offer():  # type: ignore[no-untyped-def]
    """Post a trip or a weekly window; nothing is saved unless every rule holds."""
    resident, driver = me()
    cars = svc.cars_of(get_session(), driver)
    spaces = cars[0].wheelchair_spaces if cars else 0  # a wheelchair car offers its spaces
    form = _form(data={"start_place_id": resident.home_place_id, "wheelchair_spaces": spaces})
    if _save(form, lambda: svc.create(get_session(), resident, driver, form.to_input(), today())):
        flash(_("Your offer was saved."))
        return redirect(url_for("driver.offers"))
    return _page(form, _("New offer"))


@bp.route("/offers/<int:offer_id>", methods=["GET", "POST"])
@driver_required
def edit_offer(offer_id: int):  # type: ignore[no-untyped-def]
    """Change an offer; with riders booked only the note and auto-accept can change."""
    resident, driver = me()
    offer = _own(offer_id)
    form = _form(obj=offer) if request.method == "GET" else _form()
    if _save(form, lambda: svc.update(get_session(), resident, driver, offer,
                                      _kept(form, offer), today(), utcnow())):
        flash(_("Your changes were saved."))
        return redirect(url_for("driver.offers"))
    return _page(form, _("Change offer"), offer)


def _kept(form: DriverOfferForm, offer: Offer) -> OfferInput:
    """The form's input, keeping what the phone form does not show (staff may have set it):
    the first day of a weekly pattern, and a different end place of a trip back while the
    start is the same (a one-way trip ends at its destination)."""
    data = form.to_input()
    back = data.end_place_id == data.start_place_id
    was_one_way = offer.destination_place_id is not None and offer.leave_after is None
    same_start = back and not was_one_way and data.start_place_id == offer.start_place_id
    return replace(data, valid_from=offer.valid_from if data.weekday is not None else None,
                   end_place_id=offer.end_place_id if same_start else data.end_place_id)


@bp.post("/offers/<int:offer_id>/withdraw")
@driver_required
def withdraw_offer(offer_id: int):  # type: ignore[no-untyped-def]
    """Withdraw an offer after its riders were moved or handed to staff."""
    resident, _driver = me()
    moved, stuck = svc.withdraw(get_session(), resident, _own(offer_id), utcnow(), tz())
    flash(_("Your offer is withdrawn."))
    if moved:
        flash(_("%(n)d riders were moved to other cars.", n=moved))
    if stuck:
        flash(_("The town office will call %(n)d riders who could not be moved.", n=stuck))
    return redirect(url_for("driver.offers"))
