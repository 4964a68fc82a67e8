"""Quotes never move promises; re-planning keeps every promise."""

from conftest import MIN, problem, request, vehicle

from carshare.domain.convert import routes_from_plan
from carshare.domain.evaluate import feasible
from carshare.domain.model import compile_problem
from carshare.domain.plan import StopKind
from carshare.domain.quote import quote
from carshare.domain.replan import replan
from carshare.domain.routing import accepts
from carshare.domain.solver import SolveOptions, solve
from carshare.domain.types import Promise, Request, Window

FAST = SolveOptions(time_limit_s=1.0, deterministic=True, lns_iterations=200,
                    ortools_solutions=200)


def promised(prob, plan, width=10 * MIN):
    """Return the problem with every served request promised as planned."""
    out = []
    for req in prob.requests:
        route = plan.route_of(req.id)
        if route is None:
            out.append(req)
            continue
        t = route.stop_of(req.id, StopKind.PICKUP).service_start
        promise = Promise(route.vehicle_id, Window(t - width // 2, t + width // 2))
        out.append(Request(**{**req.__dict__, "promise": promise}))
    return prob.with_requests(tuple(out))


def assert_promises_kept(prob, plan):
    for req in prob.requests:
        if req.promise is None:
            continue
        route = plan.route_of(req.id)
        assert route is not None and route.vehicle_id == req.promise.vehicle_id
        assert req.promise.pickup_window.contains(route.stop_of(req.id,
                                                                StopKind.PICKUP).service_start)


def day(travel):
    reqs = [request("a", 1, 6, dw=(30, 40)), request("b", 2, 7, dw=(30, 45)),
            request("c", 3, 9, pw=(60, 80))]
    return problem([vehicle("x"), vehicle("y", start=10, end=10)], reqs)


def test_replan_keeps_promises_and_reports_changes(travel):
    prob = day(travel)
    plan = solve(prob, travel, FAST)
    prob = promised(prob, plan)
    more = prob.with_requests(prob.requests + (request("d", 8, 2, pw=(40, 70)),
                                               request("e", 9, 1, pw=(0, 30))))
    result = replan(compile_problem(more, travel), plan, FAST)
    assert_promises_kept(more, result.plan)
    kinds = {c.request_id: c.kind for c in result.changes}
    assert kinds.get("d") == "added" and kinds.get("e") == "added"
    assert not {"a", "b", "c"} & {rid for rid, k in kinds.items() if k == "moved"}


def test_replan_after_a_cancelled_offer_drops_only_what_it_must(travel):
    prob = day(travel)
    plan = solve(prob, travel, FAST)
    gone = plan.routes[0].vehicle_id
    keep = tuple(v for v in prob.vehicles if v.id != gone)
    result = replan(compile_problem(prob.__class__(prob.places, keep, prob.requests), travel),
                    plan, FAST)
    assert all(r.vehicle_id != gone for r in result.plan.routes)
    moved = {c.request_id for c in result.changes}
    assert set(plan.routes[0].request_ids) <= moved


def test_quote_options_are_feasible_sorted_and_keep_promises(travel):
    prob = day(travel)
    plan = solve(prob, travel, FAST)
    prob = promised(prob, plan)
    m = compile_problem(prob, travel)
    answer = quote(m, plan, request("n", 4, 8, dw=(35, 50)))
    assert answer.options
    costs = [o.added_cost for o in answer.options]
    assert costs == sorted(costs)
    mm = m.with_request(request("n", 4, 8, dw=(35, 50)))
    for option in answer.options:
        routes = routes_from_plan(mm, plan)
        v = [veh.id for veh in prob.vehicles].index(option.vehicle_id)
        index = {q.id: k for k, q in enumerate(mm.problem.requests)}
        routes[v] = [2 * index[r] + (k is StopKind.DROPOFF) for r, k in option.sequence]
        assert feasible(mm, v, routes[v]) and accepts(mm, routes)
        assert option.pickup_window.contains(option.pickup_time)
        assert option.ride_time <= mm.ride[-1]


def test_quote_without_option_gives_reason_and_alternatives(travel):
    prob = problem([vehicle("x", window=(60, 180))], [])
    m = compile_problem(prob, travel)
    answer = quote(m, solve(prob, travel, FAST), request("n", 1, 2, dw=(20, 30)))
    assert not answer.options
    assert answer.reason is not None and answer.reason.value == "time"
    # the only driver comes later: arriving later would miss the appointment, so no
    # same-day alternative is offered (an arrive-by ride may only move earlier)
    assert all(a.shift < 0 for a in answer.alternatives)
