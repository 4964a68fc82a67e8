"""Ride requests: book (with the return), the instant quote, confirm, wait, cancel."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from carshare.api.auth import caller
from carshare.api.blueprint import ID, bp
from carshare.api.errors import rule_problem
from carshare.api.pagination import Links, PageQuery, links, window
from carshare.api.spec import operation
from carshare.api.validation import Bool, Clock, Day, Id, Input, Output, text
from carshare.db import get_session
from carshare.models import RequestChannel, RequestStatus, RideRequest, WindowKind, utcnow
from carshare.presenters.reasons import reason_label
from carshare.presenters.town import town_tz
from carshare.services import api_queries
from carshare.services.booking import BookingInput, create_booking
from carshare.services.legs import driver_label
from carshare.services.quoting import Offered, answer, confirm
from carshare.services.records.common import RecordNotFound
from carshare.services.requests import put_on_waiting_list
from carshare.services.trips import OUTCOMES, cancel_ride


class BookingIn(Input):
    """A booking as staff take it on the phone: one leg, and optionally its return."""

    rider_id: Id
    pickup_place_id: Id
    dropoff_place_id: Id
    day: Day
    window_kind: WindowKind
    clock: Clock = Field(description="Arrive by (arrive_by) or pick up after (pickup_after).")
    party_size: int = Field(1, ge=1, le=8, strict=True)
    wheelchair: Bool = False
    walker: Bool = False
    boarding_help: Bool = False
    return_mode: Literal["none", "after", "open"] = "none"
    return_clock: Clock | None = None
    note: text(500) = ""  # type: ignore[valid-type]


class RideRequestOut(Output):
    """A ride request with its state and, once confirmed, the promise."""

    id: int
    rider_id: int
    pickup_place_id: int
    dropoff_place_id: int
    window_kind: WindowKind
    window_start: datetime
    window_end: datetime
    party_size: int
    wheelchair: bool
    walker: bool
    boarding_help: bool
    return_open: bool
    note: str
    channel: RequestChannel
    status: RequestStatus
    outcome_code: str | None
    outcome_reason: str
    outbound_id: int | None
    promised_offer_id: int | None
    promised_pickup_start: datetime | None
    promised_pickup_end: datetime | None


class BookingOut(Output):
    """The stored outbound request and its return, if one was asked for."""

    outbound: RideRequestOut
    inbound: RideRequestOut | None


class OptionOut(Output):
    """One way to carry the rider: which offer, when, with how many others."""

    offer_id: int
    driver_given_name: str
    car_colour: str
    car_make_model: str
    pickup_start: datetime
    pickup_end: datetime
    arrival: datetime
    shared_with: int
    day_offset: int


class QuoteOut(Output):
    """The instant answer: options best first, or why none fits and the nearest alternatives."""

    request_id: int
    options: list[OptionOut]
    reason: str | None
    reason_text: str
    alternatives: list[OptionOut]


class ConfirmIn(Input):
    """The option the caller accepted."""

    offer_id: Id


class CancelIn(Input):
    """How the ride ends, and why."""

    outcome: Literal[tuple(OUTCOMES)]  # type: ignore[valid-type]
    reason: text(500, 1)  # type: ignore[valid-type]


class RideList(PageQuery):
    """Filters of the ride request list."""

    day: Day | None = Field(None, description="Requests whose window starts on this day.")
    status: RequestStatus | None = None
    rider_id: int | None = Field(None, ge=1, le=2**31 - 1)


class RidePage(Output):
    """A page of ride requests."""

    items: list[RideRequestOut]
    links: Links


def own_request(request_id: int) -> RideRequest:
    """Return a request of the caller's town. :raise RecordNotFound: none there."""
    request = get_session().get(RideRequest, request_id)
    if request is None or request.town_id != caller().actor.town_id:
        raise RecordNotFound
    return request


