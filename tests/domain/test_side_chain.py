"""The side chain: an LNS chain that keeps working while OR-Tools holds the GIL.

On a random 30-rider day: the chain runs while an OR-Tools search runs on
the calling thread (which keeps the GIL throughout), stops as soon as the
``with`` block ends even with a budget it could never finish, and returns
feasible routes serving everyone at no higher cost than it was given.
"""

import random
import time

from carshare.domain import fast_search
from carshare.domain.construct import regret_insert
from carshare.domain.evaluate import feasible
from carshare.domain.local_search import plan_key
from carshare.domain.model import compile_problem
from carshare.domain.routing import SearchOptions, solve_routes
from carshare.domain.travel import EuclideanTravel
from carshare.domain.types import Place, Problem, Request, Vehicle, Window


def day(seed: int = 3):
    """Return a compiled random day: 30 riders, 4 cars, wide windows."""
    rng = random.Random(seed)
    places = tuple(Place(k, f"p{k}", rng.uniform(0, 30), rng.uniform(0, 30)) for k in range(40))
    cars = tuple(Vehicle(f"v{k}", 0, 0, Window(0, 600 * 60), 4) for k in range(4))
    riders = []
    for k in range(30):
        a, b = rng.sample(range(1, 40), 2)
        start = rng.randrange(0, 400) * 60
        riders.append(Request(f"r{k}", a, b, Window(start, start + 60 * 60), None,
                              max_ride=90 * 60))
    return compile_problem(Problem(places, cars, tuple(riders)), EuclideanTravel(60))


def test_the_chain_works_beside_ortools_and_stops_with_the_block() -> None:
    """It iterates while OR-Tools holds the GIL and ends when the block does."""
    fast_search.warm_up()
    m = day()
    routes, left = regret_insert(m, [[] for _ in m.v_start], list(range(m.n)))
    assert not left
    with fast_search.SideChain(m, routes, iterations=10**9, seed=1) as side:
        solve_routes(m, routes, SearchOptions(time_limit_s=1.0), mandatory=True)
        ended = time.monotonic()
    assert time.monotonic() - ended < 1.0  # stopped with the block, not after 10**9 iterations
    assert side.done > 50  # it ran while OR-Tools kept the GIL
    found = side.routes()
    assert all(feasible(m, v, s) for v, s in enumerate(found) if s)
    assert plan_key(m, found) <= plan_key(m, routes)
    assert plan_key(m, found)[1] == -m.n
