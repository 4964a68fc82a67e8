"""Route pool: set partitioning combines routes of different plans (a MIP solved by CBC).

Four riders on a line: a and b both ride 1 -> 2, c and d both ride 8 -> 9.
Sharing a car, a+b cost 4 minutes of driving from the depot at 0 and c+d
cost 18; alone each costs the same as the pair.  Plan B pairs a+b, plan C
pairs c+d; only the combination of both pairs (22) is optimal.
"""

from conftest import problem, request, vehicle

from carshare.domain import fast_search, route_pool
from carshare.domain.evaluate import feasible, route_cost
from carshare.domain.fast_search import pack
from carshare.domain.model import compile_problem
from carshare.domain.route_pool import RoutePool
from carshare.domain.routing import Columns, set_partition

A, B, C, D = 0, 1, 2, 3


def _model(travel, cars=3):
    reqs = [request(r, pick, pick + 1, pw=(0, 500)) for r, pick in zip("abcd", (1, 1, 8, 8),
                                                                     strict=True)]
    return compile_problem(problem([vehicle(f"car{k}") for k in range(cars)], reqs), travel)


def _route(*riders: int) -> list[int]:
    return [2 * r for r in riders] + [2 * r + 1 for r in riders]


def _costs(m, routes):
    return [route_cost(m, v, s) for v, s in enumerate(routes)]


def _total(m, routes) -> int:
    return sum(_costs(m, routes))


def test_recombination_joins_the_pairs_of_two_plans(travel):
    m = _model(travel)
    plan_b = [_route(A, B), _route(C), _route(D)]
    plan_c = [_route(A), _route(B), _route(C, D)]
    assert (_total(m, plan_b), _total(m, plan_c)) == (40 * 60, 26 * 60)
    pool = RoutePool(m, pack(m, None).data)
    assert pool.members == [[0, 1, 2]]  # identical cars form one class
    pool.add_routes(plan_b, _costs(m, plan_b))
    found = pool.recombine(m, plan_c, _costs(m, plan_c), 5.0, deterministic=True)
    assert found is not None
    assert _total(m, found) == 22 * 60
    assert sorted(sorted(x >> 1 for x in s if x & 1 == 0) for s in found if s) == [[A, B], [C, D]]
    assert all(feasible(m, v, s) for v, s in enumerate(found) if s)


def test_more_riders_win_over_lower_cost(travel):
    m = _model(travel, cars=2)
    served_three = [_route(A, B), _route(C)]  # d left out
    pool = RoutePool(m, pack(m, None).data)
    pool.add_routes([_route(C, D), []], _costs(m, [_route(C, D), []]))
    found = pool.recombine(m, served_three, _costs(m, served_three), 5.0, deterministic=True)
    assert found is not None
    assert sorted(x >> 1 for s in found for x in s if x & 1 == 0) == [A, B, C, D]


def test_no_pooled_route_beats_the_plan_keeps_it(travel):
    m = _model(travel, cars=2)
    best = [_route(A, B), _route(C, D)]
    pool = RoutePool(m, pack(m, None).data)
    pool.add_routes([_route(A), _route(B)], _costs(m, [_route(A), _route(B)]))
    found = pool.recombine(m, best, _costs(m, best), 5.0, deterministic=True)
    assert found is not None and _total(m, found) == _total(m, best)


def test_cars_differ_so_routes_stay_with_their_car(travel):
    cars = [vehicle("near", seats=2), vehicle("far", start=10, end=10, seats=2)]
    reqs = [request(r, pick, pick + 1, pw=(0, 500)) for r, pick in zip("abcd", (1, 1, 8, 8),
                                                                     strict=True)]
    m = compile_problem(problem(cars, reqs), travel)
    pool = RoutePool(m, pack(m, None).data)
    assert pool.members == [[0], [1]]
    swapped = [_route(C, D), _route(A, B)]
    straight = [_route(A, B), _route(C, D)]
    pool.add_routes(straight, _costs(m, straight))
    found = pool.recombine(m, swapped, _costs(m, swapped), 5.0, deterministic=True)
    assert found == straight


def test_set_partition_respects_the_number_of_cars_per_class():
    singles, pairs = [[0], [1], [2], [3]], [[0, 1], [2, 3]]
    costs = [1, 1, 1, 1, 10, 10]
    everyone = {0, 1, 2, 3}
    two_cars = Columns(costs, singles + pairs, [0] * 6, [2])
    assert sorted(set_partition(two_cars, 4, everyone, 4, set(), 5.0)) == [4, 5]
    four_cars = Columns(costs, singles + pairs, [0] * 6, [4])
    assert sorted(set_partition(four_cars, 4, everyone, 4, set(), 5.0)) == [0, 1, 2, 3]


def test_set_partition_serves_the_most_riders_before_saving_cost():
    cols = Columns([5, 1, 1], [[0, 1, 2], [0], [1]], [0, 0, 0], [2])
    assert set_partition(cols, 3, set(), 0, set(), 5.0) == [0]  # three riders beat cost 2
    cheap_pair = Columns([5, 1, 1], [[0, 1], [0], [1]], [0, 0, 0], [2])
    assert sorted(set_partition(cheap_pair, 3, {0}, 2, set(), 5.0)) == [1, 2]  # cheaper
    fewer = Columns([1, 1], [[0], [1]], [0, 0], [1])
    assert set_partition(fewer, 2, {0, 1}, 2, set(), 5.0) is None  # one car cannot serve both


class _TimingOutPool(RoutePool):
    """A pool whose MIP always runs out of time; counts the attempts."""

    calls = 0

    def recombine(self, m, routes, costs, seconds, deterministic):
        type(self).calls += 1
        self.timed_out = True
        return None


class _CountingPool(RoutePool):
    """A pool with the real MIP; counts the attempts."""

    calls = 0

    def recombine(self, m, routes, costs, seconds, deterministic):
        type(self).calls += 1
        return super().recombine(m, routes, costs, seconds, deterministic)


def test_a_timed_out_mip_ends_recombination_for_the_search(travel, monkeypatch):
    m = _model(travel)
    start = [_route(A), _route(B), _route(C, D)]
    monkeypatch.setattr(_TimingOutPool, "calls", 0)
    monkeypatch.setattr(_CountingPool, "calls", 0)
    monkeypatch.setattr(fast_search, "RoutePool", _TimingOutPool)
    found = fast_search.improve(m, start, 60.0, max_iterations=40, epochs=4, threads=1)
    assert _TimingOutPool.calls == 1  # later epochs give the MIP's time to the chains
    assert _total(m, found) <= _total(m, start)
    monkeypatch.setattr(fast_search, "RoutePool", _CountingPool)
    fast_search.improve(m, start, 60.0, max_iterations=40, epochs=4, threads=1)
    assert _CountingPool.calls == 4  # a MIP that solves runs after every epoch


def test_pool_notes_when_the_mip_finds_nothing_in_time(travel, monkeypatch):
    m = _model(travel)
    plan = [_route(A, B), _route(C), _route(D)]
    pool = RoutePool(m, pack(m, None).data)
    assert pool.recombine(m, plan, _costs(m, plan), 5.0, deterministic=True) is not None
    assert not pool.timed_out
    monkeypatch.setattr(route_pool, "set_partition", lambda *a: None)
    assert pool.recombine(m, plan, _costs(m, plan), 5.0, deterministic=True) is None
    assert pool.timed_out
