"""Road times computed once per town and graph, kept on disk beside the graph (issue 20).

A matrix over a district's places costs the engine tens of seconds cold on a prefecture's
network (docs/benchmarks.md); planning and quotes must not pay that.  The scheduler's
``warm-road-times`` job (and ``flask roads build``) computes every active place of each town
and stores the matrices in ``<graph>/cache/town-<id>.npz``; every process starts its town's
cache from that file and picks up a newer one at its next request.  A new graph has no files
(the cache goes with the roads), and a moved place is a new point: a place saved by staff (a
new caller's home, say) has its times computed in the background right after the commit.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from carshare.models import Place, Town
from carshare.services.road_times_file import cache_file, load, save  # noqa: F401 (re-exported)
from carshare.services.travel import road_graph, road_times

log = logging.getLogger(__name__)


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


# --- a place saved: its road times are computed at once, in the background ---------------

_THREADS: list[threading.Thread] = []


def watch_places() -> None:
    """Compute a new or moved place's road times right after its commit (background thread),
    so that the quote a member of staff asks for next, during the same call, reads the cache."""
    if not event.contains(OrmSession, "after_flush", _note_places):
        event.listen(OrmSession, "after_flush", _note_places)
        event.listen(OrmSession, "after_commit", _warm_noted)
        event.listen(OrmSession, "after_rollback", _forget_noted)


def _note_places(session: OrmSession, _context: object) -> None:
    for row in [*session.new, *session.dirty]:
        if isinstance(row, Place) and row.town_id and _moved(row):
            session.info.setdefault("road_points", set()).add((row.town_id, row.lat, row.lon))


def _moved(row: Place) -> bool:
    state = inspect(row)
    if state.pending or not state.has_identity:
        return True
    return any(state.attrs[name].history.has_changes() for name in ("lat", "lon"))


def _forget_noted(session: OrmSession) -> None:
    session.info.pop("road_points", None)


def _warm_noted(session: OrmSession) -> None:
    points = session.info.pop("road_points", None)
    graph = road_graph() if points else None
    if graph is None:
        return
    worker = threading.Thread(target=_warm_points, args=(graph.config_file, graph.path,
                                                         sorted(points)), daemon=True)
    _THREADS[:] = [t for t in _THREADS if t.is_alive()] + [worker]
    worker.start()


def _warm_points(config_file: Path, graph_path: Path,
                 points: list[tuple[int, float, float]]) -> None:
    try:
        for town_id in sorted({t for t, _, _ in points}):
            times = road_times(config_file, town_id)
            mine = [(lat, lon) for t, lat, lon in points if t == town_id]
            before = times.size()
            times.raw(mine, mine)
            if times.size() != before:
                save(times, cache_file(graph_path, town_id))
    except Exception:  # noqa: BLE001  (a failed warm-up only means a slower first quote)
        log.exception("computing a saved place's road times failed")


def wait_for_warming(timeout: float = 30.0) -> None:
    """Wait until places saved so far have their road times (tests, CLI)."""
    for worker in list(_THREADS):
        worker.join(timeout)
