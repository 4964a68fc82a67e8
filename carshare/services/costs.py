"""Actual costs of a trip and their split among its riders (use cases around ``domain.costs``).

A trip is one offer on one service date. Driven kilometres come from the stops of the trip's
route in the active plan, measured with the planner's own travel model (start, every pick-up,
the drop-offs of riders who rode, end) unless staff entered the odometer reading. The
driver's own direct trip (start → their destination → end) is the base of the extra-only rule.
Only riders whose ride is completed share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from carshare.domain import types as d
from carshare.domain.costs import (
    MAX_TRIP_KM,
    CostError,
    Item,
    Part,
    Rider,
    Split,
    counted_items,
    split,
)
from carshare.models import (
    Driver,
    Offer,
    Place,
    RequestStatus,
    Resident,
    RideRequest,
    Route,
    Stop,
    StopKind,
    TownCostSettings,
    TripCostItem,
    TripDistance,
    Vehicle,
)
from carshare.services.cost_settings import (
    cost_settings,
    fuel_price_on,
    rounding_of,
)
from carshare.services.plans import active_plan, routes_of
from carshare.services.travel import MEASURING, travel_for


@dataclass(frozen=True)
class TripRider:
    """A rider who shares the trip's costs: their ride and who they are."""

    request: RideRequest
    resident: Resident


@dataclass(frozen=True)
class TripCosts:
    """Everything a receipt, the trip page or a report needs about one trip's costs."""

    offer: Offer
    day: date
    driver: Resident
    vehicle: Vehicle
    riders: list[TripRider]
    driven_km: Decimal
    km_from_staff: bool
    direct_km: Decimal
    yen_per_litre: Decimal
    km_per_litre: Decimal
    entered: list[TripCostItem]
    settings: TownCostSettings
    split: Split

    def part_of(self, request_id: int) -> Part | None:
        """Return the part of one rider's ride, or ``None`` when they do not share."""
        return next((p for p in self.split.parts if p.key == request_id), None)


@dataclass(frozen=True)
class TripStops:
    """The route of a trip in the active plan, with its stops in order."""

    offer: Offer
    day: date
    route: Route
    stops: list[Stop]


def trip_stops(session: Session, town_id: int, offer_id: int, day: date) -> TripStops:
    """Return the offer's route of ``day`` in the town's active plan.

    :raise CostError: ``no_trip`` — no such offer in the town, or no route that day.
    """
    offer = session.get(Offer, offer_id)
    plan = active_plan(session, town_id, day) if offer and offer.town_id == town_id else None
    for route, stops in routes_of(session, plan) if plan else []:
        if route.offer_id == offer_id:
            return TripStops(offer, day, route, stops)
    raise CostError("no_trip")


def trip_costs(session: Session, town_id: int, offer_id: int, day: date) -> TripCosts:
    """Compute the actual costs of a trip and each sharing rider's part (writes nothing).

    :raise CostError: ``no_trip``, ``no_completed_riders``, ``fuel_price_missing`` or a bad
        stored amount.
    """
    trip = trip_stops(session, town_id, offer_id, day)
    riders = _sharing_riders(session, trip.stops)
    if not riders:
        raise CostError("no_completed_riders")
    settings = cost_settings(session, town_id)
    price = fuel_price_on(session, town_id, day).yen_per_litre
    vehicle = session.get(Vehicle, trip.route.vehicle_id)
    economy = Decimal(str(round(vehicle.fuel_economy_km_per_l, 2)))
    override = recorded_distance(session, offer_id, day)
    driven = override.km if override else driven_km(session, trip.stops, riders, day)
    direct = direct_km(session, trip.offer, day)
    entered = cost_items(session, offer_id, day)
    items = counted_items(settings.split_rule, driven, direct, price, economy,
                          [Item(i.kind, Decimal(i.amount_yen), i.extra) for i in entered])
    parts = split(settings.split_rule, items,
                  [Rider(r.request.id, r.request.party_size) for r in riders],
                  rounding_of(settings))
    driver = session.get(Resident, session.get(Driver, trip.offer.driver_id).resident_id)
    return TripCosts(trip.offer, day, driver, vehicle, riders, driven, override is not None,
                     direct, price, economy, entered, settings, parts)


def _sharing_riders(session: Session, stops: list[Stop]) -> list[TripRider]:
    found = []
    for stop in stops:
        if stop.kind is StopKind.PICKUP:
            request = session.get(RideRequest, stop.request_id)
            if request.status is RequestStatus.COMPLETED:
                found.append(TripRider(request, session.get(Resident, request.rider_id)))
    return found


def _km(session: Session, place_ids: list[int], day: date) -> Decimal:
    """Return the kilometres of the path through ``place_ids`` with the planner's model
    (the town's settings; caches of its own, see :mod:`services.travel`)."""
    places = {p: session.get(Place, p) for p in place_ids}
    if not places:
        return Decimal(0)
    travel = travel_for(session, next(iter(places.values())).town_id, MEASURING)
    points = [d.Place(p.id, p.name, p.lat, p.lon) for p in places.values()]
    index = {p.id: i for i, p in enumerate(points)}
    _times, dist = travel.matrix(points, points, day)
    legs = zip(place_ids, place_ids[1:], strict=False)
    metres = sum(dist[index[a]][index[b]] for a, b in legs)
    return min(MAX_TRIP_KM, Decimal(metres) / 1000)


def driven_km(session: Session, stops: list[Stop], riders: list[TripRider], day: date) -> Decimal:
    """Return the trip's kilometres: start, all pick-ups, the riders' drop-offs, end."""
    rode = {r.request.id for r in riders}
    kept = [s.place_id for s in stops
            if s.kind is not StopKind.DROPOFF or s.request_id in rode]
    return _km(session, kept, day)


def direct_km(session: Session, offer: Offer, day: date) -> Decimal:
    """Return the driver's own trip alone: start → destination (if any) → end."""
    path = [offer.start_place_id, offer.destination_place_id, offer.end_place_id]
    return _km(session, [p for p in path if p is not None], day)


def recorded_distance(session: Session, offer_id: int, day: date) -> TripDistance | None:
    """Return staff's odometer correction of a trip, if any."""
    return session.exec(select(TripDistance).where(
        TripDistance.offer_id == offer_id, TripDistance.service_date == day)).first()


def cost_items(session: Session, offer_id: int, day: date) -> list[TripCostItem]:
    """Return the entered items of a trip (tolls, parking, …) in the order they were entered."""
    return list(session.exec(select(TripCostItem).where(
        TripCostItem.offer_id == offer_id, TripCostItem.service_date == day)
        .order_by(TripCostItem.id)))


def completed_trips(session: Session, town_id: int, start: date, end: date) -> list[TripStops]:
    """Return the trips between ``start`` and ``end`` (inclusive) with a completed ride."""
    from carshare.models import Plan, PlanStatus

    plans = session.exec(select(Plan).where(
        Plan.town_id == town_id, Plan.status == PlanStatus.ACTIVE,
        Plan.service_date >= start, Plan.service_date <= end).order_by(Plan.service_date))
    found = []
    for plan in plans:
        for route, stops in routes_of(session, plan):
            if _sharing_riders(session, stops):
                found.append(TripStops(session.get(Offer, route.offer_id), plan.service_date,
                                     route, stops))
    return found
