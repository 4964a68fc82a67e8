"""Instant-quote latency on the district day: p50 / p95 / max over 500 quotes.

Usage: python bench/quote.py [--quotes 500] [--seed 1] [--plan-seconds 15] [--verify 100]

The day is planned with the solver from the first ``--booked`` share of its
requests (the rest of the day is still open); then new requests
(fresh homes, same mix as the generator) are quoted one by one against that
plan.  The first ``--verify`` quotes' options are re-checked by building
the OR-Tools model and loading the resulting routes into it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scenarios import _home, _request, _town, generate  # noqa: E402

from carshare.domain.convert import routes_from_plan  # noqa: E402
from carshare.domain.fast_search import warm_up  # noqa: E402
from carshare.domain.model import compile_problem  # noqa: E402
from carshare.domain.plan import StopKind  # noqa: E402
from carshare.domain.quote import quote  # noqa: E402
from carshare.domain.routing import accepts  # noqa: E402
from carshare.domain.solver import SolveOptions, plan_from_routes, solve_model  # noqa: E402


def verify(m, plan, request, home, option) -> bool:
    """Return whether OR-Tools accepts the plan with the option applied."""
    mm = m.with_request(request, (home,))
    routes = routes_from_plan(mm, plan)
    v = [veh.id for veh in mm.problem.vehicles].index(option.vehicle_id)
    index = {q.id: k for k, q in enumerate(mm.problem.requests)}
    routes[v] = [2 * index[rid] + (kind is StopKind.DROPOFF) for rid, kind in option.sequence]
    return accepts(mm, routes)


def main() -> int:
    """Plan the day, run the quotes and print latency percentiles."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quotes", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--plan-seconds", type=float, default=15.0)
    ap.add_argument("--verify", type=int, default=100)
    ap.add_argument("--booked", type=float, default=0.5, help="share of requests planned")
    a = ap.parse_args()
    warm_up()
    day = generate("district", a.seed)
    day = day.with_requests(day.requests[: int(len(day.requests) * a.booked)])
    m = compile_problem(day)
    plan = plan_from_routes(m, solve_model(m, SolveOptions(time_limit_s=a.plan_seconds)))
    rng, times, found, checked, rejected = random.Random(a.seed), [], 0, 0, 0
    for k in range(a.quotes):
        town = _town(rng)
        home = _home(rng, 10_000 + k, town)
        request = _request(rng, 10_000 + k, home, town)
        started = time.perf_counter()
        answer = quote(m, plan, request, places=(home,))
        times.append(1000 * (time.perf_counter() - started))
        found += bool(answer.options)
        if k < a.verify:
            for option in answer.options:
                checked += 1
                rejected += not verify(m, plan, request, home, option)
    times.sort()
    p = statistics.quantiles(times, n=100)
    print(f"district day: {len(plan.served)}/{m.n} served in the plan; {a.quotes} quotes, "
          f"{found} with options")
    print(f"latency ms: p50 {p[49]:.1f}  p95 {p[94]:.1f}  max {times[-1]:.1f}")
    print(f"options re-checked by OR-Tools: {checked}, rejected: {rejected}")
    return 0 if rejected == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
