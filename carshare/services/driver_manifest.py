"""The driver's day: routes with ordered stops, riders' first names, where and whom to call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from carshare.models import Driver, Offer, Place, Resident, RideRequest, Stop, StopKind
from carshare.services import audit
from carshare.services.legs import OwnTrip, own_stop_at, own_trip
from carshare.services.notify_facts import phones
from carshare.services.plans import active_plan, routes_of
from carshare.services.trip_progress import Progress, events_for

WINDOW_DAYS = 1  # a manifest opens the day before the trip and closes the day after


@dataclass(frozen=True)
class ManifestStop:
    """One stop as the driver needs it; rider fields are empty for start and end."""

    stop: Stop
    place: Place
    request: RideRequest | None
    first_name: str
    phone: str
    notes: str


@dataclass(frozen=True)
class Trip:
    """One offer's route of the day with the buttons pressed so far."""

    offer: Offer
    stops: list[ManifestStop]
    progress: Progress
    own: OwnTrip | None = None  # the driver's own errand (shown from the offer)
    own_at: int | None = None  # the stop index the own errand comes before

    @property
    def riders(self) -> list[ManifestStop]:
        """Return the pick-up stops, one per rider."""
        return [s for s in self.stops if s.stop.kind is StopKind.PICKUP]


def can_open(day: date, today: date) -> bool:
    """Tell whether a manifest of ``day`` may be opened ``today`` (the day before to after)."""
    return abs((day - today).days) <= WINDOW_DAYS


def manifest(session: Session, resident: Resident, driver: Driver, day: date) -> list[Trip]:
    """Return the driver's trips of ``day`` from the active plan; audit who was shown."""
    plan = active_plan(session, resident.town_id, day)
    if plan is None:
        return []
    trips = []
    for route, stops in routes_of(session, plan):
        offer = session.get(Offer, route.offer_id)
        if offer.driver_id == driver.id:
            trips.append(Trip(offer, [_stop(session, s) for s in stops],
                              events_for(session, offer.id, day), own_trip(session, offer),
                              own_stop_at(session, offer, stops)))
    riders = sorted({s.request.rider_id for t in trips for s in t.riders})
    if riders:
        audit.record_residents(session, resident, "view", "manifest", riders,
                               f"driver manifest {day.isoformat()}", plan.id)
        session.commit()
    return trips


def _stop(session: Session, stop: Stop) -> ManifestStop:
    place = session.get(Place, stop.place_id)
    if stop.request_id is None:
        return ManifestStop(stop, place, None, "", "", "")
    request = session.get(RideRequest, stop.request_id)
    rider = session.get(Resident, request.rider_id)
    numbers = phones(session, rider.id)
    notes = " / ".join(n for n in (rider.driver_notes, request.note) if n.strip())
    return ManifestStop(stop, place, request, rider.given_name,
                        numbers[0][0] if numbers else "", notes)
