"""Turn a feasible stop sequence into a rider-friendly schedule and a Route.

Start of service is pushed later where that removes waiting with riders on
board: whenever the car is empty, the next departure is delayed by the
waiting that would otherwise happen before the car is empty again.
"""

from __future__ import annotations

from carshare.domain.evaluate import backward, earliest, fixpoint, ride_links, timing_arrays
from carshare.domain.model import Model
from carshare.domain.plan import Route, Stop, StopKind


def _onboard(m: Model, seq: list[int]) -> list[int]:
    """Return the riders' places taken after each position (own stops take none)."""
    load, out = 0, [0]
    for x in seq:
        if not m.is_own(x >> 1):
            load += m.seats[x] + m.wc[x]
        out.append(load)
    return out + [0]


def delayed_times(m: Model, v: int, seq: list[int]) -> list[int] | None:
    """Return start-of-service times with minimal waiting on board, or None."""
    e, late, s, leg = timing_arrays(m, v, seq)
    links = ride_links(m, seq, s)
    b = earliest(m, v, seq)
    if b is None:
        return None
    e, late, dur, onboard = list(e), list(late), m.v_dur[v], _onboard(m, seq)
    last = len(b) - 1
    for k in range(last):
        if k == 0 or onboard[k - 1] == 0:
            wait, j = 0, k + 1
            while j <= last:
                wait += b[j] - (b[j - 1] + leg[j - 1])
                if onboard[j] == 0:
                    break
                j += 1
            if wait > 0:
                hi = backward(late, leg, links, dur, b)[k]
                b[k] = max(b[k], min(hi, b[k] + wait))
        e[k] = late[k] = b[k]
        b = fixpoint(e, late, leg, links, dur) or b
    return b


def build_route(m: Model, v: int, seq: list[int]) -> Route:
    """Return the Route of a feasible sequence; raise ValueError if infeasible."""
    b = delayed_times(m, v, seq)
    if b is None:
        raise ValueError(f"sequence {seq} is infeasible for vehicle {v}")
    e, late, s, leg = timing_arrays(m, v, seq)
    hi = backward(late, leg, ride_links(m, seq, s), m.v_dur[v], b)
    vehicle = m.problem.vehicles[v]
    onboard = _onboard(m, seq)
    stops = []
    for k in range(len(b)):
        arrival = b[k] if k == 0 else b[k - 1] + leg[k - 1]
        x = seq[k - 1] if 0 < k <= len(seq) else None
        kind, place, rid = _describe(m, vehicle, x, k == 0)
        stops.append(Stop(kind, place, rid, arrival, b[k], b[k] + s[k], hi[k] - b[k], onboard[k]))
    places = [m.v_start[v], *(m.node_place[x] for x in seq), m.v_end[v]]
    dist = sum(m.dist[a][c] for a, c in zip(places, places[1:], strict=False))
    return Route(vehicle.id, tuple(stops), dist, b[-1] - b[0])


def _describe(m: Model, vehicle, x: int | None, first: bool):
    if x is None:
        if first:
            return StopKind.START, vehicle.start, None
        return StopKind.END, vehicle.end, None
    if m.is_own(x >> 1):
        kind = StopKind.OWN_LEAVE if x & 1 else StopKind.OWN_ARRIVE
        return kind, vehicle.own.place, None
    req = m.problem.requests[x >> 1]
    if x & 1:
        return StopKind.DROPOFF, req.dropoff, req.id
    return StopKind.PICKUP, req.pickup, req.id
