"""A road closure re-plans the rides it makes late, or shows them at risk (issue 20.4).

The test town's north road runs north_clinic → north_shop; closing its middle sends cars round
the bypass (a couple of minutes longer), closing a wide area around it leaves no way at all.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from flask import Flask
from sqlmodel import Session, select

from carshare.models import (
    ClosureKind,
    ContactChannel,
    Driver,
    PlanningRun,
    RequestStatus,
    Resident,
    RideRequest,
    RunStatus,
    Stop,
    StopKind,
    Vehicle,
    WindowKind,
    utcnow,
)
from carshare.services import replan_runs
from carshare.services.booking import BookingInput, create_booking
from carshare.services.closures import ClosureInput, add_closure, after_change, lift_closure
from carshare.services.planning import plan_day
from carshare.services.plans import active_plan
from carshare.services.timeline import at_risk, routes_on
from carshare.timeutil import TOKYO
from tests.factories import FUTURE, add, consent_all
from tests.roads.conftest import offer_from, river_town
from tests.roads.osm_town import NORTH_LAT, SOUTH_LAT

TODAY = FUTURE - timedelta(days=7)
MIDDLE = ClosureInput(FUTURE, ClosureKind.SEGMENT, NORTH_LAT, 141.745, 60, "北の道 工事",
                      NORTH_LAT, 141.755)
#: 1.5 km around the middle: the north road, the bypass and the street up the hill.
WIDE = ClosureInput(FUTURE, ClosureKind.AREA, NORTH_LAT, 141.75, 1500, "土砂崩れ")
ELSEWHERE = ClosureInput(FUTURE, ClosureKind.SEGMENT, SOUTH_LAT, 141.70, 60, "南の道 西端",
                         SOUTH_LAT, 141.705)


def _planned_ride(session: Session) -> dict[str, Any]:
    """A driver from north_clinic and a rider north_clinic → north_shop at 09:00, planned."""
    t = river_town(session)
    town, places = t["town"], t["places"]
    person = lambda name: add(session, Resident(  # noqa: E731
        town_id=town.id, family_name=name, given_name="花", family_name_kana="カワ",
        given_name_kana="ハナ", home_place_id=places["north_clinic"].id,
        contact_channel=ContactChannel.STAFF_CALL))
    rider, driver_person = person("川上"), person("川下")
    for someone in (rider, driver_person):
        consent_all(session, someone.id)
    driver = add(session, Driver(resident_id=driver_person.id,
                                 licence_expiry=FUTURE + timedelta(400),
                                 insurance_expiry=FUTURE + timedelta(400)))
    car = add(session, Vehicle(driver_id=driver.id, seats=3, fuel_economy_km_per_l=20,
                               colour="白", plate="川 1"))
    offer_from(session, town, driver.id, car.id, places["north_clinic"])
    session.commit()
    ride = create_booking(session, t["staff"], BookingInput(
        rider_id=rider.id, pickup_place_id=places["north_clinic"].id,
        dropoff_place_id=places["north_shop"].id, day=FUTURE,
        window_kind=WindowKind.PICKUP_AFTER, clock=time(9)), utcnow(), TOKYO).outbound
    result = plan_day(session, town.id, FUTURE, TOKYO, time_limit_s=2, deterministic=True)
    assert result.served == 1
    return {**t, "ride": ride}


def _ride_s(session: Session, t: dict) -> int:
    """Seconds from the planned pick-up to the planned drop-off in the plan in force."""
    plan = active_plan(session, t["town"].id, FUTURE)
    stops = {s.kind: s for s in session.exec(select(Stop).where(
        Stop.request_id == t["ride"].id)) if s.route_id in _route_ids(session, plan)}
    return int((stops[StopKind.DROPOFF].service_start_at
                - stops[StopKind.PICKUP].departure_at).total_seconds())


def _route_ids(session: Session, plan) -> set[int]:  # type: ignore[no-untyped-def]
    return {route.route.id for route in routes_on(session, plan.town_id, plan.service_date)}


def _risks(session: Session, t: dict) -> dict[int, str]:
    requests = list(session.exec(select(RideRequest).where(
        RideRequest.town_id == t["town"].id)))
    routes = routes_on(session, t["town"].id, FUTURE)
    return {r.request.id: r.reason for r in at_risk(session, requests, routes, FUTURE)}


def _replan(app: Flask, session: Session, run: PlanningRun) -> PlanningRun:
    """Run the re-planning as the background thread would, here and now."""
    replan_runs.execute(app, run.id)
    session.expire_all()
    return session.get(PlanningRun, run.id)


def test_a_closure_re_plans_the_ride_round_the_bypass(app: Flask, session: Session) -> None:
    t = _planned_ride(session)
    before = _ride_s(session, t)
    add_closure(session, t["staff"], MIDDLE, TODAY)
    effect = after_change(session, t["staff"], FUTURE, TODAY)
    assert effect.roads and effect.planned
    assert (effect.affected, effect.at_risk) == (1, 0)  # later, still within its window
    assert effect.started and effect.run.service_date == FUTURE
    done = _replan(app, session, effect.run)
    assert done.status == RunStatus.DONE and done.served == 1
    after = _ride_s(session, t)
    assert after > before + 120  # the new plan drives round the bypass
    assert session.get(RideRequest, t["ride"].id).status == RequestStatus.PLANNED
    assert _risks(session, t) == {}
    again = after_change(session, t["staff"], FUTURE, TODAY)  # the new plan fits the closure
    assert (again.affected, again.run) == (0, None)


def test_no_way_round_shows_the_ride_at_risk(app: Flask, session: Session) -> None:
    t = _planned_ride(session)
    closure = add_closure(session, t["staff"], WIDE, TODAY)
    effect = after_change(session, t["staff"], FUTURE, TODAY)
    assert (effect.affected, effect.at_risk) == (1, 1) and effect.started
    assert _risks(session, t) == {t["ride"].id: "closure"}  # before the re-planning ends
    _replan(app, session, effect.run)
    assert active_plan(session, t["town"].id, FUTURE).version == 2
    assert routes_on(session, t["town"].id, FUTURE) == []  # no car can take the ride
    assert _risks(session, t) == {t["ride"].id: "closure"}  # never silently late
    lift_closure(session, t["staff"], closure.id)
    lifted = after_change(session, t["staff"], FUTURE, TODAY, lifted=True)
    assert lifted.started  # the ride waits for a car: re-planned once the road is open
    _replan(app, session, lifted.run)
    assert _risks(session, t) == {}
    assert len(routes_on(session, t["town"].id, FUTURE)) == 1


def test_a_closure_elsewhere_affects_nothing(session: Session) -> None:
    t = _planned_ride(session)
    before = _ride_s(session, t)
    add_closure(session, t["staff"], ELSEWHERE, TODAY)
    effect = after_change(session, t["staff"], FUTURE, TODAY)
    assert (effect.planned, effect.affected, effect.at_risk, effect.run) == (True, 0, 0, None)
    assert _risks(session, t) == {} and _ride_s(session, t) == before


def test_lifting_restores_the_day(app: Flask, session: Session) -> None:
    t = _planned_ride(session)
    before = _ride_s(session, t)
    closure = add_closure(session, t["staff"], MIDDLE, TODAY)
    _replan(app, session, after_change(session, t["staff"], FUTURE, TODAY).run)
    assert _ride_s(session, t) > before + 120
    lift_closure(session, t["staff"], closure.id)
    lifted = after_change(session, t["staff"], FUTURE, TODAY, lifted=True)
    assert (lifted.affected, lifted.at_risk) == (0, 0)  # nothing is later without the closure
    _replan(app, session, replan_runs.start(session, t["staff"], FUTURE, 2)[0])
    assert _ride_s(session, t) == before  # the next re-planning takes the north road again
    assert _risks(session, t) == {}


def test_a_day_without_a_plan_is_left_alone(session: Session) -> None:
    t = river_town(session)
    add_closure(session, t["staff"], MIDDLE, TODAY)
    effect = after_change(session, t["staff"], FUTURE, TODAY)
    assert (effect.planned, effect.run) == (False, None)

