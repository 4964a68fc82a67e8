"""Road-network travel times (issue 20): graph build cost, matrix times and memory.

Usage:
  python bench/roads.py build --extract pref.osm.pbf --root /work/notes/bench/g-1m
  python bench/roads.py matrix --root /work/notes/bench/g-1m --places 200 --spread town
  python bench/roads.py district --root /work/notes/bench/g-1m [--seed 1]
  python bench/roads.py all --extract pref.osm.pbf --root /work/notes/bench/g-1m

``build`` runs :func:`carshare.roads.build.build_graph` (Valhalla stages as subprocesses) and
reports wall time, the stages' CPU time and peak RSS (``RUSAGE_CHILDREN``: the largest stage)
and the tiles' size on disk.  ``matrix`` times N x N places: *cold* is the first
:class:`RoadTravel` call (engine work through an empty :class:`RoadTimes`; Valhalla's actor is
made and a 2 x 2 call loads it first, timed apart), *warm* the same call again (the set cache)
and through a new :class:`RoadTravel` on the same :class:`RoadTimes` (the town cache).  Places:
``town`` = scattered like the scenario's homes around Teshio (about 4 km x 4 km), ``district`` =
homes of the scenario's settlements (Teshio to Wakkanai, about 60 km), ``region`` = uniform over
the generated region (105 km x 94 km).  ``district`` times the real district day of
``bench/scenarios.py``: its places, through ``compile_problem``, then 20 new homes added one
at a time to the warm day (what each instant quote of a new address asks of the engine).
``all`` runs each measurement in a fresh process (so each peak RSS is its own) and prints them
all.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from road_grid import LAT0, LAT1, LON0, LON1  # noqa: E402
from scenarios import _home, _town, generate  # noqa: E402

from carshare.domain.travel import RoadTimes, RoadTravel, TravelConfig  # noqa: E402
from carshare.domain.types import Place  # noqa: E402
from carshare.roads.store import current_graph  # noqa: E402


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def build(extract: Path, root: Path) -> dict:
    """Build the graph under ``root`` (a fresh folder); return its costs."""
    from carshare.roads.build import build_graph

    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    stages: dict[str, float] = {}
    mark = [time.perf_counter(), ""]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if mark[1]:
            stages[str(mark[1])] = round(now - float(mark[0]), 2)
        mark[0], mark[1] = now, stage
        print(f"  {stage} ({done}/{total})", flush=True, file=sys.stderr)

    started, cpu0 = time.perf_counter(), _cpu(resource.RUSAGE_CHILDREN)
    info = build_graph(extract, root, progress=progress)
    return {"extract": str(extract), "extract_mb": round(extract.stat().st_size / 2**20, 2),
            "road_nodes": info.nodes, "roads": info.ways,
            "wall_s": round(time.perf_counter() - started, 1),
            "stages_cpu_s": round(_cpu(resource.RUSAGE_CHILDREN) - cpu0, 1),
            "stages_peak_rss_mb": round(_rss_mb(resource.RUSAGE_CHILDREN)),
            "python_peak_rss_mb": round(_rss_mb()),
            "tiles_mb": round(_du_mb(info.path / "tiles"), 1), "stage_wall_s": stages}


def places(count: int, spread: str, seed: int) -> list[Place]:
    """Return ``count`` distinct places scattered as ``spread`` says (see the module doc)."""
    rng = random.Random(f"roads-{spread}-{seed}")
    out: list[Place] = []
    for k in range(count):
        if spread == "town":
            out.append(_home(rng, k, "Teshio"))
        elif spread == "district":
            out.append(_home(rng, k, _town(rng)))
        else:
            out.append(Place(f"p{k}", f"p{k}", rng.uniform(LAT0 + 0.02, LAT1 - 0.02),
                             rng.uniform(LON0 + 0.02, LON1 - 0.02)))
    return out


@functools.cache
def _engine(root: Path, algorithm: str | None):  # type: ignore[no-untyped-def]
    from carshare.roads.engine import RoadEngine

    graph = current_graph(root)
    if graph is None:
        raise SystemExit(f"no current graph under {root}")
    config_file = graph.config_file
    if algorithm:
        config = json.loads(config_file.read_text(encoding="utf-8"))
        config["thor"]["source_to_target_algorithm"] = algorithm
        config_file = Path(tempfile.mkdtemp()) / "valhalla.json"
        config_file.write_text(json.dumps(config), encoding="utf-8")
    return RoadEngine(config_file), graph


def _timed(call) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return (round(1000 * (time.perf_counter() - wall), 1),
            round(1000 * (time.process_time() - cpu), 1), result)


def measure(root: Path, pts: list[Place], repeats: int, algorithm: str | None) -> dict:
    """Time the N x N matrix of ``pts``: engine start, cold (x repeats) and warm."""
    engine, graph = _engine(root, algorithm)
    start_ms, start_cpu, _ = _timed(lambda: engine.matrix([(44.884, 141.747)] * 2,
                                                          [(44.884, 141.747)] * 2))
    config, colds = TravelConfig(), []
    for _ in range(repeats):
        times = RoadTimes(engine)
        travel = RoadTravel(times, config)
        colds.append(_timed(lambda t=travel: t.matrix(pts, pts, None)))
    warm_set = _timed(lambda: travel.matrix(pts, pts, None))
    warm_town = _timed(lambda: RoadTravel(times, config).matrix(pts, pts, None))
    matrix = colds[-1][2][0]
    cells = [x for row in matrix for x in row]
    return {"graph": graph.source, "places": len(pts), "algorithm": algorithm or "default",
            "engine_start_ms": start_ms, "engine_start_cpu_ms": start_cpu,
            "cold_ms": [c[0] for c in colds], "cold_cpu_ms": [c[1] for c in colds],
            "cold_median_ms": statistics.median(c[0] for c in colds),
            "warm_set_ms": warm_set[0], "warm_town_ms": warm_town[0],
            "unreachable_cells": sum(x >= 1_000_000 for x in cells),
            "off_road_cells": sum(x < 0 for x in cells),
            "max_s": max(x for x in cells if x < 1_000_000),
            "peak_rss_mb": round(_rss_mb())}


def district(root: Path, seed: int, repeats: int, algorithm: str | None) -> dict:
    """Time the district day's matrix (its places, all to all) and its compile_problem."""
    from carshare.domain.model import compile_problem

    day = generate("district", seed)
    result = measure(root, list(day.places), repeats, algorithm)
    engine, _ = _engine(root, algorithm)
    travel = RoadTravel(RoadTimes(engine), TravelConfig())
    compile_ms, compile_cpu, _ = _timed(lambda: compile_problem(day, travel))
    result.update({"offers": len(day.vehicles), "requests": len(day.requests),
                   "compile_problem_cold_ms": compile_ms,
                   "compile_problem_cold_cpu_ms": compile_cpu,
                   **new_places(travel, list(day.places), seed),
                   "peak_rss_mb": round(_rss_mb())})
    return result


