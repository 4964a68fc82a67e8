"""Plan a day: construction, compiled LNS with route recombination, OR-Tools search.

``solve`` validates the problem (typed errors before any search), builds a
first solution by regret insertion, then runs ruin-and-recreate chains
(``fast_search``: compiled, one per core, pooled routes recombined by
set partitioning solved by CBC) and finally OR-Tools guided local search
(warm-started from the best routes so far).  Every route either returns is
re-checked with the shared evaluator.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from carshare.domain.construct import alone_feasible, ensure_own, regret_insert
from carshare.domain.evaluate import feasible
from carshare.domain.fast_search import SideChain, chains_for, improve
from carshare.domain.local_search import plan_key, total_cost
from carshare.domain.model import Model, compile_problem
from carshare.domain.plan import Plan
from carshare.domain.reasons import unserved
from carshare.domain.routing import SearchOptions, solve_routes
from carshare.domain.schedule import build_route
from carshare.domain.travel import TravelModel
from carshare.domain.types import Problem


@dataclass(frozen=True)
class SolveOptions:
    """Time limit, deterministic mode and the split between the searches.

    Deterministic mode bounds each search by iterations/solutions instead
    of the clock (the time limit then only acts as a safety cap).
    """

    time_limit_s: float = 10.0
    deterministic: bool = False
    seed: int = 0
    rounds: int = 1
    ortools_share: float = 0.15
    lns_iterations: int = 3000
    threads: int = 0  # parallel search chains; 0 = one per core, at most 2
    ortools_solutions: int = 100


def _valid(m: Model, routes: list[list[int]] | None) -> bool:
    return routes is not None and all(feasible(m, v, s) for v, s in enumerate(routes) if s)


def _served(routes: list[list[int]]) -> set[int]:
    return {x >> 1 for seq in routes for x in seq}


def solve_model(
    m: Model, opts: SolveOptions, initial: list[list[int]] | None = None
) -> list[list[int]]:
    """Return node sequences per vehicle for a compiled model."""
    start = time.monotonic()
    if not m.v_start or m.n == 0:
        return [[] for _ in m.v_start]  # nothing to plan (OR-Tools needs a vehicle)
    fits = alone_feasible(m)
    routes, _ = ensure_own(m, initial or [[] for _ in m.v_start])
    inside = _served(routes)
    routes, _ = regret_insert(m, routes, [r for r in range(m.n) if r not in inside],
                              options=fits)
    deadline = start + opts.time_limit_s
    for k in range(opts.rounds):
        slice_end = time.monotonic() + (deadline - time.monotonic()) / (opts.rounds - k)
        lns_s = (slice_end - time.monotonic()) * (1 - opts.ortools_share)
        iters = opts.lns_iterations if opts.deterministic else None
        if opts.deterministic:  # budgets are counts; the clock is only a safety cap
            lns_s, slice_end = deadline - time.monotonic(), deadline
        began = time.monotonic()
        routes = improve(m, routes, lns_s, seed=opts.seed + k, max_iterations=iters, options=fits,
                         threads=opts.threads)
        rate = getattr(improve, "iterations", 0) / max(
            1e-3, (time.monotonic() - began) * chains_for(opts.threads))
        routes = _ortools_beside_chain(m, routes, opts, slice_end, fits, rate)
    return routes


def _ortools_beside_chain(m: Model, routes, opts: SolveOptions, until: float, fits,
                          rate: float) -> list[list[int]]:
    """Run OR-Tools here and one more LNS chain on the core it leaves idle; the better wins.

    The chain's iteration budget (twice what the measured rate fits in the
    time left) only bounds it; it stops when OR-Tools returns.  Not in
    deterministic mode, where results must not depend on timing.
    """
    if opts.deterministic or chains_for(opts.threads) < 2 or len(_served(routes)) < 2:
        return _ortools(m, routes, opts, until, fits)
    budget = int(2 * rate * max(0.0, until - time.monotonic()))
    with SideChain(m, routes, budget, seed=opts.seed + 7919, options=fits) as side:
        found = _ortools(m, routes, opts, until, fits)
    return min(found, side.routes(), key=lambda r: plan_key(m, r))


def _ortools(m: Model, routes, opts: SolveOptions, until: float, fits) -> list[list[int]]:
    everyone = len(_served(routes)) == m.n
    search = SearchOptions(time_limit_s=opts.time_limit_s, deterministic=opts.deterministic,
                           solution_limit=opts.ortools_solutions)
    found = solve_routes(m, routes, search, mandatory=everyone, deadline=until)
    if not _valid(m, found):
        return routes
    left = [r for r in range(m.n) if r not in _served(found)]
    if left:
        found, _ = regret_insert(m, found, left, options=fits)
    return found if plan_key(m, found) <= plan_key(m, routes) else routes


def plan_from_routes(m: Model, routes: list[list[int]]) -> Plan:
    """Return the Plan (schedules, unserved reasons) of node sequences."""
    built = tuple(build_route(m, v, seq) for v, seq in enumerate(routes)
                  if any(not m.is_own(x >> 1) for x in seq))  # a driver alone is no route
    left = sorted(set(range(m.riders)) - _served(routes))
    return Plan(built, unserved(m, left), total_cost(m, routes))


def solve(
    problem: Problem, travel: TravelModel | None = None, options: SolveOptions | None = None
) -> Plan:
    """Plan a day; raise a DomainError on bad input before searching.

    :param travel: travel model (great-circle by default).
    :param options: time limit, deterministic mode, seed.
    """
    m = compile_problem(problem, travel)
    return plan_from_routes(m, solve_model(m, options or SolveOptions()))
