"""Reader for Cordeau (2006) / Cordeau-Laporte (2003) dial-a-ride instances.

Maps an instance onto the ordinary problem types: node ``i`` becomes place
``i`` with (x, y) stored as (lat, lon), request ``i`` picks up at node ``i``
and drops off at node ``n + i``, ``K`` identical vehicles start at node 0
and end at node ``2n + 1`` (node 0 again for the pr format).  Times and
distances are scaled by ``scale`` and travel time equals distance, so
use :class:`~carshare.domain.travel.EuclideanTravel` with the same scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from carshare.domain.errors import MalformedInstance
from carshare.domain.types import Place, Problem, Request, Vehicle, Window


@dataclass(frozen=True)
class CordeauInstance:
    """A parsed instance: its name, request count and the mapped problem."""

    name: str
    n: int
    problem: Problem


def _rows(text: str) -> list[list[float]]:
    try:
        return [[float(x) for x in line.split()] for line in text.splitlines() if line.strip()]
    except ValueError as exc:
        raise MalformedInstance(f"non-numeric field: {exc}") from exc


def parse(text: str, name: str = "instance", scale: int = 1000) -> CordeauInstance:
    """Parse instance text; raise MalformedInstance when it is not well formed."""
    rows = _rows(text)
    if len(rows) < 4 or len(rows[0]) < 5 or any(len(r) < 7 for r in rows[1:]):
        raise MalformedInstance("expected a 'K N T Q L' header and 7 fields per node")
    k, _, t_max, q, ride = rows[0][:5]
    nodes = rows[1:]
    pr_format = len(nodes) % 2 == 1
    n = (len(nodes) - 1) // 2 if pr_format else (len(nodes) - 2) // 2
    if [int(r[0]) for r in nodes] != list(range(len(nodes))) or n < 1:
        raise MalformedInstance("node ids must run 0, 1, 2, ... without gaps")
    if int(rows[0][1]) not in (n, 2 * n):
        raise MalformedInstance(f"header says {int(rows[0][1])} but the file has {n} requests")
    places = tuple(Place(int(r[0]), f"node {int(r[0])}", r[1], r[2]) for r in nodes)
    end = 0 if pr_format else 2 * n + 1

    def sc(x: float) -> int:
        return math.ceil(x * scale - 1e-7)

    def window(r: list[float]) -> Window:
        return Window(sc(r[5]), int(r[6] * scale))

    requests = tuple(
        Request(i, i, n + i, window(nodes[i]), window(nodes[n + i]), party=int(nodes[i][4]),
                pickup_service=sc(nodes[i][3]), dropoff_service=sc(nodes[n + i][3]),
                max_ride=int(ride * scale))
        for i in range(1, n + 1)
    )
    depot = Window(sc(nodes[0][5]), int(nodes[end][6] * scale))
    vehicles = tuple(
        Vehicle(v, 0, end, depot, seats=int(q), max_duration=int(t_max * scale))
        for v in range(int(k))
    )
    horizon = Window(0, int(max(r[6] for r in nodes) * scale))
    problem = Problem(places, vehicles, requests, objective="distance", horizon=horizon)
    return CordeauInstance(name, n, problem)


def read(path: str | Path, scale: int = 1000) -> CordeauInstance:
    """Read an instance file; raise MalformedInstance on any format error."""
    path = Path(path)
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise MalformedInstance(f"cannot read {path}: {exc}") from exc
    return parse(text, path.stem, scale)
