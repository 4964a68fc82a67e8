"""Safety nets of the driver's buttons: a press far from the planned time is asked about
first, and any press can be taken back for ten minutes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from carshare.models import (
    Offer,
    RequestStatus,
    RideRequest,
    StopKind,
    StopStatus,
    TripEvent,
    TripEventKind,
)
from carshare.services.driver_trips import Press, TripError
from carshare.services.plans import active_plan, routes_of

K = TripEventKind
#: A press this far from the planned time asks "are you sure?" first.
FAR = timedelta(minutes=90)
#: A press can be taken back for this long after it was recorded.
UNDO_FOR = timedelta(minutes=10)


def planned_time(session: Session, town_id: int, press: Press) -> datetime | None:
    """Return when the plan has the pressed step: the trip's start, the rider's pick-up, or
    the rider's drop-off."""
    plan = active_plan(session, town_id, press.day)
    if plan is None:
        return None
    kind = StopKind.DROPOFF if press.kind is K.DROPPED_OFF else StopKind.PICKUP
    for route, stops in routes_of(session, plan):
        if route.offer_id != press.offer_id:
            continue
        if press.kind is K.STARTED:
            return route.starts_at
        for stop in stops:
            if stop.request_id == press.request_id and stop.kind is kind:
                return stop.service_start_at
    return None


def is_far(session: Session, town_id: int, press: Press) -> bool:
    """Tell whether the press is far (more than :data:`FAR`) from the planned time."""
    planned = planned_time(session, town_id, press)
    return planned is not None and abs(press.happened_at - planned) > FAR


def can_undo(event: TripEvent, now: datetime) -> bool:
    """Tell whether the press may still be taken back."""
    return now - event.recorded_at <= UNDO_FOR


def undo(session: Session, driver_id: int, event_id: int, now: datetime) -> TripEvent:
    """Take back a press of the driver's within :data:`UNDO_FOR`; the ride and its stop are
    as before the press. Commit.

    :raise TripError: ``not_yours``, ``too_late`` (more than ten minutes), or ``undo_later``
        (a later press of the same rider must be taken back first).
    """
    event = session.get(TripEvent, event_id)
    offer = session.get(Offer, event.offer_id) if event else None
    if event is None or offer is None or offer.driver_id != driver_id:
        raise TripError("not_yours")
    if not can_undo(event, now):
        raise TripError("too_late")
    if _later(session, event):
        raise TripError("undo_later")
    _restore(session, event)
    session.delete(event)
    session.commit()
    return event


def _later(session: Session, event: TripEvent) -> bool:
    """A drop-off depends on the pick-up; every rider press depends on the trip's start."""
    query = select(TripEvent.id).where(TripEvent.offer_id == event.offer_id,
                                       TripEvent.service_date == event.service_date,
                                       TripEvent.id != event.id)
    if event.kind is K.PICKED_UP:
        query = query.where(TripEvent.request_id == event.request_id,
                            TripEvent.kind == K.DROPPED_OFF)
    elif event.kind is not K.STARTED:
        return False
    return session.exec(query).first() is not None


def _restore(session: Session, event: TripEvent) -> None:
    """Put the stop and the ride back as they were before the press."""
    if event.request_id is None:
        return
    plan = active_plan(session, event.town_id, event.service_date)
    kinds = {K.DROPPED_OFF: (StopKind.DROPOFF,), K.PICKED_UP: (StopKind.PICKUP,),
             K.NO_SHOW: (StopKind.PICKUP, StopKind.DROPOFF)}[event.kind]
    for route, stops in routes_of(session, plan) if plan else []:
        for stop in stops:
            if (route.offer_id == event.offer_id and stop.request_id == event.request_id
                    and stop.kind in kinds):
                stop.status = StopStatus.PLANNED
                session.add(stop)
    ride = session.get(RideRequest, event.request_id)
    if ride is not None and ride.status in (RequestStatus.COMPLETED, RequestStatus.NO_SHOW):
        ride.status = (RequestStatus.CONFIRMED if ride.promised_pickup_start
                       else RequestStatus.PLANNED)
        ride.outcome_code = None if ride.outcome_code == "no_show" else ride.outcome_code
        session.add(ride)
