"""Probe the Cordeau search: iterations in a fixed time, or the cost in deterministic mode.

Usage:
    python bench/search_probe.py --seconds 28 INSTANCE...          # iterations per instance
    python bench/search_probe.py --deterministic INSTANCE...       # cost, iteration budgets

Run from a checkout (or ``PYTHONPATH`` pointing at one) to compare two commits of
``carshare/domain`` on the same machine: equal deterministic costs mean the same search,
iterations in the same time its speed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from carshare.domain import fast_search  # noqa: E402
from carshare.domain.local_search import total_cost  # noqa: E402
from carshare.domain.model import compile_problem  # noqa: E402
from carshare.domain.readers.cordeau import read  # noqa: E402
from carshare.domain.solver import SolveOptions, solve_model  # noqa: E402
from carshare.domain.travel import EuclideanTravel  # noqa: E402

SCALE = 1000


def main() -> int:
    """Solve each instance once and print iterations (timed) or the cost (deterministic)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=28.0)
    parser.add_argument("--deterministic", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("instances", nargs="+")
    args = parser.parse_args()
    fast_search.warm_up()
    for path in args.instances:
        inst = read(path, SCALE)
        m = compile_problem(inst.problem, EuclideanTravel(SCALE))
        started = time.monotonic()
        routes = solve_model(m, SolveOptions(time_limit_s=args.seconds if not args.deterministic
                                             else 600.0, deterministic=args.deterministic,
                                             seed=args.seed))
        spent = time.monotonic() - started
        if args.deterministic:
            print(f"{inst.name}\tcost {total_cost(m, routes)}\t{spent:.1f} s", flush=True)
        else:
            done = getattr(fast_search.improve, "iterations", None)
            print(f"{inst.name}\titerations {done}\t{spent:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
