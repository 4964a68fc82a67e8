"""Trips on the road: the progress of a driver's trip, and status updates (button presses)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, model_validator

from carshare.api.auth import caller
from carshare.api.blueprint import ID, bp
from carshare.api.spec import operation
from carshare.api.validation import Day, Id, Input, Moment, Output, text
from carshare.db import get_session
from carshare.models import Driver, Offer, Resident, TripEventKind, utcnow
from carshare.services.driver_trips import Press, report
from carshare.services.records.offers import own_offer
from carshare.services.trip_progress import events_for


class EventIn(Input):
    """A status update: the trip started, or a rider was picked up, dropped off or absent.

    ``client_event_id`` makes the update idempotent: sending it again returns the first one.
    """

    day: Day
    kind: TripEventKind
    request_id: Id | None = Field(None, description="The rider's request; empty for started.")
    client_event_id: text(40, 1)  # type: ignore[valid-type]
    happened_at: Moment
    note: text(300) = Field("", description="Required for a no-show: the reason.")  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _rider_events_name_a_rider(self) -> EventIn:
        if (self.kind is TripEventKind.STARTED) != (self.request_id is None):
            raise ValueError("started has no request_id; the other kinds need one")
        return self


class EventOut(Output):
    """A recorded status update."""

    id: int
    offer_id: int
    service_date: date
    request_id: int | None
    kind: TripEventKind
    happened_at: datetime
    recorded_at: datetime
    note: str


class EventQuery(Input):
    """Which day of the trip."""

    day: Day


class ProgressOut(Output):
    """What was reported on a trip so far, in the order it happened."""

    offer_id: int
    day: date
    started: bool
    events: list[EventOut]


def _driver(offer: Offer) -> Resident:
    session = get_session()
    return session.get(Resident, session.get(Driver, offer.driver_id).resident_id)


@bp.get(f"/trips/<{ID}:offer_id>/events")
@operation("trips", {"HTTP_200": ProgressOut}, query=EventQuery)
def progress(offer_id: int, query: EventQuery) -> ProgressOut:
    """The status updates of a driver's trip (an offer) on a day."""
    offer = own_offer(get_session(), caller().actor, offer_id)
    found = events_for(get_session(), offer.id, query.day)
    return ProgressOut(offer_id=offer.id, day=query.day, started=found.started,
                       events=[EventOut.model_validate(e) for e in found.events])


@bp.post(f"/trips/<{ID}:offer_id>/events")
@operation("trips", {"HTTP_201": EventOut}, json=EventIn, write=True)
def add_event(offer_id: int, json: EventIn) -> tuple[EventOut, int]:
    """Report a status update for the driver, in order (409 when out of order)."""
    session, who = get_session(), caller()
    offer = own_offer(session, who.actor, offer_id)
    press = Press(offer_id=offer.id, day=json.day, kind=json.kind, request_id=json.request_id,
                  client_event_id=f"api{who.token.id}:{json.client_event_id}",
                  happened_at=json.happened_at, note=json.note)
    event = report(session, offer.town_id, _driver(offer), press, utcnow(), who.actor)
    return EventOut.model_validate(event), 201
