"""How the demo's past days went: the drivers' button presses, a few no-shows, costs, a gift."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlmodel import Session

from carshare.models import (
    Driver,
    Offer,
    Place,
    RequestStatus,
    Resident,
    RideRequest,
    StaffUser,
    Stop,
    StopKind,
    TripEventKind,
)
from carshare.services.cost_items import ItemInput, add_cost_item
from carshare.services.cost_ledger import GiftInput, record_gift
from carshare.services.costs import TripStops, completed_trips
from carshare.services.driver_trips import Press, record
from carshare.services.plans import active_plan, routes_of

K = TripEventKind
NO_SHOW_RATE = 0.03
NO_SHOW_NOTE = "玄関で5分待ったが不在。電話もつながらず"
#: Parking at Wakkanai, entered for the first trips there: (destination name part, yen, note).
PARKING = (("稚内病院", 300, "市立稚内病院 駐車場"), ("稚内駅", 200, "駅前駐車場"))


class Outcomes:
    """Presses the buttons of past trips through the driver service, as a phone would."""

    def __init__(self, session: Session, town_id: int, staff: StaffUser,
                 rng: random.Random) -> None:
        self.session, self.town_id, self.staff, self.rng = session, town_id, staff, rng
        self.completed = 0
        self.absent: set[int] = set()

    def drive(self, day: date) -> None:
        """Press started, picked up and dropped off (or no-show) along each route of ``day``."""
        plan = active_plan(self.session, self.town_id, day)
        self.absent.clear()  # rides with a no-show: nobody to drop off
        missing: set[int] = set()  # riders who were not there: their return finds nobody
        for route, stops in routes_of(self.session, plan):
            riders = [s for s in stops if s.request_id is not None]
            if not riders:
                continue
            driver = self._driver_of(route.offer_id)
            late = timedelta(minutes=self.rng.randint(-3, 8))  # the whole car runs early or late
            clock = self._press(driver, route.offer_id, day, K.STARTED, None,
                                route.starts_at + late, "")
            for stop in riders:
                clock = self._stop(driver, route.offer_id, day, stop, late, clock, missing)

    def _stop(self, driver: Resident, offer_id: int, day: date, stop: Stop,
              late: timedelta, clock: datetime, missing: set[int]) -> datetime:
        at = max(stop.service_start_at + late + timedelta(minutes=self.rng.randint(0, 2)),
                 clock + timedelta(minutes=1))
        rider = self.session.get(RideRequest, stop.request_id).rider_id
        if stop.kind is StopKind.DROPOFF:
            if stop.request_id in self.absent:
                return clock
            self.completed += 1
            return self._press(driver, offer_id, day, K.DROPPED_OFF, stop.request_id, at, "")
        if rider in missing or self.rng.random() < NO_SHOW_RATE:
            missing.add(rider)
            self.absent.add(stop.request_id)
            return self._press(driver, offer_id, day, K.NO_SHOW, stop.request_id, at,
                               NO_SHOW_NOTE)
        return self._press(driver, offer_id, day, K.PICKED_UP, stop.request_id, at, "")

    def _press(self, driver: Resident, offer_id: int, day: date, kind: TripEventKind,
               request_id: int | None, at: datetime, note: str) -> datetime:
        key = f"demo-{offer_id}-{day.isoformat()}-{kind.value}-{request_id or 0}"
        record(self.session, self.town_id, driver,
               Press(offer_id, day, kind, request_id, key, at, note))
        return at

    def _driver_of(self, offer_id: int) -> Resident:
        driver = self.session.get(Driver, self.session.get(Offer, offer_id).driver_id)
        return self.session.get(Resident, driver.resident_id)

    def extras(self, first: date, last: date) -> None:
        """Enter parking on a Wakkanai trip of this month and one of the month before, and a
        rider's thank-you gift on the last trip."""
        trips = completed_trips(self.session, self.town_id, first, last)
        month_start = (last + timedelta(days=1)).replace(day=1)
        for (part, yen, note), before in zip(PARKING, (last, month_start - timedelta(days=1)),
                                             strict=True):
            trip = next((t for t in reversed(trips) if t.day <= before
                         and part in self._destination(t.offer)), None)
            if trip is not None:
                add_cost_item(self.session, self._driver_of(trip.offer.id), self.town_id,
                              trip.offer.id, trip.day, ItemInput("parking", yen, True, note))
        if trips:
            self._gift(trips[-1])

    def _gift(self, trip: TripStops) -> None:
        rides = [self.session.get(RideRequest, s.request_id) for s in trip.stops
                 if s.kind is StopKind.PICKUP]
        rider = next(r.rider_id for r in rides if r.status is RequestStatus.COMPLETED)
        record_gift(self.session, self.staff, GiftInput(
            trip.offer.driver_id, trip.day, "手作りの漬物（お礼）", None, rider))

    def _destination(self, offer: Offer) -> str:
        return self.session.get(Place, offer.destination_place_id).name
