"""The driver's day: routes with ordered stops, riders' family names, where and whom to call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import Driver, Offer, Place, Resident, RideRequest, Stop, StopKind
from carshare.services import audit
from carshare.services.legs import OwnTrip, own_stop_at, own_trip
from carshare.services.notify_facts import PROMISED, phones
from carshare.services.plans import active_plan, routes_of
from carshare.services.trip_progress import Progress, events_for
from carshare.timeutil import day_bounds

WINDOW_DAYS = 1  # a manifest opens the day before the trip and closes the day after
AHEAD_DAYS = 60  # a later day with riders promised to the driver opens too (no phones yet)


@dataclass(frozen=True)
class ManifestStop:
    """One stop as the driver needs it; rider fields are empty for start and end."""

    stop: Stop
    place: Place
    request: RideRequest | None
    name: str  # the rider's family name, as the driver greets them (「鈴木」 → 鈴木様)
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


def can_open(day: date, today: date, has_riders: bool = False) -> bool:
    """Tell whether a manifest of ``day`` may be opened ``today``: the day before to the day
    after, or any later day on which the driver has riders (what they accepted)."""
    ahead = (day - today).days
    return abs(ahead) <= WINDOW_DAYS or (has_riders and 0 <= ahead <= AHEAD_DAYS)


def phones_shown(day: date, today: date) -> bool:
    """Riders' phone numbers are shown only from the day before the trip."""
    return abs((day - today).days) <= WINDOW_DAYS


def rides_promised_on(session: Session, driver: Driver, day: date, tz: ZoneInfo) -> bool:
    """Tell whether a rider is promised to one of the driver's offers on ``day``."""
    start, end = day_bounds(day, tz)
    query = (select(RideRequest.id).join(Offer, Offer.id == RideRequest.promised_offer_id)
             .where(Offer.driver_id == driver.id, RideRequest.status.in_(PROMISED),
                    RideRequest.window_start >= start, RideRequest.window_start < end))
    return session.exec(query).first() is not None


def manifest(session: Session, resident: Resident, driver: Driver, day: date,
             with_phones: bool = True) -> list[Trip]:
    """Return the driver's trips of ``day`` from the active plan; audit who was shown.

    :param with_phones: show the riders' phone numbers (from the day before the trip).
    """
    plan = active_plan(session, resident.town_id, day)
    if plan is None:
        return []
    trips = []
    for route, stops in routes_of(session, plan):
        offer = session.get(Offer, route.offer_id)
        if offer.driver_id == driver.id:
            trips.append(Trip(offer, [_stop(session, s, with_phones) for s in stops],
                              events_for(session, offer.id, day), own_trip(session, offer),
                              own_stop_at(session, offer, stops)))
    riders = sorted({s.request.rider_id for t in trips for s in t.riders})
    if riders:
        audit.record_residents(session, resident, "view", "manifest", riders,
                               f"driver manifest {day.isoformat()}", plan.id)
        session.commit()
    return trips


def _stop(session: Session, stop: Stop, with_phones: bool = True) -> ManifestStop:
    place = session.get(Place, stop.place_id)
    if stop.request_id is None:
        return ManifestStop(stop, place, None, "", "", "")
    request = session.get(RideRequest, stop.request_id)
    rider = session.get(Resident, request.rider_id)
    numbers = phones(session, rider.id) if with_phones else []
    notes = " / ".join(n for n in (rider.driver_notes, request.note) if n.strip())
    return ManifestStop(stop, place, request, rider.family_name,
                        numbers[0][0] if numbers else "", notes)
