"""The driver's own trip: every plan, quote and re-plan keeps it.

Checked from the plan itself (stops, times, places), not through the
evaluator: the own stop is visited within its times with no stop between
its arrival and departure, nobody is in the car meanwhile, the driving stays
within the driver's own direct trip plus the accepted extra, and promises
are kept.
"""

import math

from conftest import MIN, place, problem, request, vehicle
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_replan_quote import assert_promises_kept, promised

from carshare.domain.errors import DomainError
from carshare.domain.model import compile_problem
from carshare.domain.plan import Plan, StopKind, UnservedReason
from carshare.domain.quote import quote
from carshare.domain.replan import replan
from carshare.domain.routing import accepts
from carshare.domain.solver import SolveOptions, plan_from_routes, solve, solve_model
from carshare.domain.travel import EuclideanTravel
from carshare.domain.types import OwnStop

TRAVEL = EuclideanTravel(scale=MIN)
PLACES = tuple(place(k, float(k % 5) * 4, float(k // 5) * 4) for k in range(15))
FAST = SolveOptions(time_limit_s=1.0, deterministic=True, lns_iterations=100,
                    ortools_solutions=10)
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def minutes(a, b) -> int:
    """Driving seconds between two places of PLACES, as the travel model rounds them."""
    pa, pb = PLACES[a], PLACES[b]
    return math.ceil(math.hypot(pa.lat - pb.lat, pa.lon - pb.lon) * MIN - 1e-7)


def assert_own_trips_kept(prob, plan: Plan) -> None:
    """Each route of a vehicle with an own stop keeps the stop, its times and its extra."""
    vehicles = {v.id: v for v in prob.vehicles}
    for route in plan.routes:
        v = vehicles[route.vehicle_id]
        kinds = [s.kind for s in route.stops]
        places = [s.place for s in route.stops]
        drive = sum(minutes(a, b) for a, b in zip(places, places[1:], strict=False))
        if v.own is None:
            assert StopKind.OWN_ARRIVE not in kinds
            direct = minutes(v.start, v.end)
        else:
            assert kinds.count(StopKind.OWN_ARRIVE) == 1 and kinds.count(StopKind.OWN_LEAVE) == 1
            k = kinds.index(StopKind.OWN_ARRIVE)
            assert kinds[k + 1] is StopKind.OWN_LEAVE, "a stop between arrive and leave"
            arrive, leave = route.stops[k], route.stops[k + 1]
            assert arrive.place == leave.place == v.own.place
            assert arrive.arrival <= v.own.arrive_by and arrive.service_start <= v.own.arrive_by
            assert leave.departure >= v.own.leave_after
            assert arrive.load == 0 and leave.load == 0, "a rider left in the car"
            direct = minutes(v.start, v.own.place) + minutes(v.own.place, v.end)
        if v.extra_drive is not None:
            assert drive <= direct + v.extra_drive


@st.composite
def own_trip_problems(draw):
    """Up to three cars, some going somewhere of their own; up to six riders."""
    vehicles = []
    for k in range(draw(st.integers(1, 3))):
        home = draw(st.integers(0, 14))
        kw = {"extra_drive": draw(st.integers(0, 40)) * MIN}
        if draw(st.booleans()):
            arrive = draw(st.integers(30, 200))
            stay = draw(st.integers(0, 120))
            kw["own"] = OwnStop(draw(st.integers(0, 14)), arrive * MIN, (arrive + stay) * MIN)
        vehicles.append(vehicle(f"v{k}", start=home, end=home, seats=draw(st.integers(1, 3)),
                                wc=draw(st.integers(0, 1)), window=(0, 480), **kw))
    reqs = []
    for k in range(draw(st.integers(1, 6))):
        a, b = draw(st.integers(0, 14)), draw(st.integers(0, 14))
        assume(a != b)
        t = draw(st.integers(20, 400))
        window = {"dw" if draw(st.booleans()) else "pw": (t, t + draw(st.integers(10, 60)))}
        reqs.append(request(f"r{k}", a, b, party=draw(st.integers(1, 2)),
                            wheelchair=draw(st.booleans()), **window))
    try:
        prob = problem(vehicles, reqs, PLACES)
        compile_problem(prob, TRAVEL)
    except DomainError:
        assume(False)
    return prob


@SETTINGS
@given(own_trip_problems())
def test_every_plan_keeps_the_drivers_own_trips(prob):
    m = compile_problem(prob, TRAVEL)
    routes = solve_model(m, FAST)
    assert accepts(m, routes), "OR-Tools' model (drive dimension, own stops) disagrees"
    plan = plan_from_routes(m, routes)
    assert_own_trips_kept(prob, plan)
    assert {u.request_id for u in plan.unserved} | set(plan.served) == {
        r.id for r in prob.requests}


@SETTINGS
@given(own_trip_problems(), st.integers(20, 400), st.integers(0, 14), st.integers(0, 14))
def test_quotes_and_replans_keep_own_trips_and_promises(prob, t, a, b):
    assume(a != b)
    plan = solve(prob, TRAVEL, FAST)
    prob = promised(prob, plan)
    m = compile_problem(prob, TRAVEL)
    new = request("new", a, b, dw=(t, t + 30))
    q = quote(m, plan, new)
    for option in q.options:
        seq = option.sequence
        vehicle = next(v for v in prob.vehicles if v.id == option.vehicle_id)
        if vehicle.own is not None:
            k = seq.index((None, StopKind.OWN_ARRIVE))
            assert seq[k + 1] == (None, StopKind.OWN_LEAVE)
    more = prob.with_requests(prob.requests + (new,))
    result = replan(compile_problem(more, TRAVEL), plan, FAST)
    assert_promises_kept(more, result.plan)
    assert_own_trips_kept(more, result.plan)


def friday():
    """村上's trip: home (0) -> hospital (10) by 10:00 (240), leaving after 13:30 (450)."""
    line = tuple(place(k, float(k * 7)) for k in range(11))  # 7 minutes between places
    murakami = vehicle("murakami", start=0, end=0, seats=3, window=(120, 540),
                       own=OwnStop(10, 240 * MIN, 450 * MIN), extra_drive=20 * MIN)
    return line, murakami


def test_riders_going_the_same_way_ride_there_and_back():
    line, murakami = friday()
    reqs = [request("suzuki", 1, 10, dw=(200, 240)), request("suzuki-back", 10, 1, pw=(420, 480)),
            request("yamamoto", 2, 10, dw=(220, 270), party=2),
            request("yamamoto-back", 10, 2, pw=(420, 480), party=2)]
    plan = solve(problem([murakami], reqs, line), EuclideanTravel(MIN), FAST)
    assert set(plan.served) == {r.id for r in reqs}
    stops = [(s.kind, s.request_id) for s in plan.routes[0].stops]
    arrive = stops.index((StopKind.OWN_ARRIVE, None))
    assert stops[arrive + 1] == (StopKind.OWN_LEAVE, None)
    assert {rid for _, rid in stops[:arrive] if rid} == {"suzuki", "yamamoto"}
    assert {rid for _, rid in stops[arrive + 2:] if rid} == {"suzuki-back", "yamamoto-back"}


def test_a_rider_the_other_way_is_told_why():
    line, murakami = friday()
    away = request("away", 3, 0, pw=(250, 300))  # would need the car during the appointment
    plan = solve(problem([murakami], [away], line), EuclideanTravel(MIN), FAST)
    assert plan.unserved[0].reason is UnservedReason.OFF_ROUTE
    far = request("far", 1, 9, dw=(200, 240))
    far_line = line[:9] + (place(9, 63.0, 30.0), line[10])  # 30 minutes off the road
    plan = solve(problem([murakami], [far], far_line), EuclideanTravel(MIN), FAST)
    assert plan.unserved[0].reason is UnservedReason.EXTRA_DRIVE


def test_seats_taken_by_the_driver_trip_are_never_overbooked():
    line, murakami = friday()
    reqs = [request(f"r{k}", 1 + k % 3, 10, dw=(200, 240), party=2) for k in range(3)]
    plan = solve(problem([murakami], reqs, line), EuclideanTravel(MIN), FAST)
    assert len(plan.served) == 1 and len(plan.unserved) == 2
    assert {u.reason for u in plan.unserved} == {UnservedReason.CAPACITY}
