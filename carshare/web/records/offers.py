"""Drivers' offers: one date or a weekly pattern; list, add, edit, withdraw."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from carshare.db import get_session
from carshare.models import Offer, OfferStatus
from carshare.services.records import RecordError
from carshare.services.records.offers import (
    create_offer,
    list_offers,
    own_offer,
    update_offer,
    withdraw_offer,
)
from carshare.services.records.place_queries import offer_place_choices
from carshare.services.records.vehicles import list_vehicles
from carshare.web.records.blueprint import bp
from carshare.web.records.common import attach, form_page, list_args, saved, today
from carshare.web.records.offer_forms import OfferForm


@bp.get("/offers")
def offers():  # type: ignore[no-untyped-def]
    """Offers still to come (all with "include withdrawn"), searched by driver."""
    query, inactive = list_args()
    rows = list_offers(get_session(), current_user, today(), query, inactive)
    return render_template("records/offers.html", rows=rows, query=query, inactive=inactive)


def _form(**kwargs: object) -> OfferForm:
    form = OfferForm(**kwargs)
    session = get_session()
    cars = list_vehicles(session, current_user)
    form.vehicle_id.choices = [(r.vehicle.id, f"{r.resident.family_name} {r.resident.given_name}"
                                f" · {r.vehicle.colour} {r.vehicle.make_model} · {r.vehicle.plate}")
                               for r in cars if r.driver.active]
    places = [(p.id, f"{p.name}（{p.settlement}）" if p.settlement else p.name)
              for p in offer_place_choices(session, current_user)]
    form.start_place_id.choices = form.end_place_id.choices = places
    form.destination_place_id.choices = [("", "—"), *places]
    return form


@bp.route("/offers/new", methods=["GET", "POST"])
def new_offer():  # type: ignore[no-untyped-def]
    """Post a driver's availability for them."""
    form = _form()
    if saved(form, lambda: create_offer(get_session(), current_user, form.to_input(), today())):
        flash(_("The offer was saved."))
        return redirect(url_for("records.offers"))
    return form_page(form, _("New offer"))


@bp.route("/offers/<int:offer_id>", methods=["GET", "POST"])
def edit_offer(offer_id: int):  # type: ignore[no-untyped-def]
    """Change an offer; booked riders' times are protected."""
    offer = own_offer(get_session(), current_user, offer_id)
    form = _form(obj=offer) if request.method == "GET" else _form()
    if saved(form, lambda: update_offer(get_session(), current_user, offer_id, form.to_input(),
                                        today())):
        flash(_("The changes were saved."))
        return redirect(url_for("records.offers"))
    return _edit_page(form, offer)


def _edit_page(form: OfferForm, offer: Offer, status: int | None = None):  # type: ignore[no-untyped-def]
    return form_page(form, _("Offer no. %(id)d", id=offer.id), status=status,
                     active=offer.status == OfferStatus.ACTIVE,
                     deactivate_url=url_for("records.withdraw_offer", offer_id=offer.id),
                     deactivate_label=_("Withdraw the offer"))


@bp.post("/offers/<int:offer_id>/withdraw", endpoint="withdraw_offer")
def withdraw(offer_id: int):  # type: ignore[no-untyped-def]
    """Withdraw an offer; refused while riders are booked on it."""
    session = get_session()
    offer = own_offer(session, current_user, offer_id)
    try:
        withdraw_offer(session, current_user, offer_id)
    except RecordError as error:
        session.rollback()
        form = _form(obj=offer, formdata=None)
        attach(form, error)
        return _edit_page(form, offer, status=409)
    flash(_("The offer was withdrawn."))
    return redirect(url_for("records.offers"))
