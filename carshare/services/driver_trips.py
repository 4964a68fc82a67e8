"""The driver's buttons: started, picked up, dropped off, no-show, each kept once and in order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from carshare.models import (
    RequestStatus,
    Resident,
    RideRequest,
    Stop,
    StopKind,
    StopStatus,
    Town,
    TripEvent,
    TripEventKind,
)
from carshare.services import audit, plausible
from carshare.services.audit import Actor
from carshare.services.plans import active_plan, routes_of
from carshare.services.trip_progress import events_for

K = TripEventKind
NEEDS = {K.DROPPED_OFF: K.PICKED_UP}  # an event that needs another first
EXCLUDES = {K.PICKED_UP: K.NO_SHOW, K.NO_SHOW: K.PICKED_UP, K.DROPPED_OFF: K.NO_SHOW}


class TripError(ValueError):
    """A button pressed out of order (``code``: not_picked_up, was_no_show, was_picked_up,
    reason_missing, not_on_trip, dropoff_before_pickup)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Press:
    """One button press as the phone sends it (maybe late, from its offline queue)."""

    offer_id: int
    day: date
    kind: TripEventKind
    request_id: int | None
    client_event_id: str
    happened_at: datetime
    note: str = ""


def record(session: Session, town_id: int, resident: Resident, press: Press,
           now: datetime | None = None) -> TripEvent:
    """Store the press (a repeat returns the first one unchanged); commit.

    ``now`` is the clock of a live press (the phone, the API): a press later than it is
    refused; seeding history passes none.

    :raise TripError: out of order (also in time: a drop-off before its pick-up), no reason
        for a no-show, or not a rider of this trip.
    :raise Implausible: the press's time is far from its trip's day or in the future.
    """
    progress = events_for(session, press.offer_id, press.day)
    same = [e for e in progress.events if e.client_event_id == press.client_event_id
            or (e.kind is press.kind and e.request_id == press.request_id)]
    if same:
        return same[0]
    town = session.get(Town, town_id)
    plausible.check_event_time(press.happened_at, press.day, ZoneInfo(town.timezone), now)
    _check(session, town_id, press, progress.of(press.request_id))
    event = TripEvent(town_id=town_id, offer_id=press.offer_id, service_date=press.day,
                      request_id=press.request_id, kind=press.kind,
                      happened_at=press.happened_at, client_event_id=press.client_event_id,
                      by_resident_id=resident.id, note=press.note[:300])
    try:
        session.add(event)
        _follow(session, town_id, press)  # its queries flush the event: may collide already
        session.commit()
    except IntegrityError:  # the same press arrived twice at once: the first one stays
        session.rollback()
        return session.exec(select(TripEvent).where(
            (TripEvent.client_event_id == press.client_event_id)
            | ((TripEvent.offer_id == press.offer_id) & (TripEvent.service_date == press.day)
               & (TripEvent.request_id == press.request_id) & (TripEvent.kind == press.kind))
        )).first() or event
    return event


def report(session: Session, town_id: int, resident: Resident, press: Press, now: datetime,
           reporter: Actor) -> TripEvent:
    """Store a press sent for the driver by another system (the API), as :func:`record`
    does, and audit who reported it; commit.

    :raise TripError, Implausible: as :func:`record`.
    """
    event = record(session, town_id, resident, press, now)
    audit.record(session, reporter, "report", "trip_event", event.id, None,
                 f"{press.kind.value} on offer {press.offer_id}")
    session.commit()
    return event


def _check(session: Session, town_id: int, press: Press,
           before: dict[TripEventKind, TripEvent]) -> None:
    if press.kind is K.STARTED:
        return
    if press.request_id not in _riders(session, town_id, press.offer_id, press.day):
        raise TripError("not_on_trip")
    if press.kind is K.NO_SHOW and not press.note.strip():
        raise TripError("reason_missing")
    if press.kind in NEEDS and NEEDS[press.kind] not in before:
        raise TripError("not_picked_up")
    if press.kind in NEEDS and press.happened_at < before[NEEDS[press.kind]].happened_at:
        raise TripError("dropoff_before_pickup")
    blocked = EXCLUDES.get(press.kind)
    if blocked in before:
        raise TripError("was_no_show" if blocked is K.NO_SHOW else "was_picked_up")


def _riders(session: Session, town_id: int, offer_id: int, day: date) -> set[int | None]:
    plan = active_plan(session, town_id, day)
    if plan is None:
        return set()
    return {s.request_id for route, stops in routes_of(session, plan)
            if route.offer_id == offer_id for s in stops if s.request_id is not None}


def _follow(session: Session, town_id: int, press: Press) -> None:
    """Mirror the press on the stop and the ride (completed, no-show)."""
    if press.request_id is None:
        return
    stop_kind = StopKind.DROPOFF if press.kind is K.DROPPED_OFF else StopKind.PICKUP
    plan = active_plan(session, town_id, press.day)
    for route, stops in routes_of(session, plan):
        for stop in stops:
            if route.offer_id == press.offer_id and stop.request_id == press.request_id:
                if stop.kind is stop_kind:
                    _mark(session, stop, press.kind)
                elif press.kind is K.NO_SHOW and stop.kind is StopKind.DROPOFF:
                    stop.status = StopStatus.SKIPPED  # nobody to drop off
                    session.add(stop)
    request = session.get(RideRequest, press.request_id)
    if press.kind in (K.DROPPED_OFF, K.NO_SHOW):
        request.status = (RequestStatus.COMPLETED if press.kind is K.DROPPED_OFF
                          else RequestStatus.NO_SHOW)
        session.add(request)


def _mark(session: Session, stop: Stop, kind: TripEventKind) -> None:
    stop.status = StopStatus.NO_SHOW if kind is K.NO_SHOW else StopStatus.DONE
    session.add(stop)
