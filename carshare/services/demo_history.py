"""Six weeks of past service for the demo town, so that reports, costs and ledgers show something.

Every day before the load day gets the drivers' weekly offers as they were then, ride requests
(see :mod:`demo_requests`), a plan from the real planner, and the drivers' button presses (see
:mod:`demo_outcomes`). A few riders cancel before the day; a few rides stay unmet. Nothing is
sent to anybody: every date is past.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.domain import plan as dp
from carshare.domain.model import compile_problem
from carshare.domain.replan import replan
from carshare.domain.solver import SolveOptions
from carshare.models import (
    Driver,
    Offer,
    RequestStatus,
    Resident,
    RideRequest,
    StaffUser,
    Town,
    Vehicle,
)
from carshare.services import demo_data as data
from carshare.services.cost_settings import save_fuel_price
from carshare.services.demo import own_trip
from carshare.services.demo_outcomes import Outcomes
from carshare.services.demo_requests import PastRequests
from carshare.services.planning import PROMISE_HALF_WIDTH
from carshare.services.plans import save_plan
from carshare.services.problem import DayData, day_data, to_problem
from carshare.services.requests import close_expired_requests
from carshare.services.trips import cancel_ride
from carshare.timeutil import day_bounds

HISTORY_DAYS = 42
#: Short, reproducible searches: a demo day has a handful of riders and cars.
SOLVE = SolveOptions(time_limit_s=1.0, deterministic=True, lns_iterations=300,
                     ortools_solutions=20)
CANCEL_RATE = 0.04
EARLIER_FUEL_PRICE = "172.0"


@dataclass(frozen=True)
class HistoryResult:
    """What the history loader did."""

    created: bool
    days: int = 0
    requests: int = 0
    completed: int = 0


def load_history(session: Session, now: datetime, tz: ZoneInfo,
                 days: int | None = None) -> HistoryResult:
    """Load ``days`` (default :data:`HISTORY_DAYS`) days of past service for the demo town,
    unless it has a past already (a ride request before today): a second load does nothing.

    Commits day by day (planning and the driver's buttons commit as they do in service).

    :raise LookupError: the demo town is not loaded (run :func:`demo.seed_demo` first).
    """
    town = session.exec(select(Town).where(Town.slug == data.TOWN["slug"])).first()
    if town is None:
        raise LookupError("demo town not loaded")
    today = now.astimezone(tz).date()
    if _has_past(session, town.id, today, tz):
        return HistoryResult(created=False)
    history = _History(session, town, today, tz)
    result = history.load(days or HISTORY_DAYS)
    close_expired_requests(session, now)  # what the housekeeping job does: unmet, with a reason
    return result


def _has_past(session: Session, town_id: int, today: date, tz: ZoneInfo) -> bool:
    start, _end = day_bounds(today, tz)
    return session.exec(select(RideRequest.id).where(
        RideRequest.town_id == town_id, RideRequest.window_start < start)).first() is not None


@dataclass(frozen=True)
class _Car:
    driver: Driver
    person: Resident
    vehicle: Vehicle


class _History:
    """Builds the past day by day, with one seeded random source."""

    def __init__(self, session: Session, town: Town, today: date, tz: ZoneInfo) -> None:
        self.session, self.town, self.today, self.tz = session, town, today, tz
        self.rng = random.Random(1898)  # the year Teshio's first post office opened
        self.staff = session.exec(select(StaffUser).where(
            StaffUser.town_id == town.id, StaffUser.username == data.DEMO_LOGINS[0][0])).one()
        self.cars = self._cars()
        self.requests = PastRequests(session, town.id, {c.person.id for c in self.cars}, tz,
                                     self.rng)

    def _cars(self) -> list[_Car]:
        rows = self.session.exec(select(Driver, Resident).join(
            Resident, Driver.resident_id == Resident.id)
            .where(Resident.town_id == self.town.id).order_by(Driver.id))
        return [_Car(driver, person, self.session.exec(select(Vehicle).where(
            Vehicle.driver_id == driver.id).order_by(Vehicle.id)).first())
            for driver, person in rows]

    def load(self, days: int) -> HistoryResult:
        first = self.today - timedelta(days=days)
        self._birth_years()
        save_fuel_price(self.session, self.staff, first - timedelta(days=14), EARLIER_FUEL_PRICE)
        offers = [self._offer(first, *row) for row in data.WEEKLY_OFFERS]
        self.session.commit()
        outcomes = Outcomes(self.session, self.town.id, self.staff, self.rng)
        count = 0
        for n in range(days):
            day = first + timedelta(days=n)
            requests = self.requests.day(day, [o for o in offers if o.weekday == day.weekday()])
            count += sum(len(g) for g in requests)
            self._cancel_some(requests)
            if self._plan(day):
                outcomes.drive(day)
        outcomes.extras(first, self.today - timedelta(days=1))
        return HistoryResult(True, days, count, outcomes.completed)

    def _birth_years(self) -> None:
        """Give the demo residents birth years (riders mostly over 75), for the age bands."""
        drivers = {c.person.id for c in self.cars}
        people = self.session.exec(select(Resident).where(
            Resident.town_id == self.town.id).order_by(Resident.id))
        for person in people:
            if person.birth_year is None:
                low, high = (1950, 1978) if person.id in drivers else (1930, 1958)
                person.birth_year = self.rng.randint(low, high)
                self.session.add(person)

    def _offer(self, first: date, index, weekday, depart, back, dest, seats, detour, auto,  # type: ignore[no-untyped-def]
               note) -> Offer:
        """The weekly offer as it stood before the load day (the demo's own starts that day)."""
        car = self.cars[index]
        depart_after, return_by = time.fromisoformat(depart), time.fromisoformat(back)
        arrive_by, leave_after, extra = own_trip(index, weekday, depart, back, seats, detour)
        offer = Offer(town_id=self.town.id, driver_id=car.driver.id, vehicle_id=car.vehicle.id,
                      depart_after=depart_after, return_by=return_by,
                      start_place_id=car.person.home_place_id,
                      end_place_id=car.person.home_place_id,
                      destination_place_id=self.requests.facility[dest].id,
                      arrive_by=arrive_by, leave_after=leave_after, seats=seats,
                      wheelchair_spaces=car.vehicle.wheelchair_spaces,
                      extra_minutes=extra, auto_accept=auto,
                      note=note, weekday=weekday, valid_from=first,
                      valid_until=self.today - timedelta(days=1))
        self.session.add(offer)
        self.session.flush()
        return offer

    def _cancel_some(self, groups: list[list[RideRequest]]) -> None:
        """A few riders call off before the day was planned (nobody was promised anything)."""
        for group in groups:
            if self.rng.random() < CANCEL_RATE:
                code = self.rng.choice(("rider_cancel", "rider_cancel", "late_cancel"))
                for ride in group:
                    cancel_ride(self.session, self.staff, ride, code, "体調不良のため", self.tz)

    def _plan(self, day: date) -> bool:
        """Plan the day with the real planner, as the evening run did; return if any served."""
        data_ = day_data(self.session, self.town.id, day, self.tz)
        if not data_.requests:
            return False
        model = compile_problem(to_problem(data_), data_.travel)
        result = replan(model, dp.Plan((), (), 0), SOLVE)
        self._promise(data_, result.plan)
        save_plan(self.session, self.town.id, data_, result.plan, None, note="day planned")
        reasons = {u.request_id: u.reason.value for u in result.plan.unserved}
        for request_id, request in data_.requests.items():
            if request_id in reasons:
                request.status, request.outcome_code = RequestStatus.WAITING, reasons[request_id]
            else:
                request.status = RequestStatus.PLANNED
            self.session.add(request)
        self.session.commit()
        return bool(result.plan.served)

    def _promise(self, data_: DayData, plan: dp.Plan) -> None:
        """Tell each served rider their car and pick-up window, as the evening call did."""
        for route in plan.routes:
            for stop in route.stops:
                if stop.kind is dp.StopKind.PICKUP:
                    request = data_.requests[stop.request_id]
                    at = data_.origin + timedelta(seconds=stop.service_start)
                    request.promised_offer_id = route.vehicle_id
                    request.promised_pickup_start = at - PROMISE_HALF_WIDTH
                    request.promised_pickup_end = at + PROMISE_HALF_WIDTH

