"""Reader and writer for "posted trips" instances (volunteers' own trips plus riders).

Format: ``../shared/bench/owntrips/README.md``.  Points are (x, y) in km,
stored as (lat, lon) of one place per distinct point; travel time in minutes
equals distance in km, so use :class:`~carshare.domain.travel.EuclideanTravel`
with the same ``scale`` (time units per minute).  Time 0 stays 0.

Rounding is conservative so that every plan the engine accepts is feasible
for the independent checker: early bounds are rounded up, late bounds and
limits down, and the engine rounds each travel time up.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from carshare.domain.errors import MalformedInstance
from carshare.domain.plan import Plan, StopKind
from carshare.domain.travel import EuclideanTravel
from carshare.domain.types import OwnStop, Place, Problem, Request, Vehicle, Window

EPS = 1e-9  # float noise tolerated when scaling values that are meant to be exact


@dataclass(frozen=True)
class OwnTripsInstance:
    """A parsed instance: its name, the raw JSON and the mapped problem."""

    name: str
    data: dict
    problem: Problem
    scale: int


def up(x: float, scale: int) -> int:
    """Return x scaled and rounded up (an early bound)."""
    return math.ceil(x * scale - EPS)


def down(x: float, scale: int) -> int:
    """Return x scaled and rounded down (a late bound or a limit)."""
    return math.floor(x * scale + EPS)


def _point(raw) -> tuple[float, float]:
    if not isinstance(raw, list | tuple) or len(raw) != 2:
        raise MalformedInstance(f"expected a point [x, y], got {raw!r}")
    return float(raw[0]), float(raw[1])


class _Places:
    """One place per distinct point, numbered in order of first use."""

    def __init__(self) -> None:
        self.index: dict[tuple[float, float], int] = {}

    def __call__(self, raw) -> int:
        pt = _point(raw)
        return self.index.setdefault(pt, len(self.index))

    def places(self) -> tuple[Place, ...]:
        return tuple(Place(k, f"({x}, {y})", x, y) for (x, y), k in self.index.items())


def _window(raw, scale: int) -> Window:
    lo, hi = raw
    return Window(up(lo, scale), down(hi, scale))


def _direct(v: dict) -> float:
    """Return the exact length of the volunteer's own trip (km)."""
    start, end = _point(v["start"]), _point(v["end"])
    own = v.get("own")
    if own is None:
        return math.dist(start, end)
    at = _point(own["at"])
    return math.dist(start, at) + math.dist(at, end)


def _vehicle(v: dict, at: _Places, travel: EuclideanTravel, scale: int) -> Vehicle:
    own = v.get("own")
    start, end = at(v["start"]), at(v["end"])
    stop = None
    legs = [(v["start"], v["end"])]
    if own is not None:
        stop = OwnStop(at(own["at"]), down(own["arrive_by"], scale), up(own["leave_after"], scale))
        legs = [(v["start"], own["at"]), (own["at"], v["end"])]
    extra = None
    if v.get("max_extra") is not None:
        # The engine compares the rounded-up legs with its own rounded direct trip;
        # cap their sum at the exact direct trip + max_extra (rounded down).
        rounded = sum(_rounded(a, b, travel) for a, b in legs)
        extra = down(_direct(v) + float(v["max_extra"]), scale) - rounded
        if extra < 0:
            raise MalformedInstance(f"vehicle {v['id']!r}: negative extra driving after rounding")
    wc = int(v.get("wheelchair", 0))
    return Vehicle(v["id"], start, end, _window(v["window"], scale), seats=int(v["seats"]),
                   wheelchair_spaces=wc, own=stop, extra_drive=extra)


def _rounded(a, b, travel: EuclideanTravel) -> int:
    pa, pb = _point(a), _point(b)
    (t,), _ = travel.matrix([Place(0, "", *pa)], [Place(1, "", *pb)], None)
    return t[0]


def _request(r: dict, at: _Places, scale: int) -> Request:
    service = float(r["service"])
    s = up(service, scale)
    # checker: drop-off start - pick-up start <= max_ride + service
    ride = down(float(r["max_ride"]) + service, scale) - s
    return Request(r["id"], at(r["pickup"]), at(r["dropoff"]),
                   _window(r["pickup_window"], scale), _window(r["dropoff_window"], scale),
                   party=int(r["load"]), wheelchair=bool(r.get("wheelchair", False)),
                   pickup_service=s, dropoff_service=s, max_ride=ride)


def parse(data: dict, scale: int = 1000) -> OwnTripsInstance:
    """Map instance JSON onto a Problem; raise MalformedInstance when it is not well formed."""
    try:
        at = _Places()
        travel = EuclideanTravel(scale)
        vehicles = tuple(_vehicle(v, at, travel, scale) for v in data["vehicles"])
        requests = tuple(_request(r, at, scale) for r in data["requests"])
        horizon = _window(data.get("horizon", [0, 24 * 60]), scale)
        name = str(data["name"])
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, MalformedInstance):
            raise
        raise MalformedInstance(f"bad instance: {exc!r}") from exc
    problem = Problem(at.places(), vehicles, requests, objective="distance", horizon=horizon)
    return OwnTripsInstance(name, data, problem, scale)


def read(path: str | Path, scale: int = 1000) -> OwnTripsInstance:
    """Read an instance file; raise MalformedInstance on any format error."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedInstance(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise MalformedInstance(f"{path}: expected a JSON object")
    return parse(data, scale)


TOKENS = {StopKind.PICKUP: "P:", StopKind.DROPOFF: "D:",
          StopKind.OWN_ARRIVE: "A", StopKind.OWN_LEAVE: "L"}


def tokens(route) -> list[str]:
    """Return a route's stops as solution tokens (start and end left out)."""
    out = []
    for stop in route.stops:
        if stop.kind in (StopKind.PICKUP, StopKind.DROPOFF):
            out.append(f"{TOKENS[stop.kind]}{stop.request_id}")
        elif stop.kind in TOKENS:
            out.append(TOKENS[stop.kind])
    return out


def solution(name: str, plan: Plan) -> dict:
    """Return the solution JSON of a plan; vehicles carrying nobody are left out."""
    routes = {}
    for route in plan.routes:
        seq = tokens(route)
        if any(t.startswith("P:") for t in seq):
            routes[str(route.vehicle_id)] = seq
    return {"instance": name, "routes": routes}
