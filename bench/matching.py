"""Compare our solver, first-come-first-served greedy and quote-only booking.

Usage: python bench/matching.py [--sizes town district prefecture] [--seed 1]
                                [--time-limit town=10 district=20 prefecture=50]

Reports requests served, vehicle-km per served rider, mean ride time over
direct time and wall time for each method on each scenario day.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scenarios import SIZES, generate  # noqa: E402

from carshare.domain.fast_search import warm_up  # noqa: E402
from carshare.domain.greedy import greedy_routes  # noqa: E402
from carshare.domain.model import Model, compile_problem  # noqa: E402
from carshare.domain.plan import Plan, StopKind  # noqa: E402
from carshare.domain.quote import options_for  # noqa: E402
from carshare.domain.solver import SolveOptions, plan_from_routes, solve_model  # noqa: E402

LIMITS = {"town": 10.0, "district": 20.0, "prefecture": 50.0}


def quote_only(m: Model) -> list[list[int]]:
    """Book each request, in phone order, on the best instant-quote option."""
    routes: list[list[int]] = [[] for _ in m.v_start]
    for r in range(m.n):
        sub = compile_problem(m.problem.with_requests(m.problem.requests[: r + 1]), base=m)
        best = options_for(sub, routes, limit=1)
        if best:
            v = [veh.id for veh in m.problem.vehicles].index(best[0].vehicle_id)
            order = {rid: k for k, rid in enumerate(q.id for q in m.problem.requests)}
            routes[v] = [2 * order[rid] + (kind is StopKind.DROPOFF)
                         for rid, kind in best[0].sequence]
    return routes


def metrics(m: Model, plan: Plan) -> dict[str, float]:
    """Return served count, vehicle-km per served rider and mean ride/direct."""
    index = {p.id: k for k, p in enumerate(m.problem.places)}
    served = len(plan.served)
    km = sum(route.distance for route in plan.routes) / 1000
    ratios = []
    for route in plan.routes:
        for rid in route.request_ids:
            up = route.stop_of(rid, StopKind.PICKUP)
            down = route.stop_of(rid, StopKind.DROPOFF)
            direct = m.time[index[up.place]][index[down.place]]
            ratios.append((down.service_start - up.departure) / max(1, direct))
    return {"served": served, "km": km, "km_per_rider": km / max(1, served),
            "ride_ratio": sum(ratios) / max(1, len(ratios))}


def run(size: str, seed: int, limit: float) -> list[tuple[str, dict, float]]:
    """Plan one scenario day with each method; return rows."""
    problem = generate(size, seed)
    rows = []
    for name in ("greedy", "quote", "solver"):
        started = time.monotonic()
        m = compile_problem(problem)
        if name == "greedy":
            routes = greedy_routes(m)
        elif name == "quote":
            routes = quote_only(m)
        else:
            routes = solve_model(m, SolveOptions(time_limit_s=limit))
        plan = plan_from_routes(m, routes)
        rows.append((name, metrics(m, plan), time.monotonic() - started))
    return rows


def main() -> int:
    """Run the comparison and print one table per size."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", choices=SIZES, default=list(SIZES))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", nargs="*", default=[], help="size=seconds")
    a = ap.parse_args()
    limits = dict(LIMITS, **{k: float(v) for k, v in (x.split("=") for x in a.time_limit)})
    print(f"# kernel compiled or loaded from cache in {warm_up():.1f} s (not counted below)")
    for size in a.sizes:
        offers, requests = SIZES[size]
        print(f"\n{size} (seed {a.seed}): {offers} offers, {requests} requests")
        print(f"{'method':8} {'served':>7} {'veh-km':>8} {'km/rider':>9} {'ride/direct':>12} "
              f"{'sec':>6}")
        rows = run(size, a.seed, limits[size])
        for name, mt, sec in rows:
            print(f"{name:8} {mt['served']:7d} {mt['km']:8.1f} {mt['km_per_rider']:9.2f} "
                  f"{mt['ride_ratio']:12.2f} {sec:6.1f}", flush=True)
        g, s = rows[0][1], rows[2][1]
        more = 100 * (s["served"] - g["served"]) / max(1, g["served"])
        fewer = 100 * (g["km"] - s["km"]) / max(1e-9, g["km"])
        print(f"solver vs greedy: {more:+.1f}% served, {fewer:+.1f}% fewer vehicle-km")
    return 0


if __name__ == "__main__":
    sys.exit(main())
