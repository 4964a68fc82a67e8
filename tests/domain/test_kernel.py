"""Property tests: the compiled kernel (Numba) agrees with the shared evaluator.

On random small problems (2-6 requests, 1-3 vehicles, varied windows, ride
limits, seats, wheelchairs, allowed vehicles, a cost objective that differs
from travel time):

1. ``kernel.seq_feasible`` equals ``evaluate.feasible`` on random sequences of
   distinct nodes (valid ones and broken ones: drop-off first, a stop
   missing), ``kernel.route_cost`` equals ``evaluate.route_cost`` and the
   kernel's earliest/latest times equal ``evaluate.earliest``/``latest``;
   Closing a stop at its earliest time keeps a sequence feasible, one second
   earlier makes it infeasible, in both;
2. ``kernel.best_insertion`` finds the same cheapest insertion as
   ``insertion.best_insertion`` (also into routes closed at their earliest
   times, where every pruning test sits on its boundary);
3. ``fast_search.improve`` returns feasible routes that serve no fewer riders,
   keep every promise, cost no more when serving as many, and are the same
   twice for the same seed.

Hand-checkable cases: ride-time limits at and one second past the boundary,
and a promised rider kept over a cheaper one.  Sequences never repeat a node
(the evaluator accepts a repeated pick-up such as ``[0, 0, 1]``, the kernel
does not).
"""

import math
import random

import numpy as np
import pytest
from conftest import LINE, MIN, problem, request, vehicle
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from carshare.domain import evaluate, fast_search, insertion, kernel, kernel_lns
from carshare.domain.errors import DomainError
from carshare.domain.model import compile_problem, restrict
from carshare.domain.travel import EuclideanTravel
from carshare.domain.types import Place, Problem, Promise, Request, Vehicle, Window


class PlanarTravel:
    """Euclidean minutes as time, Manhattan metres as distance (they differ)."""

    def matrix(self, origins, targets, day):
        time = [[math.ceil(math.hypot(a.lat - b.lat, a.lon - b.lon) * MIN - 1e-7)
                 for b in targets] for a in origins]
        dist = [[round((abs(a.lat - b.lat) + abs(a.lon - b.lon)) * 700) for b in targets]
                for a in origins]
        return time, dist


