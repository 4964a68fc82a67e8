"""Valhalla, in-process: many-to-many travel times and snapping places to roads.

One :class:`RoadEngine` per graph and process; Valhalla's ``Actor`` is created on first use and
calls are serialised (the actor is not documented as thread-safe).  Times are seconds, distances
metres; ``None`` marks a pair with no road between them (or none that avoids a closure) and
:data:`~carshare.domain.travel.OFF_ROAD` a pair with a point that has no road near it.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from carshare.domain.travel import OFF_ROAD

LatLon = tuple[float, float]
Polygon = tuple[LatLon, ...]  # closed or open ring of (lat, lon)
Cell = int | None
#: A place farther than this from any road counts as off the road network (metres): its times
#: are estimated, and the snapping report lists it for staff to fix.
SNAP_SEARCH_M = 2_000


def valhalla_config(tile_dir: Path) -> dict[str, Any]:
    """Return the configuration for a graph in ``tile_dir``: limits raised for whole towns."""
    import valhalla

    config: dict[str, Any] = valhalla.get_config(tile_extract="", tile_dir=str(tile_dir),
                                                 verbose=False)
    config["loki"]["service_defaults"]["minimum_reachability"] = 0
    config["loki"]["service_defaults"]["search_cutoff"] = SNAP_SEARCH_M
    config["thor"]["source_to_target_algorithm"] = "timedistancematrix"
    auto = config["service_limits"]["auto"]
    auto["max_matrix_location_pairs"] = 4_000_000
    auto["max_matrix_distance"] = 1_000_000.0
    config["service_limits"]["max_exclude_polygons_length"] = 1_000_000
    config["service_limits"]["max_exclude_locations"] = 500
    return config


class RoadEngine:
    """Travel matrices and snapping on one built graph."""

    def __init__(self, config_file: Path) -> None:
        self.config_file = config_file
        self._actor: Any = None
        self._lock = threading.Lock()

    def _get_actor(self) -> Any:
        if self._actor is None:
            import valhalla

            config = json.loads(self.config_file.read_text(encoding="utf-8"))
            self._actor = valhalla.Actor(config)
        return self._actor

    def matrix(self, sources: Sequence[LatLon], targets: Sequence[LatLon],
               avoid: Sequence[Polygon] = ()) -> tuple[list[list[Cell]], list[list[Cell]]]:
        """Return (seconds, metres) from every source to every target by road.

        :param avoid: closed areas no route may enter (a road closure).
        """
        if not sources or not targets:
            return [[] for _ in sources], [[] for _ in sources]
        request: dict[str, Any] = {
            "sources": [_location(p) for p in sources],
            "targets": [_location(p) for p in targets], "costing": "auto"}
        if avoid:
            request["exclude_polygons"] = [[[lon, lat] for lat, lon in ring] for ring in avoid]
        try:
            with self._lock:
                answer = json.loads(self._get_actor().matrix(json.dumps(request)))
        except RuntimeError:  # ValhallaError: a point with no road near it spoils the call
            return self._without_off_road(sources, targets, avoid)
        rows = answer["sources_to_targets"]
        times = [[_seconds(cell) for cell in row] for row in rows]
        metres = [[_metres(cell) for cell in row] for row in rows]
        return times, metres

    def _without_off_road(self, sources: Sequence[LatLon], targets: Sequence[LatLon],
                          avoid: Sequence[Polygon]) -> tuple[list[list[Cell]], list[list[Cell]]]:
        """Compute the pairs of points that snap; mark the others :data:`OFF_ROAD`."""
        points = list(dict.fromkeys([*sources, *targets]))
        placed = {p for p, far in zip(points, self.snap(points), strict=True) if far is not None}
        good_s = [p for p in sources if p in placed]
        good_t = [p for p in targets if p in placed]
        if len(good_s) == len(sources) and len(good_t) == len(targets):
            return [[None] * len(targets) for _ in sources], [[None] * len(targets)
                                                                for _ in sources]
        sub_t, sub_d = self.matrix(good_s, good_t, avoid) if good_s and good_t else ([], [])
        at_s, at_t = {p: i for i, p in enumerate(good_s)}, {p: j for j, p in enumerate(good_t)}

        def fill(sub: list[list[Cell]]) -> list[list[Cell]]:
            return [[sub[at_s[s]][at_t[t]] if s in at_s and t in at_t else OFF_ROAD
                     for t in targets] for s in sources]
        return fill(sub_t), fill(sub_d)

    def snap(self, points: Sequence[LatLon]) -> list[float | None]:
        """Return how far (metres) each point lies from the road it snaps to (None: no road
        within :data:`SNAP_SEARCH_M`)."""
        if not points:
            return []
        request = {"locations": [_location(p) for p in points], "costing": "auto",
                   "verbose": False}
        with self._lock:
            try:
                answer = json.loads(self._get_actor().locate(json.dumps(request)))
            except RuntimeError:  # Valhalla raises when no location snaps at all
                return [None] * len(points)
        return [_snap_distance(point, found) for point, found in zip(points, answer, strict=True)]


def _location(point: LatLon) -> dict[str, float]:
    return {"lat": point[0], "lon": point[1]}


def _seconds(cell: dict[str, Any]) -> Cell:
    value = cell.get("time")
    return None if value is None else int(math.ceil(value))


def _metres(cell: dict[str, Any]) -> Cell:
    value = cell.get("distance")
    return None if value is None else int(math.ceil(value * 1000))


def _snap_distance(point: LatLon, found: dict[str, Any]) -> float | None:
    edges = found.get("edges") or []
    if not edges:
        return None
    return min(_haversine_m(point, (e["correlated_lat"], e["correlated_lon"])) for e in edges)


def _haversine_m(a: LatLon, b: LatLon) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000.0 * math.asin(min(1.0, math.sqrt(h)))
