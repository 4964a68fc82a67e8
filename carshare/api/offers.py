"""Drivers' offers of seats: list, read, add, change and withdraw, keeping promises."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from carshare.api.auth import caller
from carshare.api.blueprint import ID, bp
from carshare.api.pagination import Links, PageQuery, links, window
from carshare.api.spec import operation
from carshare.api.validation import Bool, Clock, Day, Id, Input, LocalTime, Output, text
from carshare.db import get_session
from carshare.models import OfferStatus
from carshare.models.fleet import MAX_SEATS
from carshare.presenters.town import town_tz
from carshare.services import api_queries
from carshare.services.records.offer_rules import MAX_EXTRA, OfferInput
from carshare.services.records.offers import create_offer, own_offer, update_offer, withdraw_offer
from carshare.timeutil import local_today


class OfferIn(Input):
    """An offer: one ``service_date``, or a ``weekday`` (0 = Monday) with an optional range.

    Times of day are in the town's zone; the car decides the driver. A planned trip has a
    ``destination_place_id``, ``arrive_by`` (there by, within ``depart_after``..``return_by``)
    and ``leave_after`` (leaving after, up to ``return_by``; none for a one-way trip, whose
    ``end_place_id`` is the destination). Without a destination (availability only) both stay
    empty. ``extra_minutes`` is the driving accepted for riders over the whole trip.
    """

    vehicle_id: Id
    service_date: Day | None = None
    weekday: int | None = Field(None, ge=0, le=6, strict=True)
    valid_from: Day | None = None
    valid_until: Day | None = None
    depart_after: Clock
    return_by: Clock
    start_place_id: Id
    end_place_id: Id
    destination_place_id: Id | None = None
    arrive_by: Clock | None = Field(None, description="There by (at the destination).")
    leave_after: Clock | None = Field(
        None, description="Leaving the destination after; empty for a one-way trip.")
    seats: int = Field(ge=1, le=MAX_SEATS, strict=True)
    wheelchair_spaces: int = Field(0, ge=0, le=MAX_SEATS, strict=True,
                                   description="Wheelchair spaces offered, at most the car's.")
    extra_minutes: int = Field(60, ge=0, le=MAX_EXTRA, strict=True, description=(
        "Minutes of extra driving accepted for riders over the whole trip (not per rider)."))
    auto_accept: Bool = False
    note: text(300) = ""  # type: ignore[valid-type]


class OfferOut(Output):
    """An offer of the town."""

    id: int
    driver_id: int
    vehicle_id: int
    status: OfferStatus
    service_date: date | None
    weekday: int | None
    valid_from: date | None
    valid_until: date | None
    depart_after: LocalTime
    return_by: LocalTime
    start_place_id: int
    end_place_id: int
    destination_place_id: int | None
    arrive_by: LocalTime | None
    leave_after: LocalTime | None
    seats: int
    wheelchair_spaces: int
    extra_minutes: int
    auto_accept: bool
    note: str


class OfferList(PageQuery):
    """Filters of the offer list."""

    status: OfferStatus | None = None
    day: Day | None = Field(None, description="Only offers valid on this day.")


class OfferPage(Output):
    """A page of offers."""

    items: list[OfferOut]
    links: Links


def _input(body: OfferIn) -> OfferInput:
    return OfferInput(**body.model_dump())


@bp.get("/offers")
@operation("offers", {"HTTP_200": OfferPage}, query=OfferList)
def list_offers(query: OfferList) -> OfferPage:
    """List the town's offers."""
    rows, more = api_queries.offers(get_session(), caller().actor, window(query), query.status,
                                    query.day)
    return OfferPage(items=[OfferOut.model_validate(r) for r in rows],
                     links=links(rows, query.limit, more))


@bp.get(f"/offers/<{ID}:offer_id>")
@operation("offers", {"HTTP_200": OfferOut})
def get_offer(offer_id: int) -> OfferOut:
    """Read one offer."""
    return OfferOut.model_validate(own_offer(get_session(), caller().actor, offer_id))


@bp.post("/offers")
@operation("offers", {"HTTP_201": OfferOut}, json=OfferIn, write=True)
def add_offer(json: OfferIn) -> tuple[OfferOut, int]:
    """Add an offer with one of a driver's cars."""
    offer = create_offer(get_session(), caller().actor, _input(json), local_today(town_tz()))
    return OfferOut.model_validate(offer), 201


@bp.put(f"/offers/<{ID}:offer_id>")
@operation("offers", {"HTTP_200": OfferOut}, json=OfferIn, write=True)
def change_offer(offer_id: int, json: OfferIn) -> OfferOut:
    """Change an offer; once riders are booked only its note and auto-accept (else 409)."""
    offer = update_offer(get_session(), caller().actor, offer_id, _input(json),
                         local_today(town_tz()))
    return OfferOut.model_validate(offer)


@bp.post(f"/offers/<{ID}:offer_id>/withdraw")
@operation("offers", {"HTTP_200": OfferOut}, write=True)
def withdraw(offer_id: int) -> OfferOut:
    """Withdraw an offer; refused (409) while riders are booked on it."""
    return OfferOut.model_validate(withdraw_offer(get_session(), caller().actor, offer_id))

