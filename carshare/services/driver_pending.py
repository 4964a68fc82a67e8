"""Whether a promised ride still waits for its driver to accept it.

A ride on an offer that is not auto-accept holds its promise (seat, pick-up window) from the
moment staff confirm it, but the rider is told only once the driver accepts. Until then staff
and the rider see it as waiting for the driver.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from carshare.models import Assignment, AssignmentState, Offer, RequestStatus, RideRequest
from carshare.services.batch import by_id

HELD = (RequestStatus.PLANNED, RequestStatus.CONFIRMED)


def awaiting(session: Session, requests: Iterable[RideRequest]) -> set[int]:
    """Return the ids of ``requests`` whose promised driver has not accepted them yet.

    A ride waits when its offer is not auto-accept and no acceptance of that offer's driver
    is recorded (asked and unanswered, declined or lapsed while no other car took it, or
    not asked yet). A question left open on an offer that became auto-accept still waits.
    """
    held = [r for r in requests if r.status in HELD and r.promised_offer_id]
    if not held:
        return set()
    offer_ids = {r.promised_offer_id for r in held}
    offers = by_id(session, Offer, offer_ids)
    rows = session.exec(select(Assignment).where(
        Assignment.request_id.in_([r.id for r in held]), Assignment.offer_id.in_(offer_ids)))
    states = {(a.request_id, a.offer_id): a.state for a in rows}
    return {r.id for r in held  # type: ignore[misc]
            if _waits(offers[r.promised_offer_id], states.get((r.id, r.promised_offer_id)))}


def _waits(offer: Offer, state: AssignmentState | None) -> bool:
    if state is not None:
        return state != AssignmentState.ACCEPTED
    return not offer.auto_accept


def is_awaiting(session: Session, request_id: int) -> bool:
    """Tell whether one ride still waits for its driver to accept it."""
    request = session.get(RideRequest, request_id)
    return request is not None and request.id in awaiting(session, [request])


def refused(session: Session, requests: Iterable[RideRequest]) -> set[int]:
    """Return the ids of ``requests`` still promised on an offer whose driver declined them or
    let the time pass, because no other car could take them (staff must call the rider)."""
    held = {r.id: r.promised_offer_id for r in requests
            if r.status in HELD and r.promised_offer_id}
    if not held:
        return set()
    rows = session.exec(select(Assignment).where(
        Assignment.request_id.in_(list(held)),
        Assignment.state.in_((AssignmentState.DECLINED, AssignmentState.EXPIRED))))
    return {a.request_id for a in rows if held[a.request_id] == a.offer_id}
