"""``fast_search.warm_up`` compiles every kernel signature a real search uses.

Run in a fresh interpreter (Numba's dispatchers only list the signatures a
process has compiled or loaded), so earlier tests in this session cannot
hide a warm-up that skips part of the kernel: after ``warm_up()``, planning
a different problem must not add a single signature to any kernel function.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, random, sys
sys.path.insert(0, sys.argv[1])
from numba.core.registry import CPUDispatcher
from carshare.domain import fast_search, kernel, kernel_lns
from carshare.domain.model import compile_problem
from carshare.domain.solver import SolveOptions, solve_model
from carshare.domain.travel import EuclideanTravel
from carshare.domain.types import Place, Problem, Request, Vehicle, Window

def signatures():
    return {f"{mod.__name__}.{name}": sorted(map(str, f.signatures))
            for mod in (kernel, kernel_lns) for name, f in vars(mod).items()
            if isinstance(f, CPUDispatcher)}

fast_search.warm_up()
before = signatures()
rng = random.Random(5)
places = tuple(Place(k, f"p{k}", rng.uniform(0, 20), rng.uniform(0, 20)) for k in range(12))
cars = tuple(Vehicle(f"v{k}", 0, 0, Window(0, 40_000), 4) for k in range(3))
riders = tuple(Request(f"r{k}", rng.randrange(1, 12), rng.randrange(1, 12) or 1,
                       Window(0, 30_000), None) for k in range(14))
riders = tuple(r for r in riders if r.pickup != r.dropoff)
m = compile_problem(Problem(places, cars, riders), EuclideanTravel(60))
solve_model(m, SolveOptions(time_limit_s=1.5, threads=2))
after = signatures()
print(json.dumps({k: sorted(set(v) - set(before.get(k, []))) for k, v in after.items()
                  if set(v) - set(before.get(k, []))}))
"""


def test_a_search_after_warm_up_compiles_nothing_new() -> None:
    """Every kernel function the search calls was compiled (or loaded) by the warm-up."""
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT)], capture_output=True,
                          text=True, timeout=600, check=True)
    new = json.loads(done.stdout.strip().splitlines()[-1])
    assert new == {}, f"compiled after warm_up: {sorted(new)}"
