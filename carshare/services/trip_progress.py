"""Read-only trip progress for staff and the driver: which buttons were pressed, and when."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from carshare.models import TripEvent, TripEventKind


@dataclass(frozen=True)
class Progress:
    """The events of one offer on one day, and a one-line summary of them."""

    events: list[TripEvent]

    @property
    def started(self) -> bool:
        """Whether the driver pressed "started"."""
        return any(e.kind is TripEventKind.STARTED for e in self.events)

    def count(self, kind: TripEventKind) -> int:
        """Return how many riders have an event of ``kind``."""
        return sum(1 for e in self.events if e.kind == kind)

    def of(self, request_id: int | None) -> dict[TripEventKind, TripEvent]:
        """Return the events of one rider (``None``: the trip's own) by kind."""
        return {e.kind: e for e in self.events if e.request_id == request_id}


def events_for(session: Session, offer_id: int, day: date) -> Progress:
    """Return the recorded events of an offer's trip on ``day``, in the order they happened."""
    query = (select(TripEvent).where(TripEvent.offer_id == offer_id,
                                     TripEvent.service_date == day)
             .order_by(TripEvent.happened_at, TripEvent.id))
    return Progress(list(session.exec(query)))


def events_by_offer(session: Session, offer_ids: Iterable[int], day: date) -> dict[int, Progress]:
    """Return the progress of several offers' trips on ``day`` (one query), by offer id; an
    offer without events has an empty :class:`Progress`."""
    wanted = set(offer_ids)
    found: dict[int, list[TripEvent]] = {o: [] for o in wanted}
    if wanted:
        query = (select(TripEvent).where(col(TripEvent.offer_id).in_(wanted),
                                         TripEvent.service_date == day)
                 .order_by(TripEvent.happened_at, TripEvent.id))  # type: ignore[arg-type]
        for event in session.exec(query):
            found[event.offer_id].append(event)
    return {o: Progress(events) for o, events in found.items()}