def _option(offered: Offered) -> OptionOut:
    label = driver_label(get_session(), offered.option.vehicle_id)
    return OptionOut(offer_id=offered.option.vehicle_id, driver_given_name=label.given_name,
                     car_colour=label.colour, car_make_model=label.make_model,
                     pickup_start=offered.pickup_start, pickup_end=offered.pickup_end,
                     arrival=offered.arrival, shared_with=offered.shared_with,
                     day_offset=offered.day_offset)


@bp.get("/ride-requests")
@operation("ride requests", {"HTTP_200": RidePage}, query=RideList)
def list_requests(query: RideList) -> RidePage:
    """List the town's ride requests."""
    rows, more = api_queries.ride_requests(get_session(), caller().actor, window(query),
                                           town_tz(), query.day, query.status, query.rider_id)
    return RidePage(items=[RideRequestOut.model_validate(r) for r in rows],
                    links=links(rows, query.limit, more))


@bp.get(f"/ride-requests/<{ID}:request_id>")
@operation("ride requests", {"HTTP_200": RideRequestOut})
def get_request(request_id: int) -> RideRequestOut:
    """Read one ride request."""
    return RideRequestOut.model_validate(own_request(request_id))


@bp.post("/ride-requests")
@operation("ride requests", {"HTTP_201": BookingOut}, json=BookingIn, write=True)
def book(json: BookingIn) -> tuple[BookingOut, int]:
    """Book a ride (and its return); then ask for its quote and confirm an option."""
    booking = create_booking(get_session(), caller().actor, BookingInput(**json.model_dump()),
                             utcnow(), town_tz(), RequestChannel.API)
    inbound = RideRequestOut.model_validate(booking.inbound) if booking.inbound else None
    return BookingOut(outbound=RideRequestOut.model_validate(booking.outbound),
                      inbound=inbound), 201


@bp.get(f"/ride-requests/<{ID}:request_id>/quote")
@operation("ride requests", {"HTTP_200": QuoteOut}, also=("HTTP_409",))
def quote(request_id: int) -> QuoteOut:
    """The instant answer for an open request: options, or the reason and alternatives.

    Nothing is stored; a request no longer open answers 409.
    """
    result = answer(get_session(), own_request(request_id), town_tz())
    return QuoteOut(request_id=request_id, options=[_option(o) for o in result.options],
                    reason=result.reason, reason_text=reason_label(result.reason),
                    alternatives=[_option(o) for o in result.alternatives])


@bp.post(f"/ride-requests/<{ID}:request_id>/confirm")
@operation("ride requests", {"HTTP_200": RideRequestOut}, json=ConfirmIn, write=True)
def confirm_option(request_id: int, json: ConfirmIn) -> RideRequestOut:
    """Confirm the option the caller accepted: the promise is recorded and the rider told.

    409 when the option was just taken or the request is no longer open.
    """
    request = confirm(get_session(), caller().actor, own_request(request_id), json.offer_id,
                      town_tz())
    return RideRequestOut.model_validate(request)


@bp.post(f"/ride-requests/<{ID}:request_id>/wait")
@operation("ride requests", {"HTTP_200": RideRequestOut}, write=True)
def wait(request_id: int) -> RideRequestOut:
    """Put an unmatched open request on the waiting list for the periodic re-planning."""
    request = own_request(request_id)
    if request.status not in (RequestStatus.REQUESTED, RequestStatus.WAITING):
        raise rule_problem("", "not_open")
    put_on_waiting_list(get_session(), caller().actor, request, town_tz())
    return RideRequestOut.model_validate(request)


@bp.post(f"/ride-requests/<{ID}:request_id>/cancel")
@operation("ride requests", {"HTTP_200": RideRequestOut}, json=CancelIn, write=True)
def cancel(request_id: int, json: CancelIn) -> RideRequestOut:
    """End a ride with an outcome code and reason; it is re-planned and people are told."""
    request = own_request(request_id)
    cancel_ride(get_session(), caller().actor, request, json.outcome, json.reason, town_tz())
    return RideRequestOut.model_validate(request)