TRAVEL = PlanarTravel()
PLACES = tuple(Place(k, f"p{k}", float(k % 4) * 3, float(k // 4) * 3) for k in range(12))
QUIET = [HealthCheck.too_slow, HealthCheck.filter_too_much]

spot = st.integers(0, 11)
service = st.sampled_from([0, MIN, 2 * MIN]) | st.integers(0, 120)  # whole minutes: ties


@st.composite
def small_models(draw, min_requests=2):
    """Return a compiled random problem (windows, ride limits, seats, wheelchairs, ...)."""
    nv = draw(st.integers(1, 3))
    vehicles = []
    for k in range(nv):
        start = draw(st.integers(0, 60))
        limit = draw(st.sampled_from(["none", "duration", "detour"]))
        vehicles.append(Vehicle(
            f"v{k}", draw(spot), draw(spot),
            Window(start * MIN, (start + draw(st.integers(120, 500))) * MIN),
            seats=draw(st.integers(1, 3)), wheelchair_spaces=draw(st.integers(0, 1)),
            max_duration=draw(st.integers(60, 300)) * MIN if limit == "duration" else None,
            detour_budget=draw(st.integers(20, 180)) * MIN if limit == "detour" else None))
    ids = [v.id for v in vehicles]
    requests = []
    for r in range(draw(st.integers(min_requests, 6))):
        a = draw(spot)
        b = (a + draw(st.integers(1, 11))) % 12
        t, width = draw(st.integers(0, 180)), draw(st.integers(5, 120))
        kind = draw(st.sampled_from(["pick", "drop", "both"]))
        pw = Window(t * MIN, (t + width) * MIN) if kind != "drop" else None
        lag = draw(st.integers(15, 90))
        dw = Window((t + lag) * MIN if kind == "both" else t * MIN,
                    (t + lag + width) * MIN if kind == "both" else (t + width) * MIN)
        allowed = draw(st.none() | st.frozensets(st.sampled_from(ids), max_size=nv))
        requests.append(Request(
            f"r{r}", a, b, pw, dw if kind != "pick" else None,
            party=draw(st.integers(1, 2)), wheelchair=draw(st.booleans()),
            pickup_service=draw(service), dropoff_service=draw(service),
            max_ride=draw(st.none() | st.integers(11, 50).map(lambda x: x * MIN)),
            allowed_vehicles=allowed))
    objective = draw(st.sampled_from(["time", "distance"]))
    prob = Problem(PLACES, tuple(vehicles), tuple(requests), objective=objective)
    try:
        return compile_problem(prob, TRAVEL)
    except DomainError:
        assume(False)


@st.composite
def node_sequences(draw, n):
    """Return a sequence of distinct nodes: paired, or broken on purpose."""
    chosen = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
    seq: list[int] = []
    for r in chosen:  # a random interleaving with each pick-up before its drop-off
        i = draw(st.integers(0, len(seq)))
        seq.insert(i, 2 * r)
        seq.insert(draw(st.integers(i + 1, len(seq))), 2 * r + 1)
    how = draw(st.sampled_from(["valid", "valid", "swap", "drop", "shuffle"]))
    if seq and how == "swap":  # some drop-off before its pick-up
        r = draw(st.sampled_from(chosen))
        i, j = seq.index(2 * r), seq.index(2 * r + 1)
        seq[i], seq[j] = seq[j], seq[i]
    elif seq and how == "drop":  # a stop missing (drop-off or pick-up)
        del seq[draw(st.integers(0, len(seq) - 1))]
    elif how == "shuffle":
        seq = draw(st.permutations(seq))
    return list(seq)


def arrays(m):
    return fast_search.pack(m, None)


# One scratch workspace for every call of every example (as one LNS chain reuses
# its own), so state left behind by a call would show in a later one.  Older
# kernels allocate their scratch arrays per call and take a buffer instead.
WORK = kernel.workspace(12, 12) if hasattr(kernel, "workspace") else None


def scratch(R):
    return WORK if WORK is not None else np.empty(R.shape[1] + 2, np.int64)


def k_feasible(data, v, seq):
    node, veh, tm, _cm, ride, allow, _prom, _rel = data
    a = np.array(seq + [0], dtype=np.int64)
    extra = () if WORK is None else (WORK,)
    return bool(kernel.seq_feasible(a, len(seq), v, node, veh, tm, ride, allow, *extra))


def k_cost(data, v, seq):
    node, veh, _tm, cm = data[:4]
    a = np.array(seq + [0], dtype=np.int64)
    return int(kernel.route_cost(a, len(seq), v, veh, node, cm))


def single_route(m, v, seq):
    routes = [[] for _ in m.v_start]
    routes[v] = list(seq)
    return routes


def random_feasible_routes(m, rng, share=0.8):
    """Return feasible routes: each request tried at a few random positions."""
    routes = [[] for _ in m.v_start]
    order = list(range(m.n))
    rng.shuffle(order)
    for r in order:
        if rng.random() > share:
            continue
        cars = list(range(len(routes)))
        rng.shuffle(cars)
        for v in cars:
            if _insert_somewhere(m, routes, v, r, rng):
                break
    return routes


def _insert_somewhere(m, routes, v, r, rng):
    seq = routes[v]
    for _ in range(4):
        i = rng.randint(0, len(seq))
        j = rng.randint(i + 1, len(seq) + 1)
        trial = seq[:]
        trial.insert(i, 2 * r)
        trial.insert(j, 2 * r + 1)
        if evaluate.feasible(m, v, trial):
            routes[v] = trial
            return True
    best = insertion.best_insertion(m, v, insertion.route_state(m, v, seq), r)
    if best is not None:
        routes[v] = best[1]
    return best is not None


# 1. feasibility and cost of any sequence -------------------------------------------


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=QUIET)
@given(st.data())
def test_kernel_feasibility_and_cost_match_evaluator(data):
    m = data.draw(small_models())
    packed = arrays(m)
    seq = data.draw(node_sequences(m.n))
    for v in range(len(m.v_start)):
        ours = evaluate.feasible(m, v, seq)
        event(f"feasible={ours}")
        assert k_feasible(packed.data, v, seq) == ours, (v, seq)
        if ours:
            assert k_cost(packed.data, v, seq) == evaluate.route_cost(m, v, seq)
            state = fast_search.new_state(m, single_route(m, v, seq), packed)
            early = evaluate.earliest(m, v, seq)
            assert state[2][v, : len(seq) + 2].tolist() == early
            assert state[3][v, : len(seq) + 2].tolist() == evaluate.latest(m, v, seq, early)
            assert state[8][v] == evaluate.route_cost(m, v, seq)
            if seq:
                at_limit(m, v, seq, early, data.draw(st.integers(1, len(seq) + 1)))


def at_limit(m, v, seq, early, k):
    """Close position k at its earliest time (still feasible), then 1 s before (not)."""
    for slack, ok in ((0, True), (-1, False)):
        if k <= len(seq):
            late = list(m.l)
            late[seq[k - 1]] = early[k] + slack
            mm = restrict(m, l=late)
        else:  # the vehicle's end
            ends = list(m.v_l)
            ends[v] = early[k] + slack
            mm = restrict(m, v_l=ends)
        assert evaluate.feasible(mm, v, seq) is ok
        assert k_feasible(arrays(mm).data, v, seq) is ok, (k, slack)


# 2. cheapest insertion ------------------------------------------------------------------


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=QUIET)
@given(small_models(), st.integers(0, 10**6))
def test_kernel_best_insertion_matches_python(m, seed):
    rng = random.Random(seed)
    routes = random_feasible_routes(m, rng, share=0.85)
    v = rng.randrange(len(routes))
    if rng.random() < 0.7:  # mostly the busiest vehicle
        v = max(range(len(routes)), key=lambda u: len(routes[u]))
    seq = routes[v]
    outside = [r for r in range(m.n) if 2 * r not in seq
               and (m.allowed[r] is None or v in m.allowed[r])]
    assume(outside)
    check_insertion(m, v, seq, rng.choice(outside))


def check_insertion(m, v, seq, r):
    """Assert the kernel's cheapest insertion of r equals the Python one; return it."""
    packed = arrays(m)
    S = fast_search.new_state(m, single_route(m, v, seq), packed)
    R, LEN, E, L, PL, SV, OP, ST = S[:8]
    node, veh, tm, cm, ride = packed.data[:5]
    c, i, j = kernel.best_insertion(r, v, R, LEN, E, L, PL, SV, OP, ST, node, veh, tm, cm,
                                    ride, scratch(R))
    expected = insertion.best_insertion(m, v, insertion.route_state(m, v, seq), r)
    event(f"insertable={expected is not None} stops={len(seq)}")

    def bounded(limit):
        return kernel.best_insertion(r, v, R, LEN, E, L, PL, SV, OP, ST, node, veh, tm, cm,
                                     ride, scratch(R), limit)

    if expected is None:
        assert c == kernel.BIG and (i, j) == (-1, -1)
        assert bounded(1) in ((kernel.BIG, -1, -1), (1, -2, -2))  # never a false insertion
        return None
    assert c == expected[0]
    assert bounded(c + 1) == (c, i, j)  # a limit above the cheapest changes nothing
    assert bounded(c) == (c, -2, -2)  # at the cheapest: "at least the limit"
    got = seq[: i - 1] + [2 * r] + seq[i - 1: j - 1] + [2 * r + 1] + seq[j - 1:]
    assert evaluate.feasible(m, v, got)
    # the delta counts an empty route as driving start -> end (route_cost says 0)
    before = evaluate.route_cost(m, v, seq) if seq else m.cost[m.v_start[v]][m.v_end[v]]
    assert evaluate.route_cost(m, v, got) - before == c
    assert got == expected[1]
    return expected


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=QUIET)
@given(small_models(), st.integers(0, 10**6))
def test_kernel_reinserts_into_a_rigid_route(m, seed):
    """Close every stop at its earliest time, take one request out, put it back.

    Every pruning test then sits on its boundary, and the old position stays
    feasible, so both implementations must find an insertion no dearer than it.
    """
    rng = random.Random(seed)
    routes = random_feasible_routes(m, rng, share=1.0)
    v = max(range(len(routes)), key=lambda u: len(routes[u]))
    full = routes[v]
    assume(full)
    early = evaluate.earliest(m, v, full)
    late, ends = list(m.l), list(m.v_l)
    for k, x in enumerate(full, 1):
        late[x] = early[k]
    ends[v] = early[-1]
    m = restrict(m, l=late, v_l=ends)
    assert evaluate.feasible(m, v, full)
    r = rng.choice(full) >> 1
    seq = [x for x in full if x >> 1 != r]
    assume(evaluate.feasible(m, v, seq))
    found = check_insertion(m, v, seq, r)
    assert found is not None
    before = evaluate.route_cost(m, v, seq) if seq else m.cost[m.v_start[v]][m.v_end[v]]
    assert found[0] <= evaluate.route_cost(m, v, full) - before


