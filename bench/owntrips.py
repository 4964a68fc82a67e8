"""Solve "posted trips" instances (riders fitted into volunteers' own trips).

Usage: python bench/owntrips.py --time-limit S --out DIR [--seed N] INSTANCE...

Solves each instance through the service's domain code (compile_problem,
solve_model, plan_from_routes), writes DIR/<name>.json in the benchmark's
solution format and judges it with the independent checker beside the
instances' folder (``<instance dir>/../check.py --ref ../reference.csv``).
Prints one row per instance and totals: served vs the reference.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import instance_args  # noqa: E402

from carshare.domain.fast_search import warm_up  # noqa: E402
from carshare.domain.readers.owntrips import read, solution  # noqa: E402
from carshare.domain.solver import SolveOptions, plan_from_routes, solve_model  # noqa: E402
from carshare.domain.today import compile_servable  # noqa: E402
from carshare.domain.travel import EuclideanTravel  # noqa: E402

SCALE = 1000


def judge(instance: Path, out: Path) -> dict:
    """Run the checker beside the instances' folder; {} when it is absent."""
    base = instance.resolve().parent.parent
    check, ref = base / "check.py", base / "reference.csv"
    if not check.exists():
        return {}
    cmd = [sys.executable, str(check), str(instance), str(out)]
    if ref.exists():
        cmd += ["--ref", str(ref)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"feasible": None, "violations": [done.stderr.strip()]}
    return json.loads(done.stdout)


def run(path: Path, args) -> dict:
    """Solve one instance, write its solution and return the checker's verdict plus timing."""
    started = time.monotonic()
    inst = read(path, SCALE)
    m, dropped = compile_servable(inst.problem, EuclideanTravel(SCALE))
    opts = SolveOptions(time_limit_s=args.time_limit, seed=args.seed,
                        deterministic=getattr(args, "deterministic", False))
    plan = plan_from_routes(m, solve_model(m, opts))
    seconds = time.monotonic() - started
    target = Path(args.out) / f"{inst.name}.json"
    target.write_text(json.dumps(solution(inst.name, plan)))
    row = judge(path, target)
    row.update(instance=inst.name, seconds=seconds, own_served=len(plan.served),
               requests=len(inst.problem.requests), dropped=dropped)
    return row


def main() -> int:
    """Parse arguments, solve every instance and print the table."""
    args = instance_args.parse(__doc__.splitlines()[0])
    print(f"# kernel compiled or loaded from cache in {warm_up():.1f} s (not counted below)")
    print(f"{'instance':10} {'requests':>8} {'served (ref)':>13} {'extra km (ref)':>19} "
          f"{'sec':>6} {'feasible':>8} verdict")
    served = ref = extra = ref_extra = 0.0
    all_ok = True
    for name in args.instances:
        row = run(Path(name), args)
        rs, rx = row.get("ref_served"), row.get("ref_extra_km")
        s = row.get("served", row["own_served"])
        x = row.get("extra_km", float("nan"))
        served, extra = served + s, extra + x
        ref, ref_extra = ref + (rs or 0), ref_extra + (rx or 0.0)
        all_ok = all_ok and row.get("feasible") is True
        rs_text = "-" if rs is None else str(rs)
        rx_text = "-" if rx is None else f"{rx:.2f}"
        print(f"{row['instance']:10} {row['requests']:>8} {s:>6} ({rs_text:>4}) "
              f"{x:9.2f} ({rx_text:>7}) "
              f"{row['seconds']:6.1f} {str(row.get('feasible')):>8} {row.get('verdict', '-')}",
              flush=True)
        for v in row.get("violations", []):
            print(f"    violation: {v}")
        if row["dropped"]:
            print(f"    left out as impossible in themselves: {row['dropped']}")
    more = 100 * (served - ref) / ref if ref else float("nan")
    print(f"{'total':10} {'':>8} {int(served):>6} ({int(ref):>4}) {extra:9.2f} ({ref_extra:7.2f}) "
          f"{'':>6} {str(all_ok):>8} served {more:+.2f} % vs reference")
    return 0


if __name__ == "__main__":
    sys.exit(main())