def new_places(travel: RoadTravel, known: list[Place], seed: int, count: int = 20) -> dict:
    """Time adding one new home to a warm day, as a quote does (its column, then its row)."""
    rng, took = random.Random(f"roads-new-{seed}"), []
    for k in range(count):
        home = _home(rng, 20_000 + k, _town(rng))
        took.append(_timed(lambda h=home: (travel.matrix(known, [h], None),
                                           travel.matrix([h], [*known, h], None)))[0])
    took.sort()
    return {"new_place_ms_median": statistics.median(took),
            "new_place_ms_p95": took[int(0.95 * (count - 1))], "new_place_ms_max": took[-1]}


def run_all(a: argparse.Namespace) -> int:
    """Build (unless --no-build), then each measurement in its own process."""
    me = [sys.executable, str(Path(__file__).resolve())]
    runs = [] if a.no_build else [["build", "--extract", str(a.extract)]]
    runs += [["matrix", "--places", "50", "--spread", "town"],
             ["matrix", "--places", "200", "--spread", "town"],
             ["matrix", "--places", "200", "--spread", "district"],
             ["matrix", "--places", "1000", "--spread", "region", "--repeats", "1"],
             ["district", "--seed", str(a.seed)]]
    extra = ["--algorithm", a.algorithm] if a.algorithm else []
    for args in runs:
        cmd = [*me, args[0], "--root", str(a.root), *args[1:]]
        cmd += extra if args[0] != "build" else []
        print("$", " ".join(cmd[1:]), flush=True)
        done = subprocess.run(cmd, check=False)
        if done.returncode:
            return done.returncode
    return 0


def main() -> int:
    """Parse the command line and run one measurement (or ``all``)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("build", "matrix", "district", "all"))
    ap.add_argument("--root", type=Path, required=True, help="graph folder (build writes it)")
    ap.add_argument("--extract", type=Path, help="the .osm.pbf to build from")
    ap.add_argument("--places", type=int, default=50)
    ap.add_argument("--spread", choices=("town", "district", "region"), default="town")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3, help="cold runs (fresh caches)")
    ap.add_argument("--algorithm", help="override Valhalla's matrix algorithm (diagnostic)")
    ap.add_argument("--no-build", action="store_true", help="all: use the graph under --root")
    a = ap.parse_args()
    if a.what == "all":
        return run_all(a)
    if a.what == "build":
        result = build(a.extract, a.root)
    elif a.what == "matrix":
        result = measure(a.root, places(a.places, a.spread, a.seed), a.repeats, a.algorithm)
        result["spread"] = a.spread
    else:
        result = district(a.root, a.seed, a.repeats, a.algorithm)
    print(json.dumps({"what": a.what, **result}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