# 3. the compiled LNS ---------------------------------------------------------------------


def with_promises(m, routes, rng):
    """Return the model with a promise on some served requests (same routes stay feasible)."""
    reqs = list(m.problem.requests)
    for v, seq in enumerate(routes):
        for x in seq:
            if x & 1 == 0 and rng.random() < 0.5:
                r = x >> 1
                window = Window(m.e[x], m.l[x])
                reqs[r] = Request(**{**reqs[r].__dict__,
                                     "promise": Promise(m.problem.vehicles[v].id, window)})
    return compile_problem(m.problem.with_requests(tuple(reqs)), TRAVEL)


def served(routes):
    return {x >> 1 for seq in routes for x in seq}


def total(m, routes):
    return sum(evaluate.route_cost(m, v, seq) for v, seq in enumerate(routes))


@pytest.fixture(scope="module", autouse=True)
def _compiled():
    """Compile the LNS once, so no test's clock runs during the JIT."""
    m = compile_problem(problem([vehicle()], [request("a", 1, 5, pw=(0, 60)),
                                              request("b", 2, 3, pw=(0, 60))]),
                        EuclideanTravel(scale=MIN))
    fast_search.improve(m, [[0, 2, 3, 1]], seconds=30, max_iterations=8)


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=QUIET)
@given(small_models(min_requests=3), st.integers(0, 10**6), st.integers(0, 3))
def test_improve_keeps_riders_promises_and_feasibility(m, seed, lns_seed):
    rng = random.Random(seed)
    routes = random_feasible_routes(m, rng)
    m = with_promises(m, routes, rng)
    assert all(evaluate.feasible(m, v, seq) for v, seq in enumerate(routes) if seq)
    found = fast_search.improve(m, routes, seconds=5, seed=lns_seed, max_iterations=200,
                                options=None)
    event(f"served {len(served(routes))} -> {len(served(found))}")
    assert len(found) == len(routes)
    assert all(evaluate.feasible(m, v, seq) for v, seq in enumerate(found) if seq)
    assert all(sorted(seq) == sorted(set(seq)) for seq in found)  # nobody twice
    assert sum(map(len, found)) == 2 * len(served(found))
    assert len(served(found)) >= len(served(routes))
    assert m.promised <= served(routes)
    for r in m.promised:  # kept, and in the promised vehicle
        assert any(2 * r in seq for v, seq in enumerate(found) if v in m.allowed[r])
    if len(served(found)) == len(served(routes)):
        assert total(m, found) <= total(m, routes)
    again = fast_search.improve(m, routes, seconds=5, seed=lns_seed, max_iterations=200,
                                options=None)
    assert again == found


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=QUIET)
@given(small_models(min_requests=3), st.integers(0, 10**6), st.sampled_from([0.0, 50.0]))
def test_kernel_regret_insertion_leaves_only_what_fits_nowhere(m, seed, amp):
    """Lazy regret-2 insertion: feasible routes, nobody twice, and a rider left out
    fits into no final route (entries skipped as infeasible really stay so)."""
    rng = random.Random(seed)
    start = random_feasible_routes(m, rng, share=0.4)
    packed = fast_search.pack(m, None)
    state = fast_search.new_state(m, start, packed)
    pending = np.array(sorted(set(range(m.n)) - served(start)), dtype=np.int64)
    kernel_lns.seed_rng(seed)
    left = kernel_lns.regret_insert(pending, state, packed.data, amp, packed.workspace())
    found = fast_search.routes_of(state)
    assert all(evaluate.feasible(m, v, seq) for v, seq in enumerate(found) if seq)
    assert sum(map(len, found)) == 2 * len(served(found))
    assert served(start) <= served(found)
    outside = set(range(m.n)) - served(found)
    assert len(outside) == left
    for r in outside:
        for v, seq in enumerate(found):
            if m.allowed[r] is None or v in m.allowed[r]:
                st_v = insertion.route_state(m, v, seq)
                assert insertion.best_insertion(m, v, st_v, r) is None


