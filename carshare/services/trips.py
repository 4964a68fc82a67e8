"""Trip handling by staff: cancel with an outcome, reassign, declare a weather day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import (
    OPEN_STATUSES,
    Place,
    RequestStatus,
    Resident,
    RideRequest,
    StaffUser,
)
from carshare.services import audit
from carshare.services.audit import Actor
from carshare.services.planning import replan_after_cancel
from carshare.timeutil import day_bounds

#: Outcome codes staff choose from, and the status each one leaves the request in.
OUTCOMES = {
    "rider_cancel": RequestStatus.CANCELLED,
    "late_cancel": RequestStatus.CANCELLED,
    "no_show": RequestStatus.NO_SHOW,
    "driver_cancel": RequestStatus.CANCELLED,
    "weather": RequestStatus.CANCELLED,
    "unmet": RequestStatus.UNMET,
}
#: Every outcome a ride can be closed with: staff's choices and a ride replaced by a change.
_CLOSING = {**OUTCOMES, "changed": RequestStatus.CANCELLED}


class TripError(ValueError):
    """The change cannot be made; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def cancel_ride(session: Session, staff: StaffUser, request: RideRequest, code: str,
                reason: str, tz: ZoneInfo, with_return: bool = False) -> None:
    """End a ride with an outcome code and reason; re-plan, audit and notify; commit.

    :param with_return: also end the outbound ride's return leg, when it is still open.
    :raise TripError: unknown outcome code, or the ride is already closed.
    """
    for leg in legs_to_cancel(session, request, with_return):
        _close(session, staff, leg, code, reason, tz)
    session.commit()


def cancel_by_rider(session: Session, rider: Resident, request: RideRequest, now: datetime,
                    late_hours: int, tz: ZoneInfo, with_return: bool = False) -> str:
    """The rider cancels their own ride from their phone; return the outcome code; commit.

    Within ``late_hours`` of the pick-up it counts as a late cancellation.

    :param with_return: also cancel the outbound ride's return leg, when it is still open.
    :raise TripError: not their ride, or the ride is already closed.
    """
    if request.rider_id != rider.id:
        raise TripError("not_yours")
    pickup = request.promised_pickup_start or request.window_start
    code = "late_cancel" if pickup - now < timedelta(hours=late_hours) else "rider_cancel"
    for leg in legs_to_cancel(session, request, with_return):
        _close(session, rider, leg, code, "cancelled by the rider on the phone page", tz)
    session.commit()
    return code


def open_return(session: Session, request: RideRequest) -> RideRequest | None:
    """Return the still open return leg of an outbound ride, if it has one."""
    if request.outbound_id is not None:
        return None
    inbound = session.exec(select(RideRequest).where(
        RideRequest.outbound_id == request.id)).first()
    return inbound if inbound is not None and inbound.status in OPEN_STATUSES else None


def legs_to_cancel(session: Session, request: RideRequest,
                   with_return: bool) -> list[RideRequest]:
    """Return the ride and, when asked and still open, its return leg."""
    inbound = open_return(session, request) if with_return else None
    return [request, *([inbound] if inbound is not None else [])]


def close_ride(session: Session, staff: Actor, request: RideRequest, code: str, reason: str,
               tz: ZoneInfo) -> None:
    """End a ride as ``cancel_ride`` does (re-plan, audit, tell rider and driver) without
    committing, for a use case with a larger transaction (erasure)."""
    _close(session, staff, request, code, reason, tz)


def _close(session: Session, staff: Actor, request: RideRequest, code: str,
           reason: str, tz: ZoneInfo) -> None:
    if code not in _CLOSING:
        raise TripError("unknown_outcome")
    if request.status not in OPEN_STATUSES:
        raise TripError("not_open")
    offer_id = request.promised_offer_id
    facts = _told(session, request)
    request.status, request.outcome_code = _CLOSING[code], code
    request.outcome_reason = reason.strip()[:500]
    session.add(request)
    session.flush()
    replan_after_cancel(session, request.id, tz)
    audit.record(session, staff, "cancel", "ride_request", request.id, request.rider_id,
                 f"{code}: {reason}")
    _notify_cancel(session, request, offer_id, None if code == "changed" else facts, tz)


def _told(session: Session, request: RideRequest):  # type: ignore[no-untyped-def]
    """Return what the rider was told about the ride (None if no promise was made)."""
    from carshare.services.notify_facts import ride_facts

    return ride_facts(session, request.id) if request.promised_pickup_start else None


def _notify_cancel(session: Session, request: RideRequest, offer_id: int | None, facts,  # type: ignore[no-untyped-def]
                   tz: ZoneInfo) -> None:
    from carshare.models import utcnow
    from carshare.notifications.settings import NotifySettings
    from carshare.services.notify_changes import RIDE_TEMPLATES
    from carshare.services.notify_driver import enqueue_driver_change
    from carshare.services.notify_rider import ride_drafts, write_all
    from carshare.services.outbox import cancel_pending

    cancel_pending(session, request.id, RIDE_TEMPLATES)
    if facts is not None:
        write_all(session, ride_drafts(session, facts, f"cancellation:{request.id}",
                                       "cancellation", utcnow(), NotifySettings.from_app()))
    if offer_id is not None:
        day = request.window_start.astimezone(tz).date()
        enqueue_driver_change(session, offer_id, day, f"cancel:{request.id}")


@dataclass(frozen=True)
class WeatherResult:
    """How many rides a weather day cancelled."""

    cancelled: int


def weather_rides(session: Session, town_id: int, day: date, settlement: str | None,
                  tz: ZoneInfo) -> list[RideRequest]:
    """Return the open rides a weather day would cancel (optionally touching one settlement),
    in time order: what staff are shown before they confirm."""
    start, end = day_bounds(day, tz)
    rides = list(session.exec(select(RideRequest).where(
        RideRequest.town_id == town_id, RideRequest.status.in_(OPEN_STATUSES),
        RideRequest.window_start >= start, RideRequest.window_start < end)
        .order_by(RideRequest.window_start, RideRequest.id)))
    return [r for r in rides if _touches(session, r, settlement)] if settlement else rides


def declare_weather_day(session: Session, staff: StaffUser, day: date, settlement: str | None,
                        reason: str, tz: ZoneInfo,
                        only: set[int] | None = None) -> WeatherResult:
    """Cancel every open ride of a day (optionally touching one settlement) as ``weather``.

    Weather is never the rider's fault: the outcome is ``weather``, not a no-show. Riders and
    drivers are told; the requests can be booked again. Commits.

    :param only: cancel only these rides (those staff were shown and confirmed); a ride booked
        since is left for staff to see.
    """
    rides = weather_rides(session, staff.town_id, day, settlement, tz)
    if only is not None:
        rides = [r for r in rides if r.id in only]
    for ride in rides:
        _close(session, staff, ride, "weather", reason, tz)
    session.commit()
    return WeatherResult(len(rides))


def _touches(session: Session, ride: RideRequest, settlement: str) -> bool:
    places = (session.get(Place, ride.pickup_place_id), session.get(Place, ride.dropoff_place_id))
    return any(p.settlement == settlement for p in places)
