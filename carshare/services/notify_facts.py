"""Read what a message says about a ride: the promise, the driver, the car, the places.

Only the minimum goes into a payload: times, a place label, the driver's family name and the
car's colour; never health notes, departments or other riders' names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import (
    Driver,
    Offer,
    Place,
    Plan,
    PlanStatus,
    RequestStatus,
    Resident,
    ResidentPhone,
    RideRequest,
    Route,
    Stop,
    Town,
    Vehicle,
)

PROMISED = (RequestStatus.PLANNED, RequestStatus.CONFIRMED)


@dataclass(frozen=True)
class RideFacts:
    """A promised ride as its messages need it."""

    request: RideRequest
    rider: Resident
    driver: Resident | None
    offer_id: int | None
    start: datetime
    end: datetime
    plan_version: int
    payload: dict[str, Any]


def phones(session: Session, resident_id: int) -> list[tuple[str, str]]:
    """Return the resident's (E.164, kind) pairs, the primary number first."""
    rows = session.exec(select(ResidentPhone).where(ResidentPhone.resident_id == resident_id)
                        .order_by(ResidentPhone.is_primary.desc(), ResidentPhone.id))
    return [(row.e164, row.kind.value) for row in rows]


def plan_version(session: Session, request_id: int) -> int:
    """Return the version of the active plan that carries the request (0 when none)."""
    query = (select(Plan.version).join(Route, Route.plan_id == Plan.id)
             .join(Stop, Stop.route_id == Route.id)
             .where(Stop.request_id == request_id, Plan.status == PlanStatus.ACTIVE))
    return session.exec(query).first() or 0


def driver_of_offer(session: Session, offer_id: int | None) -> tuple[Resident | None, str]:
    """Return the resident who drives an offer and their car's colour."""
    offer = session.get(Offer, offer_id) if offer_id else None
    if offer is None:
        return None, ""
    driver = session.get(Driver, offer.driver_id)
    vehicle = session.get(Vehicle, offer.vehicle_id)
    resident = session.get(Resident, driver.resident_id) if driver else None
    return resident, vehicle.colour if vehicle else ""


def trip_words(session: Session, offer_id: int | None, pickup_end: datetime) -> dict[str, Any]:
    """Return where the driver's own trip goes, and whether a rider whose pick-up window ends at
    ``pickup_end`` rides back from there (nothing for availability-only offers)."""
    offer = session.get(Offer, offer_id) if offer_id else None
    if offer is None or offer.destination_place_id is None:
        return {}
    place = session.get(Place, offer.destination_place_id)
    zone = ZoneInfo(session.get(Town, offer.town_id).timezone)
    back = offer.leave_after is not None and pickup_end.astimezone(zone).time() >= offer.leave_after
    return {"trip_name": place.name, "trip_kind": place.kind.value, "trip_back": back}


def ride_facts(session: Session, request_id: int) -> RideFacts | None:
    """Return the facts of a request's promise, or ``None`` if it has no promise yet."""
    request = session.get(RideRequest, request_id)
    if request is None or request.promised_pickup_start is None:
        return None
    rider = session.get(Resident, request.rider_id)
    driver, colour = driver_of_offer(session, request.promised_offer_id)
    pickup = session.get(Place, request.pickup_place_id)
    start, end = request.promised_pickup_start, request.promised_pickup_end
    payload = {"start": start.isoformat(), "end": end.isoformat(),  # type: ignore[union-attr]
               "pickup_name": pickup.name if pickup else "",
               "pickup_kind": pickup.kind.value if pickup else "home",
               "driver": driver.family_name if driver else "",
               "driver_kana": driver.family_name_kana if driver else "", "car": colour,
               **trip_words(session, request.promised_offer_id, end)}
    return RideFacts(request, rider, driver, request.promised_offer_id, start, end,  # type: ignore[arg-type]
                     plan_version(session, request_id), payload)


def offer_day_rides(session: Session, offer_id: int, day: date, tz: ZoneInfo
                    ) -> list[RideRequest]:
    """Return the promised rides of an offer on ``day``, by pick-up time."""
    query = (select(RideRequest)
             .where(RideRequest.promised_offer_id == offer_id, RideRequest.status.in_(PROMISED))
             .order_by(RideRequest.promised_pickup_start))
    return [r for r in session.exec(query)
            if r.promised_pickup_start.astimezone(tz).date() == day]  # type: ignore[union-attr]


def place_of(session: Session, place_id: int) -> dict[str, str]:
    """Return a place's settlement, kind and name (a driver sees a home as its settlement)."""
    return _place(session.get(Place, place_id))


def question_facts(session: Session, request: RideRequest) -> dict[str, Any]:
    """What a driver asked to take ``request`` is told, on the card and in the message: the
    rider's family name (as the driver will greet them) and its kana, the pick-up place (a
    home shown only as its settlement), the destination and the party."""
    rider = session.get(Resident, request.rider_id)
    dest = place_of(session, request.dropoff_place_id)
    return _question(request, rider, place_of(session, request.pickup_place_id), dest)


def questions_facts(session: Session, requests: list[RideRequest]) -> dict[int, dict[str, Any]]:
    """:func:`question_facts` of several rides, by request id (one query per table)."""
    from carshare.services.batch import by_id

    riders = by_id(session, Resident, (r.rider_id for r in requests))
    places = by_id(session, Place, [p for r in requests
                                    for p in (r.pickup_place_id, r.dropoff_place_id)])
    return {r.id: _question(r, riders.get(r.rider_id), _place(places.get(r.pickup_place_id)),  # type: ignore[misc]
                            _place(places.get(r.dropoff_place_id))) for r in requests}


def _place(place: Place | None) -> dict[str, str]:
    if place is None:
        return {"settlement": "", "place_kind": "other", "place_name": ""}
    return {"settlement": place.settlement, "place_kind": place.kind.value,
            "place_name": place.name}


def _question(request: RideRequest, rider: Resident | None, pickup: dict[str, str],
              dest: dict[str, str]) -> dict[str, Any]:
    return {**pickup,
            "rider": rider.family_name if rider else "",
            "rider_kana": rider.family_name_kana if rider else "",
            "dest_name": dest["place_name"], "dest_kind": dest["place_kind"],
            "party": request.party_size}


def manifest_payload(session: Session, rides: list[RideRequest], day: date) -> dict[str, Any]:
    """Return a driver's day summary: how many riders, first pick-up time and area."""
    if not rides:
        return {"start": f"{day.isoformat()}T12:00:00+09:00", "riders": 0}
    first = rides[0]
    return {"start": first.promised_pickup_start.isoformat(),  # type: ignore[union-attr]
            "first_start": first.promised_pickup_start.isoformat(),  # type: ignore[union-attr]
            "riders": sum(r.party_size for r in rides),
            **place_of(session, first.pickup_place_id)}
