"""Changing a booked ride during a call.

Staff quote the changed ride as a new booking that *replaces* the old one
(``RideRequest.replaces_id``). The old ride stays booked while options are read out; only
when the caller takes the new ride up (an option, an alternative or the waiting list) is the
old ride, with its open return, cancelled as :data:`CHANGED` — in the same transaction. An
abandoned change leaves the booked ride as it was.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import OPEN_STATUSES, RideRequest
from carshare.services.audit import Actor

#: Outcome code of a ride replaced by a changed one (not the rider's cancellation).
CHANGED = "changed"


def changeable(session: Session, rider_id: int, request_id: int | None) -> RideRequest | None:
    """Return the rider's booked outbound ride ``request_id`` if it can still be changed
    (open, and the rider not yet picked up)."""
    from carshare.services.driver_done import is_on_board

    ride = session.get(RideRequest, request_id) if request_id else None
    if ride is None or ride.rider_id != rider_id or ride.outbound_id is not None:
        return None
    if ride.status not in OPEN_STATUSES or is_on_board(session, ride.id):
        return None
    return ride


def replaced_ids(session: Session, ride: RideRequest) -> set[int]:
    """Return the ids of the ride and its return: what the changed booking takes the place of."""
    inbound = session.exec(select(RideRequest.id).where(
        RideRequest.outbound_id == ride.id)).first()
    return {i for i in (ride.id, inbound) if i is not None}


def retire_replaced(session: Session, staff: Actor, request: RideRequest, tz: ZoneInfo) -> int:
    """The caller took ``request`` up: cancel the ride it replaces (and that ride's open
    return) as :data:`CHANGED`, re-plan and tell the driver; no commit. Return how many legs.

    The rider is not sent a cancellation: they hear about their new ride instead.
    """
    from carshare.services.trips import close_ride, legs_to_cancel

    old = session.get(RideRequest, request.replaces_id) if request.replaces_id else None
    if old is None or old.status not in OPEN_STATUSES:
        return 0
    legs = legs_to_cancel(session, old, with_return=True)
    for leg in legs:
        close_ride(session, staff, leg, CHANGED, f"changed to ride {request.id}", tz)
    return len(legs)
