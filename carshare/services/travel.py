"""The town's travel model, shared by planning, quotes, costs and reports (issues 17 and 20).

With road data (``flask roads build``) times come from the road network through one cache per
town and graph (:class:`~carshare.domain.travel.RoadTimes`); without it, from the calibrated
great-circle estimate.  Either way the town's month factors apply, and with road data the
day's road closures are avoided.  Every use case asks :func:`travel_for`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from sqlmodel import Session, select

from carshare.domain.travel import (
    GreatCircleTravel,
    Polygon,
    RoadTimes,
    RoadTravel,
    TravelConfig,
    TravelModel,
)
from carshare.models import RoadClosure, TownTravelSettings
from carshare.roads.store import GraphInfo, current_graph, current_signature
from carshare.services.closure_shapes import polygon_of
from carshare.services.road_times_file import cache_file, load

#: Caches of their own for measuring (costs, reports, the demo history), so that measuring
#: never pushes the planner's matrices out of its cache.
PLANNING, MEASURING = "planning", "measuring"
_ROADS = {"root": None}  # set by :func:`configure` from the app's instance folder
_LOCK = threading.Lock()


def configure(roads_root: Path | None) -> None:
    """Say where this installation keeps its road graphs (None: no road data)."""
    _ROADS["root"] = roads_root
    _graph.cache_clear()


def configured_root() -> Path | None:
    """Return the folder of this installation's road graphs (None: switched off)."""
    return _ROADS["root"]


def travel_settings(session: Session, town_id: int) -> TownTravelSettings:
    """Return the town's stored settings, or the defaults (not added) when none are saved."""
    row = session.exec(select(TownTravelSettings).where(
        TownTravelSettings.town_id == town_id)).first()
    return row or TownTravelSettings(town_id=town_id)


def config_of(row: TownTravelSettings) -> TravelConfig:
    """Return the domain configuration of stored settings."""
    return TravelConfig(circuity=row.circuity, speed_kmh=row.speed_kmh,
                        month_factors=row.factors)


@lru_cache(maxsize=64)
def model_of(config: TravelConfig, pool: str = PLANNING) -> GreatCircleTravel:
    """Return the one shared great-circle model of ``config`` in ``pool``."""
    return GreatCircleTravel(config)


@dataclass(frozen=True)
class ModelInfo:
    """Which travel model a town's times come from (shown beside every time)."""

    roads: bool
    built_at: str = ""  # the road data's build time (ISO), when ``roads``
    source: str = ""  # the extract it was built from


def road_graph() -> GraphInfo | None:
    """Return the installation's current road graph (None: great-circle estimates)."""
    root = _ROADS["root"]
    if root is None:
        return None
    return _graph(root, current_signature(root))


@lru_cache(maxsize=4)
def _graph(root: Path, signature: tuple[str, int] | None) -> GraphInfo | None:
    return current_graph(root) if signature else None


def model_info() -> ModelInfo:
    """Return which model produces travel times now."""
    graph = road_graph()
    if graph is None:
        return ModelInfo(False)
    return ModelInfo(True, graph.built_at, graph.source)


def travel_for(session: Session, town_id: int, pool: str = PLANNING) -> TravelModel:
    """Return the travel model of the town's current settings, roads and closures.

    :param pool: ``PLANNING`` for the solver, ``MEASURING`` for single trips and checks.
    """
    config = config_of(travel_settings(session, town_id))
    graph = road_graph()
    if graph is None:
        return model_of(config, pool)
    return _road_model(config, graph.config_file, town_id, closures_by_day(session, town_id),
                       pool, _stamp(graph.path, town_id))


def closures_by_day(session: Session, town_id: int,
                    since: date | None = None) -> tuple[tuple[date, tuple[Polygon, ...]], ...]:
    """Return the town's closures in force, as closed areas per day (from yesterday on)."""
    start = since or date.today() - timedelta(days=1)
    rows = session.exec(select(RoadClosure).where(
        RoadClosure.town_id == town_id, RoadClosure.lifted_at.is_(None),  # type: ignore[union-attr]
        RoadClosure.day >= start).order_by(RoadClosure.day, RoadClosure.id)).all()
    days: dict[date, list[Polygon]] = {}
    for row in rows:
        days.setdefault(row.day, []).append(polygon_of(row))
    return tuple((day, tuple(shapes)) for day, shapes in days.items())


@lru_cache(maxsize=256)
def _road_model(config: TravelConfig, config_file: Path, town_id: int,
                closures: tuple[tuple[date, tuple[Polygon, ...]], ...], pool: str,
                stamp: int) -> RoadTravel:
    return RoadTravel(road_times(config_file, town_id), config, dict(closures))


def road_times(config_file: Path, town_id: int) -> RoadTimes:
    """Return the town's cache of road times on one graph (one per process), started from
    the stored file (``services.road_times_file``) and renewed when a newer file is stored."""
    with _LOCK:
        return _road_times(config_file, town_id, _stamp(config_file.parent, town_id))


def _stamp(graph_path: Path, town_id: int) -> int:
    try:
        return cache_file(graph_path, town_id).stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=128)
def _road_times(config_file: Path, town_id: int, stamp: int) -> RoadTimes:
    times = RoadTimes(_engine(config_file))
    if stamp:
        load(times, cache_file(config_file.parent, town_id))
    return times


def engine_for(config_file: Path):  # type: ignore[no-untyped-def]
    """Return this process's road engine of a graph (created once)."""
    return _engine(config_file)


@lru_cache(maxsize=2)
def _engine(config_file: Path):  # type: ignore[no-untyped-def]
    from carshare.roads.engine import RoadEngine

    return RoadEngine(config_file)
