"""Posted-trips reader and writer: instance -> Problem -> solve -> solution tokens -> checker."""

import importlib.util
import json
import math

import pytest
from conftest import SHARED

from carshare.domain.errors import MalformedInstance
from carshare.domain.model import compile_problem
from carshare.domain.plan import StopKind
from carshare.domain.readers.owntrips import parse, read, solution
from carshare.domain.solver import SolveOptions, plan_from_routes, solve_model
from carshare.domain.travel import EuclideanTravel
from carshare.domain.types import OwnStop, Window

CHECKER = SHARED / "bench" / "owntrips" / "check.py"

# v1 drives (0, 0) -> its own appointment at (50, 0) -> home, 10 km extra allowed: it takes
# r1 to its appointment and r2 (wheelchair) home after it.  v2 only offers availability near
# (0, 40) and takes r3, which lies far off v1's way.
INSTANCE = {
    "name": "tiny-own", "horizon": [0, 720],
    "vehicles": [
        {"id": "v1", "start": [0, 0], "end": [0, 0], "window": [0, 600], "seats": 3,
         "wheelchair": 1, "max_extra": 10,
         "own": {"at": [50, 0], "arrive_by": 120.0007, "leave_after": 299.9991}},
        {"id": "v2", "start": [0, 40], "end": [0, 40], "window": [0, 600], "seats": 2,
         "wheelchair": 0, "max_extra": 25, "own": None},
    ],
    "requests": [
        {"id": "r1", "pickup": [2, 0], "dropoff": [49, 0], "pickup_window": [0, 600],
         "dropoff_window": [100.5, 125.2], "load": 1, "wheelchair": False, "service": 2,
         "max_ride": 70},
        {"id": "r2", "pickup": [49, 1], "dropoff": [1, 0], "pickup_window": [310, 340],
         "dropoff_window": [0, 600], "load": 2, "wheelchair": True, "service": 2,
         "max_ride": 70},
        {"id": "r3", "pickup": [0, 30], "dropoff": [0, 35], "pickup_window": [60, 120],
         "dropoff_window": [0, 600], "load": 1, "wheelchair": False, "service": 2,
         "max_ride": 30},
    ],
}


def solved():
    inst = parse(INSTANCE, scale=1000)
    m = compile_problem(inst.problem, EuclideanTravel(1000))
    plan = plan_from_routes(m, solve_model(m, SolveOptions(time_limit_s=1, deterministic=True)))
    return inst, plan


def test_reader_scales_conservatively():
    p = parse(INSTANCE, scale=1000).problem
    v1, v2 = p.vehicles
    assert p.objective == "distance" and p.horizon == Window(0, 720_000)
    assert (v1.seats, v1.wheelchair_spaces, v1.window) == (3, 1, Window(0, 600_000))
    places = {q.id: (q.lat, q.lon) for q in p.places}
    assert places[v1.own.place] == (50.0, 0.0)
    # arrive by: rounded down; leave after: rounded up
    assert v1.own == OwnStop(v1.own.place, 120_000, 300_000)
    # cap on the rounded legs = floor(exact direct + max_extra), minus the rounded direct trip
    assert v1.extra_drive == 10_000 and v2.own is None and v2.extra_drive == 25_000
    r1, r2, _ = p.requests
    assert r1.dropoff_window == Window(100_500, 125_200)
    assert (r1.pickup_service, r1.dropoff_service, r1.max_ride) == (2000, 2000, 70_000)
    assert (r2.party, r2.wheelchair) == (2, True)


def test_extra_drive_is_capped_by_the_exact_direct_trip():
    data = json.loads(json.dumps(INSTANCE))
    data["vehicles"][1]["end"] = [0.3, 40.4]  # direct 0.5 km exactly, rounded leg 500
    data["vehicles"][0]["own"]["at"] = [0.0004, 0.0003]  # legs 0.0005: rounded up each
    v1, v2 = parse(data, scale=1000).problem.vehicles
    assert v2.extra_drive == math.floor((0.5 + 25) * 1000) - 500
    assert v1.extra_drive == 10_001 - 2  # floor(10.001 * 1000) - (1 + 1)


def test_bad_instances_are_typed_errors(tmp_path):
    with pytest.raises(MalformedInstance):
        read(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text(json.dumps({"name": "x", "vehicles": [{"id": 1}]}))
    with pytest.raises(MalformedInstance):
        read(tmp_path / "bad.json")


def test_round_trip_visits_the_own_destination_between_riders():
    inst, plan = solved()
    assert sorted(plan.served) == ["r1", "r2", "r3"]
    kinds = [s.kind for s in next(r for r in plan.routes if r.vehicle_id == "v1").stops]
    assert kinds.count(StopKind.OWN_ARRIVE) == 1 and kinds.count(StopKind.OWN_LEAVE) == 1
    out = solution(inst.name, plan)
    assert out == {"instance": "tiny-own",
                   "routes": {"v1": ["P:r1", "D:r1", "A", "L", "P:r2", "D:r2"],
                              "v2": ["P:r3", "D:r3"]}}


@pytest.fixture
def checker():
    if not CHECKER.exists():
        pytest.skip(f"posted-trips checker not found at {CHECKER.resolve()} (../shared absent)")
    spec = importlib.util.spec_from_file_location("owntrips_check", CHECKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_solution_passes_the_independent_checker(checker):
    inst, plan = solved()
    out = json.loads(json.dumps(solution(inst.name, plan)))
    reqs = {r["id"]: r for r in INSTANCE["requests"]}
    vehs = {v["id"]: v for v in INSTANCE["vehicles"]}
    served, extra = set(), 0.0
    for vid, tokens in out["routes"].items():
        bad, carried, km = checker.check_route(INSTANCE, vehs[vid], tokens, reqs, 1e-6)
        assert bad == []
        assert not carried & served
        served |= carried
        extra += km
    assert served == {"r1", "r2", "r3"}
    assert extra <= 10 + 25 + 1e-6
