"""The driver's day: routes with ordered stops, riders' family names, where and whom to call."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from carshare.models import (
    Driver,
    Offer,
    Place,
    Resident,
    ResidentPhone,
    RideRequest,
    Stop,
    StopKind,
    Town,
)
from carshare.services import audit
from carshare.services.batch import by_id
from carshare.services.legs import OwnTrip, own_stop_at, own_trip
from carshare.services.notify_facts import PROMISED
from carshare.services.plans import active_plan, routes_of
from carshare.services.trip_progress import Progress, events_by_offer
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
    routes = routes_of(session, plan)
    offers = by_id(session, Offer, (r.offer_id for r, _ in routes))
    mine = [(offers[r.offer_id], stops) for r, stops in routes
            if offers[r.offer_id].driver_id == driver.id]
    every = [s for _, stops in mine for s in stops]
    places = by_id(session, Place, [s.place_id for s in every]
                   + [o.destination_place_id for o, _ in mine])
    requests = by_id(session, RideRequest, (s.request_id for s in every))
    people = by_id(session, Resident, (r.rider_id for r in requests.values()))
    numbers = _phones_of(session, people) if with_phones else {}
    zone = ZoneInfo(session.get(Town, resident.town_id).timezone) if mine else None  # type: ignore[union-attr]
    progress = events_by_offer(session, (o.id for o, _ in mine), day)
    trips = []
    for offer, stops in mine:
        rows = [_stop(s, places[s.place_id], requests.get(s.request_id) if s.request_id else None,
                      people, numbers) for s in stops]
        trips.append(Trip(offer, rows, progress[offer.id],  # type: ignore[index]
                          own_trip(session, offer, places),
                          own_stop_at(session, offer, stops, zone)))
    riders = sorted({s.request.rider_id for t in trips for s in t.riders})
    if riders:
        audit.record_residents(session, resident, "view", "manifest", riders,
                               f"driver manifest {day.isoformat()}", plan.id)
        session.commit()
    return trips


def _stop(stop: Stop, place: Place, request: RideRequest | None,
          people: dict[int, Resident], numbers: dict[int, str]) -> ManifestStop:
    if request is None:
        return ManifestStop(stop, place, None, "", "", "")
    rider = people[request.rider_id]
    notes = " / ".join(n for n in (rider.driver_notes, request.note) if n.strip())
    return ManifestStop(stop, place, request, rider.family_name,
                        numbers.get(rider.id, ""), notes)


def _phones_of(session: Session, resident_ids: Iterable[int]) -> dict[int, str]:
    """Each resident's first number as :func:`notify_facts.phones` orders them (the primary
    first), by resident id; one query."""
    wanted = set(resident_ids)
    if not wanted:
        return {}
    first: dict[int, str] = {}
    for row in session.exec(select(ResidentPhone)
                            .where(col(ResidentPhone.resident_id).in_(wanted))
                            .order_by(col(ResidentPhone.is_primary).desc(), ResidentPhone.id)):
        first.setdefault(row.resident_id, row.e164)
    return first
