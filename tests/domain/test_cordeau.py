"""Cordeau instance reader and the benchmark pipeline against the checker."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from carshare.domain.errors import MalformedInstance
from carshare.domain.local_search import total_cost
from carshare.domain.model import compile_problem
from carshare.domain.readers.cordeau import read
from carshare.domain.solver import SolveOptions, solve_model
from carshare.domain.travel import EuclideanTravel

DATA = Path(__file__).parent / "data"


def test_reads_a_format_with_end_depot():
    inst = read(DATA / "tiny-a.txt", scale=1000)
    p = inst.problem
    assert inst.n == 2 and len(p.vehicles) == 1 and p.objective == "distance"
    r1 = p.requests[0]
    assert (r1.pickup, r1.dropoff, r1.party, r1.max_ride) == (1, 3, 1, 30_000)
    assert r1.dropoff_window.start == 20_000 and r1.pickup_service == 3000
    v = p.vehicles[0]
    assert (v.start, v.end, v.seats, v.max_duration) == (0, 5, 3, 480_000)


def test_reads_pr_format_with_shared_depot():
    inst = read(DATA / "tiny-pr.txt", scale=1000)
    assert inst.n == 2 and len(inst.problem.vehicles) == 2
    assert inst.problem.vehicles[0].end == 0 and inst.problem.requests[1].party == 2


def test_missing_file_is_a_typed_error(tmp_path):
    with pytest.raises(MalformedInstance):
        read(tmp_path / "nope.txt")


def test_tiny_instance_solves_with_exact_distance():
    inst = read(DATA / "tiny-a.txt", scale=1000)
    m = compile_problem(inst.problem, EuclideanTravel(1000))
    routes = solve_model(m, SolveOptions(time_limit_s=1, deterministic=True))
    assert sorted(x for seq in routes for x in seq) == [0, 1, 2, 3]
    assert sum(len(s) > 0 for s in routes) == 1
    # 0 -> 1 -> 2 -> 4 -> 6 -> 0 on a line: 12 units
    assert total_cost(m, routes) == 12_000


def load_bench():
    spec = importlib.util.spec_from_file_location("darp_bench", ROOT / "bench" / "darp.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["darp_bench"] = module
    spec.loader.exec_module(module)
    return module


def test_bench_output_passes_independent_checker(shared_darp, tmp_path):
    bench = load_bench()
    args = type("Args", (), {"time_limit": 3.0, "deterministic": False, "seed": 0,
                             "out": str(tmp_path)})
    row = bench.run(shared_darp / "instances" / "a2-16.txt", args, bench.load_checker(),
                    bench.load_bks())
    assert row["feasible"] is True and row["served"] == "16/16"
    out = json.loads((tmp_path / "a2-16.json").read_text())
    assert set(out) == {"instance", "routes", "cost", "seconds"}
    assert out["cost"] <= 294.25 * 1.05
