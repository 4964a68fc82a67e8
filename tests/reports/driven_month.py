"""A hand-computable month of planned and pressed rides for the planned-against-driven report.

The town is the report fixture's (``tests.reports.fixtures.report_town``): a hospital in
本町, homes A and C in 北, B and D in 南. Each ride gets its own car (offer and route) in
the plan in force of its day; the driver's presses go through ``driver_trips.record``, as a
phone's would. Times are Japan time, June 2026 unless given.

June 2026 (minutes; lateness = press - planned; window ends included):

  ride corridor  day  planned up/down  promised up   arrive-by    pressed up/down  late up/down
  1    北→本町   1    09:00 / 09:20    08:50-09:10   -            09:02 / 09:25     +2 / +5
  2    北→本町   2    09:00 / 09:20    08:50-09:10   09:00-09:30  09:12 / 09:33    +12 / +13
  3    北→本町   3    10:00 / 10:20    09:50-10:10   10:00-10:30  09:58 / 10:19     -2 / -1
  4    北→本町   4    10:00 / 10:20    09:50-10:10   -            10:05 / (none)    +5 / -
  5    南→本町   5    08:00 / 08:40    07:50-08:10   08:20-08:50  08:10 / 08:50    +10 / +10
  6    南→本町   8    08:00 / 08:40    (none)        -            08:03 / 08:45     +3 / +5
  7    本町→北   9    11:00 / 11:20    10:50-11:10   -            11:30 / 11:52    +30 / +32

Not in June's figures: ride 1's superseded plan (planned 08:00), a ride planned on 10 June and
never pressed, the other town's ride on 2 June, and ride 8 (北→本町, 1 July, 09:00 / 09:20,
pressed 09:01 / 09:21).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from carshare.models import (
    Offer,
    Plan,
    PlanStatus,
    RequestStatus,
    Resident,
    RideRequest,
    Route,
    Stop,
    StopKind,
    TripEventKind,
    WindowKind,
)
from carshare.services.driver_trips import Press, record
from carshare.timeutil import TOKYO
from tests.factories import add
from tests.reports.fixtures import report_town

HM = tuple[int, int]


@dataclass(frozen=True)
class Spec:
    """One ride: day, home and direction, planned and pressed times (hour, minute)."""

    day: date
    home: str
    planned: tuple[HM, HM]
    pressed: tuple[HM | None, HM | None]
    promise: tuple[HM, HM] | None = None
    arrive_by: tuple[HM, HM] | None = None
    back: bool = False  # hospital -> home


def june(day: int) -> date:
    """Return a day of June 2026."""
    return date(2026, 6, day)


JUNE = [
    Spec(june(1), "A", ((9, 0), (9, 20)), ((9, 2), (9, 25)), ((8, 50), (9, 10))),
    Spec(june(2), "A", ((9, 0), (9, 20)), ((9, 12), (9, 33)), ((8, 50), (9, 10)),
         ((9, 0), (9, 30))),
    Spec(june(3), "A", ((10, 0), (10, 20)), ((9, 58), (10, 19)), ((9, 50), (10, 10)),
         ((10, 0), (10, 30))),
    Spec(june(4), "A", ((10, 0), (10, 20)), ((10, 5), None), ((9, 50), (10, 10))),
    Spec(june(5), "B", ((8, 0), (8, 40)), ((8, 10), (8, 50)), ((7, 50), (8, 10)),
         ((8, 20), (8, 50))),
    Spec(june(8), "B", ((8, 0), (8, 40)), ((8, 3), (8, 45))),
    Spec(june(9), "A", ((11, 0), (11, 20)), ((11, 30), (11, 52)), ((10, 50), (11, 10)),
         back=True),
]
UNPRESSED = Spec(june(10), "C", ((9, 0), (9, 20)), (None, None), ((8, 50), (9, 10)))
JULY = Spec(date(2026, 7, 1), "A", ((9, 0), (9, 20)), ((9, 1), (9, 21)), ((8, 50), (9, 10)))


def at(day: date, hm: HM) -> datetime:
    """Return the Japan time ``hm`` of ``day``."""
    return datetime.combine(day, time(*hm), tzinfo=TOKYO)


class Builder:
    """Adds rides of :class:`Spec` to a town: one plan per day, one car per ride."""

    def __init__(self, session: Session, town: dict[str, Any]) -> None:
        self.session, self.t = session, town
        self.plans: dict[tuple[date, PlanStatus], Plan] = {}
        self.driver = session.get(Resident, town["driver"].resident_id)

    def plan(self, day: date, status: PlanStatus = PlanStatus.ACTIVE) -> Plan:
        """Return the town's plan of ``day`` (version 1 in force, 2 superseded)."""
        key = (day, status)
        if key not in self.plans:
            self.plans[key] = add(self.session, Plan(
                town_id=self.t["town"].id, service_date=day, status=status,
                version=1 if status is PlanStatus.ACTIVE else 2))
        return self.plans[key]

    def ride(self, spec: Spec) -> RideRequest:
        """Add the ride, its car and stops in force, and press what the spec pressed."""
        t, day = self.t, spec.day
        ends = (t["homes"][spec.home].id, t["hospital"].id)
        pickup, dropoff = reversed(ends) if spec.back else ends
        up, down = (at(day, hm) for hm in spec.planned)
        window = ((at(day, spec.arrive_by[0]), at(day, spec.arrive_by[1])) if spec.arrive_by
                  else (up - timedelta(minutes=10), up + timedelta(hours=1)))
        promise = (at(day, spec.promise[0]), at(day, spec.promise[1])) if spec.promise else None
        offer = add(self.session, Offer(
            town_id=t["town"].id, driver_id=t["driver"].id, vehicle_id=t["car"].id,
            service_date=day, depart_after=time(7), return_by=time(19),
            start_place_id=t["homes"]["D"].id, end_place_id=t["homes"]["D"].id, seats=3))
        ride = add(self.session, RideRequest(
            town_id=t["town"].id, rider_id=t["riders"]["R1"].id, pickup_place_id=pickup,
            dropoff_place_id=dropoff,
            window_kind=WindowKind.ARRIVE_BY if spec.arrive_by else WindowKind.PICKUP_AFTER,
            window_start=window[0], window_end=window[1], status=RequestStatus.CONFIRMED,
            promised_offer_id=offer.id if promise else None,
            promised_pickup_start=promise[0] if promise else None,
            promised_pickup_end=promise[1] if promise else None))
        self.route(self.plan(day), offer, ride, up, down, promise)
        self.session.commit()
        for kind, hm in zip((TripEventKind.PICKED_UP, TripEventKind.DROPPED_OFF), spec.pressed,
                            strict=True):
            if hm is not None:
                record(self.session, t["town"].id, self.driver, Press(
                    offer.id, day, kind, ride.id, f"{kind.value}-{ride.id}", at(day, hm)))
        return ride

    def route(self, plan: Plan, offer: Offer, ride: RideRequest, up: datetime,
              down: datetime, promise: tuple[datetime, datetime] | None = None) -> Route:
        """Add a route of ``plan`` picking ``ride`` up at ``up`` and dropping it at ``down``."""
        row = add(self.session, Route(plan_id=plan.id, offer_id=offer.id,
                                      vehicle_id=self.t["car"].id, seats=3, starts_at=up,
                                      ends_at=down))
        for n, (kind, when) in enumerate(((StopKind.PICKUP, up), (StopKind.DROPOFF, down))):
            add(self.session, Stop(
                route_id=row.id, sequence=n, kind=kind, request_id=ride.id,
                place_id=ride.pickup_place_id if n == 0 else ride.dropoff_place_id,
                arrival_at=when, service_start_at=when, departure_at=when,
                promised_start=promise[0] if promise and n == 0 else None,
                promised_end=promise[1] if promise and n == 0 else None))
        return row


