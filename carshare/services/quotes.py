"""Quotes: the options read out during a call are not a ride request until the caller says yes.

A booking form stores its legs as ``QUOTED`` requests so the engine can answer for them; they
become real requests only when an option is confirmed or the caller takes the waiting list,
and an abandoned quote is deleted after :data:`~carshare.models.QUOTE_MINUTES`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from carshare.models import QUOTE_MINUTES, RequestStatus, RideRequest

#: Statuses whose options may be asked for and taken.
QUOTABLE = (RequestStatus.QUOTED, RequestStatus.REQUESTED, RequestStatus.WAITING)


def is_quote(request: RideRequest) -> bool:
    """Tell whether the request is still only a quote."""
    return request.status == RequestStatus.QUOTED


def take_up(session: Session, request: RideRequest) -> None:
    """The caller took this leg: its quoted legs become requests (no flush, no commit).

    The request itself keeps the status its caller sets next; a quoted return of an outbound
    becomes ``REQUESTED``, so a return the caller wants is never dropped as an abandoned quote.
    """
    if request.status == RequestStatus.QUOTED:
        request.status = RequestStatus.REQUESTED
        session.add(request)
    if request.outbound_id is None and request.id is not None:
        inbound = session.exec(select(RideRequest).where(
            RideRequest.outbound_id == request.id)).first()
        if inbound is not None and inbound.status == RequestStatus.QUOTED:
            inbound.status = RequestStatus.REQUESTED
            session.add(inbound)


def discard_quotes(session: Session, rider_id: int) -> int:
    """Delete the rider's open quotes (a new search replaces them); return how many."""
    ids = list(session.exec(select(RideRequest.id).where(
        RideRequest.rider_id == rider_id, RideRequest.status == RequestStatus.QUOTED)))
    return _delete(session, ids)


def delete_abandoned_quotes(session: Session, now: datetime) -> int:
    """Delete quotes older than the quote lifetime and commit; return how many legs."""
    cutoff = now - timedelta(minutes=QUOTE_MINUTES)
    ids = list(session.exec(select(RideRequest.id).where(
        RideRequest.status == RequestStatus.QUOTED, RideRequest.created_at < cutoff)))
    count = _delete(session, ids)
    session.commit()
    return count


def _delete(session: Session, ids: list[int | None]) -> int:
    """Delete the quoted requests ``ids``: return legs first (they point at their outbound)."""
    if not ids:
        return 0
    quoted = col(RideRequest.status) == RequestStatus.QUOTED
    session.exec(delete(RideRequest).where(  # type: ignore[call-overload]
        col(RideRequest.outbound_id).in_(ids), quoted))
    session.exec(delete(RideRequest).where(  # type: ignore[call-overload]
        col(RideRequest.id).in_(ids), quoted))
    session.expire_all()
    return len(ids)
