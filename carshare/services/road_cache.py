"""Road times computed once per town and graph, kept on disk beside the graph (issue 20).

A matrix over a district's places costs the engine tens of seconds cold on a prefecture's
network (docs/benchmarks.md); planning and quotes must not pay that.  The scheduler's
``warm-road-times`` job (and ``flask roads build``) computes every active place of each town
and stores the matrices in ``<graph>/cache/town-<id>.npz``; every process starts its town's
cache from that file and picks up a newer one at its next request.  A new graph has no files
(the cache goes with the roads), and a moved place is a new point.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from sqlmodel import Session, select

from carshare.domain.travel import RoadTimes
from carshare.models import Place, Town
from carshare.services.travel import road_graph, road_times


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
    tmp = file.with_suffix(".tmp.npz")
    np.savez(tmp, points=np.array(points, dtype=np.float64).reshape(-1, 2),
             time=np.array(time, dtype=np.int64).reshape(len(points), len(points)),
             dist=np.array(dist, dtype=np.int64).reshape(len(points), len(points)))
    os.replace(tmp, file)


def warm_town(session: Session, town_id: int) -> int | None:
    """Compute road times between all the town's active places and store them.

    :return: how many points the town's cache holds (None: no road data).
    """
    graph = road_graph()
    if graph is None:
        return None
    times = road_times(graph.config_file, town_id)
    before = times.size()
    points = [(p.lat, p.lon) for p in session.exec(
        select(Place).where(Place.town_id == town_id, Place.active))]
    if points:
        times.raw(points, points)
    if times.size() != before or not cache_file(graph.path, town_id).exists():
        save(times, cache_file(graph.path, town_id))
    return times.size()


def warm_all(session: Session) -> dict[str, int]:
    """Warm every town's road times; return points per town slug (empty: no road data)."""
    if road_graph() is None:
        return {}
    done: dict[str, int] = {}
    for town in session.exec(select(Town).order_by(Town.id)):
        size = warm_town(session, town.id or 0)
        if size is not None:
            done[town.slug] = size
    return done
