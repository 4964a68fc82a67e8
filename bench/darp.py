"""Solve Cordeau dial-a-ride instances and compare with best-known values.

Usage: python bench/darp.py --time-limit S --out DIR INSTANCE...

Writes DIR/<instance>.json ({"instance", "routes", "cost", "seconds"}) and
prints a table with the gap to ../shared/bench/darp/bks.csv and the verdict
of the independent checker ../shared/bench/darp/check.py (when present).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import instance_args  # noqa: E402

SHARED = ROOT / ".." / "shared" / "bench" / "darp"

from carshare.domain.fast_search import warm_up  # noqa: E402
from carshare.domain.model import compile_problem  # noqa: E402
from carshare.domain.readers.cordeau import read  # noqa: E402
from carshare.domain.solver import SolveOptions, solve_model  # noqa: E402
from carshare.domain.travel import EuclideanTravel  # noqa: E402

SCALE = 1000


def load_checker():
    """Return the independent checker module, or None when it is absent."""
    path = SHARED / "check.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("darp_check", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_bks() -> dict[str, float]:
    """Return best-known values by instance name (empty when absent)."""
    path = SHARED / "bks.csv"
    if not path.exists():
        return {}
    with path.open() as f:
        return {row["instance"]: float(row["bks"]) for row in csv.DictReader(f)}


def node_routes(n: int, routes: list[list[int]]) -> list[list[int]]:
    """Map model nodes (2r, 2r + 1) to instance node ids (r + 1, n + r + 1)."""
    return [[(x >> 1) + 1 + (n if x & 1 else 0) for x in seq] for seq in routes if seq]


def euclid_cost(inst, routes: list[list[int]]) -> float:
    """Return the exact (unrounded) total distance including depot legs."""
    places = {p.id: p for p in inst.problem.places}
    end = inst.problem.vehicles[0].end
    total = 0.0
    for seq in routes:
        ids = [0, *seq, end]
        total += sum(math.hypot(places[a].lat - places[b].lat, places[a].lon - places[b].lon)
                     for a, b in zip(ids, ids[1:], strict=False))
    return total


def run(path: Path, args, checker, bks) -> dict:
    """Solve one instance, write its JSON and return a table row."""
    started = time.monotonic()
    inst = read(path, SCALE)
    m = compile_problem(inst.problem, EuclideanTravel(SCALE))
    opts = SolveOptions(time_limit_s=args.time_limit, deterministic=args.deterministic,
                        seed=args.seed)
    routes = node_routes(inst.n, solve_model(m, opts))
    seconds = time.monotonic() - started
    cost = euclid_cost(inst, routes)
    out = {"instance": inst.name, "routes": routes, "cost": cost, "seconds": seconds}
    target = Path(args.out) / f"{inst.name}.json"
    target.write_text(json.dumps(out))
    served = sum(len(r) for r in routes) // 2
    row = {"instance": inst.name, "served": f"{served}/{inst.n}", "cost": cost,
           "seconds": seconds, "bks": bks.get(inst.name), "feasible": None}
    if checker is not None:
        verdict = checker.check(checker.read_instance(str(path)), out)
        row["feasible"] = not verdict[0]
    return row


def main() -> int:
    """Parse arguments, solve every instance and print the table."""
    args = instance_args.parse(__doc__.splitlines()[0])
    checker, bks, gaps = load_checker(), load_bks(), []
    print(f"# kernel compiled or loaded from cache in {warm_up():.1f} s (not counted below)")
    print(f"{'instance':10} {'served':>8} {'cost':>10} {'bks':>9} {'gap%':>7} {'sec':>6} feasible")
    for name in args.instances:
        row = run(Path(name), args, checker, bks)
        gap = 100 * (row["cost"] - row["bks"]) / row["bks"] if row["bks"] else None
        if gap is not None:
            gaps.append(gap)
        print(f"{row['instance']:10} {row['served']:>8} {row['cost']:10.2f} "
              f"{row['bks'] or float('nan'):9.2f} {gap if gap is not None else float('nan'):7.2f} "
              f"{row['seconds']:6.1f} {row['feasible']}", flush=True)
    if gaps:
        print(f"mean gap {sum(gaps) / len(gaps):.2f}%  worst {max(gaps):.2f}%  n={len(gaps)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