def medium_model(seed, n_requests=40, n_vehicles=6):
    """Return a random model large enough for entries to go stale during regret insertion."""
    rng = random.Random(seed)
    cars = tuple(Vehicle(f"v{k}", rng.randrange(12), rng.randrange(12),
                         Window(0, 600 * MIN), seats=rng.randint(2, 4)) for k in range(n_vehicles))
    riders = []
    for r in range(n_requests):
        a = rng.randrange(12)
        t = rng.randrange(0, 480)
        riders.append(Request(f"r{r}", a, (a + rng.randint(1, 11)) % 12,
                              Window(t * MIN, (t + rng.randint(10, 60)) * MIN), None,
                              max_ride=rng.randint(15, 40) * MIN))
    return compile_problem(Problem(PLACES, cars, tuple(riders)), TRAVEL)


@pytest.mark.parametrize("seed", range(40))
def test_kernel_regret_insertion_on_larger_problems(seed):
    """Many riders and cars: stale entries are chosen, and must be evaluated again first."""
    m = medium_model(seed)
    packed = fast_search.pack(m, None)
    state = fast_search.new_state(m, [[] for _ in m.v_start], packed)
    kernel_lns.seed_rng(seed)
    left = kernel_lns.regret_insert(np.arange(m.n, dtype=np.int64), state, packed.data,
                                    packed.amp * (seed % 2), packed.workspace())
    found = fast_search.routes_of(state)
    assert all(evaluate.feasible(m, v, seq) for v, seq in enumerate(found) if seq)
    assert len(served(found)) == m.n - left


