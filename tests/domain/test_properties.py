"""Property tests: the shared evaluator agrees with the OR-Tools model.

On random small problems, (1) any random stop sequence is judged feasible by
the evaluator exactly when OR-Tools' constraint model accepts it, (2) the
solver's routes pass both, and (3) re-planning never breaks a promise.
"""

import random

from conftest import MIN, place, problem, request, vehicle
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from test_replan_quote import assert_promises_kept, promised

from carshare.domain.errors import DomainError
from carshare.domain.evaluate import feasible
from carshare.domain.model import compile_problem
from carshare.domain.replan import replan
from carshare.domain.routing import accepts
from carshare.domain.solver import SolveOptions, plan_from_routes, solve_model
from carshare.domain.travel import EuclideanTravel

TRAVEL = EuclideanTravel(scale=MIN)
PLACES = tuple(place(k, float(k % 4) * 3, float(k // 4) * 3) for k in range(12))
FAST = SolveOptions(time_limit_s=1.0, deterministic=True, lns_iterations=100,
                    ortools_solutions=10)
SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

req_strategy = st.tuples(
    st.integers(0, 11), st.integers(0, 11), st.integers(0, 60), st.integers(10, 120),
    st.booleans(), st.integers(1, 2), st.booleans(), st.integers(10, 60))


@st.composite
def small_problems(draw):
    nv = draw(st.integers(1, 2))
    vehicles = [vehicle(f"v{k}", start=draw(st.integers(0, 11)), end=draw(st.integers(0, 11)),
                        seats=draw(st.integers(1, 3)), wc=draw(st.integers(0, 1)),
                        max_duration=draw(st.integers(60, 300)) * MIN) for k in range(nv)]
    reqs = []
    for k, (a, b, t, w, arrive, party, chair, ride) in enumerate(draw(
            st.lists(req_strategy, min_size=1, max_size=4))):
        assume(a != b)
        window = {"dw" if arrive else "pw": (t, t + w)}
        reqs.append(request(f"r{k}", a, b, party=party, wheelchair=chair, max_ride=ride * MIN,
                            **window))
    prob = problem(vehicles, reqs, PLACES)
    try:
        return compile_problem(prob, TRAVEL)
    except DomainError:
        assume(False)


def random_routes(m, rng):
    routes = [[] for _ in m.v_start]
    for r in range(m.n):
        if rng.random() < 0.2:
            continue
        seq = routes[rng.randrange(len(routes))]
        i = rng.randint(0, len(seq))
        seq.insert(i, 2 * r)
        seq.insert(rng.randint(i + 1, len(seq)), 2 * r + 1)
    return routes


@SETTINGS
@given(small_problems(), st.integers(0, 10**6))
def test_evaluator_agrees_with_ortools_on_random_sequences(m, seed):
    routes = random_routes(m, random.Random(seed))
    ours = all(feasible(m, v, seq) for v, seq in enumerate(routes) if seq)
    event(f"feasible={ours} stops={sum(map(len, routes))}")
    assert ours == accepts(m, routes)


@SETTINGS
@given(small_problems())
def test_solver_routes_pass_evaluator_and_ortools(m):
    routes = solve_model(m, FAST)
    assert all(feasible(m, v, seq) for v, seq in enumerate(routes) if seq)
    assert accepts(m, routes)
    served = {x >> 1 for seq in routes for x in seq}
    for r in set(range(m.n)) - served:  # nobody left out who fits into a free car alone
        assert not any(feasible(m, v, [2 * r, 2 * r + 1])
                       for v, seq in enumerate(routes) if not seq)


@SETTINGS
@given(small_problems(), st.lists(req_strategy, min_size=1, max_size=2))
def test_replanning_never_breaks_a_promise(m, extra):
    plan = plan_from_routes(m, solve_model(m, FAST))
    prob = promised(m.problem, plan)
    added = tuple(request(f"n{k}", a, b, party=1, max_ride=ride * MIN,
                          **{"dw" if arrive else "pw": (t, t + w)})
                  for k, (a, b, t, w, arrive, _p, _c, ride) in enumerate(extra) if a != b)
    try:
        mm = compile_problem(prob.with_requests(prob.requests + added), TRAVEL)
    except DomainError:
        assume(False)
    result = replan(mm, plan, FAST)
    assert_promises_kept(mm.problem, result.plan)
