"""The stored road times of a town on a graph: where the file is, reading and writing it
(the warming itself is ``road_cache.py``; ``travel.py`` starts each process's cache from it)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from carshare.domain.travel import RoadTimes


def cache_file(graph_path: Path, town_id: int) -> Path:
    """Return where a town's road times on a graph are stored."""
    return graph_path / "cache" / f"town-{town_id}.npz"


def load(times: RoadTimes, file: Path) -> bool:
    """Seed ``times`` from a stored file; False when there is none (or it is unreadable)."""
    try:
        with np.load(file) as data:
            points = [tuple(p) for p in data["points"].tolist()]
            times.seed(points, data["time"].tolist(), data["dist"].tolist())
    except (OSError, KeyError, ValueError):
        return False
    return True


def save(times: RoadTimes, file: Path) -> None:
    """Store the open roads' matrices atomically (readers see the old or the new file)."""
    points, time, dist = times.snapshot()
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(suffix=".npz", dir=file.parent)  # one per writer
    os.close(handle)
    tmp = Path(name)
    np.savez(tmp, points=np.array(points, dtype=np.float64).reshape(-1, 2),
             time=np.array(time, dtype=np.int64).reshape(len(points), len(points)),
             dist=np.array(dist, dtype=np.int64).reshape(len(points), len(points)))
    os.replace(tmp, file)