# hand-checkable ride-time rejection ---------------------------------------------------


def line_model(ride_a, a_close, b_close, b_drop):
    """Places 0..10 one minute apart; A rides 1 -> 5 (4 min direct), B rides 2 -> 3."""
    a = request("A", 1, 5, pw=(0, a_close), max_ride=ride_a)
    b = request("B", 2, 3, pw=(0, b_close), dw=b_drop)
    return compile_problem(problem([vehicle()], [a, b], LINE), EuclideanTravel(scale=MIN))


# Sequence: pick A (minute 1), pick B (2), drop B (3), drop A (5); 1 min per stop.
@pytest.mark.parametrize("ride_a, a_close, b_close, b_drop, ok", [
    # no waiting: A's ride is 1 + 1 travel + 1 + 1 travel + 1 + 2 travel = 6 min
    (6 * MIN, 10, 60, None, True),
    (6 * MIN - 1, 10, 60, None, False),
    # B's drop-off opens at 40 min, A must be picked up by 10: A's ride >= 32 min
    (30 * MIN, 10, 60, (40, 60), False),
    (30 * MIN, 10, 60, (20, 60), True),  # opens at 20 instead: ride 12 min
    # drop-off B at 20 (A's drop-off at 23): A's pick-up must wait until 23 - 1 - limit,
    # then B's pick-up 2 min later must still be by minute 12
    (12 * MIN, 30, 12, (20, 60), True),  # A picked up at 10, B at 12: just in time
    (12 * MIN - 1, 30, 12, (20, 60), False),  # 1 s less ride: B would be 1 s late
])
def test_kernel_rejects_ride_time_violation_like_evaluator(ride_a, a_close, b_close, b_drop,
                                                            ok):
    m = line_model(ride_a, a_close, b_close, b_drop)
    seq = [0, 2, 3, 1]
    data = arrays(m).data
    assert evaluate.feasible(m, 0, seq) is ok
    assert k_feasible(data, 0, seq) is ok
    assert evaluate.feasible(m, 0, [0, 1, 2, 3]) and k_feasible(data, 0, [0, 1, 2, 3])


def test_improve_keeps_a_promised_rider_over_a_cheaper_one():
    """One seat: A (promised, 1 -> 9) and B (1 -> 2) both need picking up by minute 2."""
    def model(promise):
        a = request("A", 1, 9, pw=(0, 2), promise=promise)
        b = request("B", 1, 2, pw=(0, 2))
        c = request("C", 3, 4, pw=(100, 120))
        car = vehicle(seats=1, window=(0, 200))
        return compile_problem(problem([car], [b, a, c], LINE), EuclideanTravel(scale=MIN))

    routes = [[2, 3, 4, 5]]  # A then C
    for promise, served_first in ((Promise("car", Window(0, 2 * MIN)), 1), (None, 0)):
        m = model(promise)
        assert evaluate.feasible(m, 0, routes[0])
        assert not evaluate.feasible(m, 0, [0, 1, 2, 3, 4, 5])  # not both A and B
        found = fast_search.improve(m, routes, seconds=5, max_iterations=200)
        assert served(found) == {served_first, 2}  # without the promise: the cheaper B
