"""Instant-quote latency on the district day: p50 / p95 / max over 500 quotes.

Usage: python bench/quote.py [--quotes 500] [--seed 1] [--plan-seconds 15] [--verify 100]
       [--roads GRAPH_ROOT]

The day is planned with the solver from the first ``--booked`` share of its
requests (the rest of the day is still open); then new requests
(fresh homes, same mix as the generator) are quoted one by one against that
plan.  The first ``--verify`` quotes' options are re-checked by building
the OR-Tools model and loading the resulting routes into it.

``--roads GRAPH_ROOT`` (a folder with a current graph, e.g. built by ``bench/roads.py build``
from ``bench/road_grid.py``'s network, which covers the scenario's settlements) runs the same
day and the same quotes twice in one process: with the great-circle model, then with
:class:`RoadTravel` over that graph.  Every new request's home is a new place, so each road
quote asks the engine for its row and column (cold); the same requests are then quoted a
second time, their homes now in the town's cache (warm).
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


def run(label: str, travel, a: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    """Plan the day with ``travel``, quote ``a.quotes`` new requests; print latencies."""
    day = generate("district", a.seed)
    day = day.with_requests(day.requests[: int(len(day.requests) * a.booked)])
    started = time.perf_counter()
    m = compile_problem(day, travel)
    compiled = time.perf_counter() - started
    plan = plan_from_routes(m, solve_model(m, SolveOptions(time_limit_s=a.plan_seconds)))
    rng, asked = random.Random(a.seed), []
    for k in range(a.quotes):
        town = _town(rng)
        home = _home(rng, 10_000 + k, town)
        asked.append((home, _request(rng, 10_000 + k, home, town)))
    rejected = 0
    for rounds, name in enumerate(("new homes", "homes known") if a.roads else ("",)):
        times, found, checked = [], 0, 0
        for k, (home, request) in enumerate(asked):
            started = time.perf_counter()
            answer = quote(m, plan, request, places=(home,))
            times.append(1000 * (time.perf_counter() - started))
            found += bool(answer.options)
            if k < a.verify and rounds == 0:
                for option in answer.options:
                    checked += 1
                    rejected += not verify(m, plan, request, home, option)
        times.sort()
        p = statistics.quantiles(times, n=100)
        head = f"[{label}{', ' + name if name else ''}] " if a.roads else ""
        if rounds == 0:
            print(f"{head}district day: {len(plan.served)}/{m.n} served in the plan "
                  f"(compiled in {compiled:.2f} s); {a.quotes} quotes, {found} with options")
        else:
            print(f"{head}{a.quotes} quotes, {found} with options")
        print(f"{head}latency ms: p50 {p[49]:.1f}  p95 {p[94]:.1f}  max {times[-1]:.1f}")
        if rounds == 0:
            print(f"{head}options re-checked by OR-Tools: {checked}, rejected: {rejected}")
    return rejected


def main() -> int:
    """Plan the day, run the quotes and print latency percentiles (per travel model)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quotes", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--plan-seconds", type=float, default=15.0)
    ap.add_argument("--verify", type=int, default=100)
    ap.add_argument("--booked", type=float, default=0.5, help="share of requests planned")
    ap.add_argument("--roads", type=Path, help="graph root: compare road times with great-circle")
    a = ap.parse_args()
    warm_up()
    rejected = run("great-circle", None, a)
    if a.roads:
        rejected += run("roads", road_travel(a.roads), a)
    return 0 if rejected == 0 else 1


def road_travel(root: Path):  # type: ignore[no-untyped-def]
    """Return a RoadTravel over the current graph under ``root`` (empty caches)."""
    from carshare.domain.travel import RoadTimes, RoadTravel, TravelConfig
    from carshare.roads.engine import RoadEngine
    from carshare.roads.store import current_graph

    graph = current_graph(root)
    if graph is None:
        raise SystemExit(f"no current graph under {root}")
    return RoadTravel(RoadTimes(RoadEngine(graph.config_file)), TravelConfig())


if __name__ == "__main__":
    sys.exit(main())
