"""Places: facilities, homes and settlement centres, with coordinates typed or picked."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session

from carshare.db import get_session
from carshare.models import Place
from carshare.services.records import RecordError
from carshare.services.records.place_queries import landmarks, list_places, open_place, own_place
from carshare.services.records.places import create_place, deactivate_place, update_place
from carshare.services.records.reactivation import reactivate_place
from carshare.services.road_snapping import NEAR_M, distance_to_road
from carshare.web.records.blueprint import bp
from carshare.web.records.common import attach, form_page, list_args, saved
from carshare.web.records.place_forms import KINDS, PlaceForm


@bp.get("/places")
def places():  # type: ignore[no-untyped-def]
    """Places of the town, searched by name, reading or settlement, filtered by kind."""
    query, inactive = list_args()
    kind = request.args.get("kind", "")
    rows = list_places(get_session(), current_user, query, kind, inactive)
    return render_template("records/places.html", rows=rows, query=query, inactive=inactive,
                           kind=kind, kinds=KINDS)


def _page(form: PlaceForm, title: str, place: Place | None = None, status: int | None = None):  # type: ignore[no-untyped-def]
    extra = {} if place is None else {
        "active": place.active,
        "deactivate_url": url_for("records.deactivate_place", place_id=place.id),
        "reactivate_url": url_for("records.reactivate_place", place_id=place.id)}
    return form_page(form, title, status=status, place_map=True,
                     landmarks=landmarks(get_session(), current_user), **extra)


@bp.route("/places/new", methods=["GET", "POST"])
def new_place():  # type: ignore[no-untyped-def]
    """Add a place; its coordinates are typed in or picked on the map."""
    form = PlaceForm()
    if saved(form, lambda: create_place(get_session(), current_user, form.to_input())):
        flash(_("The place was added."))
        _warn_if_off_road(form)
        return redirect(url_for("records.places"))
    return _page(form, _("New place"))


@bp.route("/places/<int:place_id>", methods=["GET", "POST"])
def edit_place(place_id: int):  # type: ignore[no-untyped-def]
    """Change a place's name, kind or position."""
    place = open_place(get_session(), current_user, place_id)
    form = PlaceForm(obj=place) if request.method == "GET" else PlaceForm()
    if saved(form, lambda: update_place(get_session(), current_user, place_id,
                                        form.to_input())):
        flash(_("The changes were saved."))
        _warn_if_off_road(form)
        return redirect(url_for("records.places"))
    return _page(form, _("Place: %(name)s", name=place.name), place)


@bp.post("/places/<int:place_id>/deactivate", endpoint="deactivate_place")
def deactivate(place_id: int):  # type: ignore[no-untyped-def]
    """Hide a place from choices; refused while a resident, offer or ride uses it."""
    return _change(place_id, lambda s: deactivate_place(s, current_user, place_id),
                   _("The place was deactivated."), url_for("records.places"))


@bp.post("/places/<int:place_id>/reactivate", endpoint="reactivate_place")
def reactivate(place_id: int):  # type: ignore[no-untyped-def]
    """Offer a deactivated place among the choices again."""
    return _change(place_id, lambda s: reactivate_place(s, current_user, place_id),
                   _("The record is active again."),
                   url_for("records.edit_place", place_id=place_id))


def _change(place_id: int, change: Callable[[Session], object], done: str, target: str):  # type: ignore[no-untyped-def]
    session = get_session()
    place = own_place(session, current_user, place_id)
    try:
        change(session)
    except RecordError as error:
        session.rollback()
        form = PlaceForm(obj=place, formdata=None)
        attach(form, error)
        return _page(form, _("Place: %(name)s", name=place.name), place, status=409)
    flash(done)
    return redirect(target)


def _warn_if_off_road(form: PlaceForm) -> None:
    """Tell staff when the saved position is far from any road (only with road data)."""
    data = form.to_input()
    metres = distance_to_road(data.lat, data.lon)
    if metres is None or 0 <= metres <= NEAR_M:
        return
    if metres < 0:
        flash(_("This position is more than 2 km from any road: travel times to it are only "
                "estimated. Please check it on the map."))
    else:
        flash(_("This position is %(metres)s m from the nearest road. Please check that the "
                "pick-up point is right.", metres=round(metres)))
