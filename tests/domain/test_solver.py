"""The solver on small problems, and unserved reasons."""

from conftest import MIN, problem, request, vehicle

from carshare.domain.evaluate import feasible
from carshare.domain.model import compile_problem
from carshare.domain.plan import StopKind, UnservedReason
from carshare.domain.solver import SolveOptions, plan_from_routes, solve, solve_model

FAST = SolveOptions(time_limit_s=1.0, deterministic=True, lns_iterations=200,
                    ortools_solutions=200)


def reason_of(plan, rid):
    return {u.request_id: u.reason for u in plan.unserved}[rid]


def test_pools_two_riders_in_one_car(travel):
    reqs = [request("a", 1, 9, dw=(0, 60)), request("b", 2, 8, dw=(0, 60))]
    plan = solve(problem([vehicle("x"), vehicle("y")], reqs), travel, FAST)
    assert len(plan.routes) == 1 and set(plan.served) == {"a", "b"}
    route = plan.routes[0]
    for rid in ("a", "b"):
        assert (route.stop_of(rid, StopKind.PICKUP).service_start
                < route.stop_of(rid, StopKind.DROPOFF).service_start)


def test_serving_more_beats_driving_less(travel):
    reqs = [request("near", 1, 2, pw=(0, 600)), request("far", 9, 10, pw=(0, 600))]
    plan = solve(problem([vehicle()], reqs), travel, FAST)
    assert set(plan.served) == {"near", "far"}


def test_wheelchair_rider_gets_the_car_with_space(travel):
    reqs = [request("w", 1, 3, pw=(0, 600), wheelchair=True)]
    plan = solve(problem([vehicle("plain"), vehicle("van", wc=1)], reqs), travel, FAST)
    assert plan.route_of("w").vehicle_id == "van"


def test_allowed_vehicles_are_respected(travel):
    reqs = [request("a", 1, 2, pw=(0, 600), allowed_vehicles=frozenset({"y"}))]
    plan = solve(problem([vehicle("x"), vehicle("y")], reqs), travel, FAST)
    assert plan.route_of("a").vehicle_id == "y"


def test_capacity_splits_parties_over_cars(travel):
    reqs = [request(k, 1, 5, dw=(8, 10), party=2) for k in "abc"]
    plan = solve(problem([vehicle(k, seats=3) for k in "xyz"], reqs), travel, FAST)
    assert len(plan.served) == 3 and len(plan.routes) == 3


def test_solver_routes_pass_the_shared_evaluator(travel):
    reqs = [request(k, k % 7 + 1, (3 * k) % 9 + 1, pw=(k * 5, k * 5 + 60)) for k in range(1, 9)
            if k % 7 + 1 != (3 * k) % 9 + 1]
    m = compile_problem(problem([vehicle("x", seats=2), vehicle("y", seats=2)], reqs), travel)
    routes = solve_model(m, FAST)
    assert all(feasible(m, v, seq) for v, seq in enumerate(routes))
    assert len(plan_from_routes(m, routes).served) == len(reqs)


def test_reason_no_offer(travel):
    plan = solve(problem([], [request("a", 1, 2, pw=(0, 60))]), travel, FAST)
    assert reason_of(plan, "a") is UnservedReason.NO_OFFER


def test_reason_no_wheelchair_space(travel):
    plan = solve(problem([vehicle()], [request("a", 1, 2, pw=(0, 60), wheelchair=True)]),
                 travel, FAST)
    assert reason_of(plan, "a") is UnservedReason.NO_WHEELCHAIR_SPACE


def test_reason_too_far(travel):
    plan = solve(problem([vehicle(start=0, end=1, detour_budget=5 * MIN)],
                         [request("a", 8, 9, pw=(0, 600))]), travel, FAST)
    assert reason_of(plan, "a") is UnservedReason.TOO_FAR


def test_reason_time(travel):
    plan = solve(problem([vehicle(window=(0, 60))], [request("a", 1, 2, pw=(300, 320))]),
                 travel, FAST)
    assert reason_of(plan, "a") is UnservedReason.TIME


def test_reason_capacity_when_cars_are_full(travel):
    reqs = [request("a", 1, 5, dw=(20, 25), party=3), request("b", 2, 5, dw=(20, 25))]
    plan = solve(problem([vehicle(seats=3)], reqs), travel, FAST)
    assert len(plan.served) == 1
    assert plan.unserved[0].reason is UnservedReason.CAPACITY


def test_deterministic_mode_repeats(travel):
    reqs = [request(k, k % 9 + 1, (5 * k) % 10 + 1, pw=(k * 3, k * 3 + 90)) for k in range(12)
            if k % 9 + 1 != (5 * k) % 10 + 1]
    prob = problem([vehicle("x"), vehicle("y")], reqs)
    opts = SolveOptions(time_limit_s=20, deterministic=True, lns_iterations=100,
                        ortools_solutions=50)
    assert solve(prob, travel, opts) == solve(prob, travel, opts)


def test_times_convert_to_aware_datetimes(travel):
    prob = problem([vehicle()], [])
    when = prob.to_datetime(3600)
    assert when.tzinfo is not None and prob.from_datetime(when) == 3600