def driven_month(session: Session, slug: str = "drv") -> dict[str, Any]:
    """Build June 2026 (and its noise) as described above; commit."""
    town = report_town(session, slug)
    build = Builder(session, town)
    rides = [build.ride(spec) for spec in JUNE]
    first = rides[0]
    offer = session.get(Offer, session.get(Route, _route_id(session, first)).offer_id)
    build.route(build.plan(june(1), PlanStatus.SUPERSEDED), offer, first,
                at(june(1), (8, 0)), at(june(1), (8, 20)))
    build.ride(UNPRESSED)
    build.ride(JULY)
    Builder(session, report_town(session, f"{slug}2")).ride(JUNE[1])
    session.commit()
    return {**town, "rides": rides, "build": build}


def _route_id(session: Session, ride: RideRequest) -> int:
    from sqlmodel import select

    return session.exec(select(Stop.route_id).where(Stop.request_id == ride.id)).first()


def legs(build: Builder, month: int, minutes: list[int], planned: int = 30,
         year: int = 2026) -> list[RideRequest]:
    """Add one ride a day from the 1st of ``month``: planned ``planned`` minutes from
    10:00, driven as long as each of ``minutes``."""
    rides = []
    for n, driven in enumerate(minutes):
        day = date(year, month, 1 + n)
        end = datetime.combine(day, time(10), tzinfo=TOKYO) + timedelta(minutes=planned)
        off = (end + timedelta(minutes=driven - planned)).astimezone(TOKYO)
        rides.append(build.ride(Spec(day, "A", ((10, 0), (end.hour, end.minute)),
                                     ((10, 0), (off.hour, off.minute)))))
    return rides
