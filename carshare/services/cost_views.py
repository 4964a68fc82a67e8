"""What the cost pages show: a day's trips with their totals, one trip's cost sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from carshare.domain.costs import CostError
from carshare.models import Driver, Resident, StaffUser, TripCostItem, TripDistance
from carshare.services import audit
from carshare.services.audit import Actor
from carshare.services.cost_settings import cost_settings
from carshare.services.costs import (
    TripCosts,
    TripStops,
    cost_items,
    recorded_distance,
    trip_costs,
    trip_stops,
)
from carshare.services.plans import active_plan, routes_of


@dataclass(frozen=True)
class TripSheet:
    """A trip with what was entered for it, and its split or why it cannot be made yet."""

    trip: TripStops
    driver: Resident
    items: list[TripCostItem]
    distance: TripDistance | None
    costs: TripCosts | None
    problem: str
    insurance_enabled: bool
    rental_enabled: bool


def trip_sheet(session: Session, actor: Actor, town_id: int, offer_id: int,
               day: date) -> TripSheet:
    """Return the cost sheet of a trip of the town; audit who saw its riders.

    :raise CostError: ``no_trip`` when the town has no such trip that day.
    """
    trip = trip_stops(session, town_id, offer_id, day)
    driver = session.get(Resident, session.get(Driver, trip.offer.driver_id).resident_id)
    try:
        costs, problem = trip_costs(session, town_id, offer_id, day), ""
    except CostError as error:
        costs, problem = None, error.code
    if costs:
        who = "trip costs" if isinstance(actor, StaffUser) else "driver's trip costs"
        for rider in costs.riders:
            audit.record(session, actor, "view", "resident", rider.resident.id,
                         rider.resident.id, who)
        session.commit()
    settings = cost_settings(session, town_id)
    return TripSheet(trip, driver, cost_items(session, offer_id, day),
                     recorded_distance(session, offer_id, day), costs, problem,
                     settings.insurance_enabled, settings.rental_enabled)


@dataclass(frozen=True)
class DayTrip:
    """One route of a day in the cost list: its driver and total, or why there is none."""

    offer_id: int
    day: date
    driver: Resident
    riders: int
    whole: int | None
    problem: str


def day_trips(session: Session, town_id: int, day: date) -> list[DayTrip]:
    """Return every route of the town's active plan of ``day`` with its cost total."""
    plan = active_plan(session, town_id, day)
    found = []
    for route, stops in routes_of(session, plan) if plan else []:
        trip = trip_stops(session, town_id, route.offer_id, day)
        driver = session.get(Resident, session.get(Driver, trip.offer.driver_id).resident_id)
        riders = sum(1 for s in stops if s.request_id is not None) // 2
        try:
            whole, problem = trip_costs(session, town_id, route.offer_id, day).split.whole, ""
        except CostError as error:
            whole, problem = None, error.code
        found.append(DayTrip(route.offer_id, day, driver, riders, whole, problem))
    return found
