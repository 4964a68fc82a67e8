"""Map plans (request and vehicle ids) to and from node sequences."""

from __future__ import annotations

from carshare.domain.model import Model
from carshare.domain.plan import Plan, StopKind

OWN = (StopKind.OWN_ARRIVE, StopKind.OWN_LEAVE)


def routes_from_plan(m: Model, plan: Plan) -> list[list[int]]:
    """Return per vehicle index the node sequence of a plan.

    Requests or vehicles of the plan that the model does not know are
    skipped (a cancelled request simply disappears from its route).
    """
    r_index = {req.id: r for r, req in enumerate(m.problem.requests)}
    v_index = {v.id: k for k, v in enumerate(m.problem.vehicles)}
    routes: list[list[int]] = [[] for _ in m.v_start]
    for route in plan.routes:
        v = v_index.get(route.vehicle_id)
        if v is None:
            continue
        for stop in route.stops:
            own = m.own_of[v]
            if stop.kind in OWN and own >= 0:
                routes[v].append(2 * own + (stop.kind is StopKind.OWN_LEAVE))
                continue
            r = r_index.get(stop.request_id)
            if r is not None and stop.kind in (StopKind.PICKUP, StopKind.DROPOFF):
                routes[v].append(2 * r + (stop.kind is StopKind.DROPOFF))
    return _with_own_stops(m, routes)


def _with_own_stops(m: Model, routes: list[list[int]]) -> list[list[int]]:
    """Put the own stops that a stored plan does not hold where they fit best.

    Plans kept in the database hold rider stops only.  A route whose own
    stop fits nowhere (made before the driver posted their times) is kept as
    it was, so no rider's promise disappears; a re-plan sorts it out.
    """
    from carshare.domain.construct import ensure_own

    fixed, dropped = ensure_own(m, routes)
    lost = set(dropped)
    return [seq if lost & {x >> 1 for x in seq} else new
            for seq, new in zip(routes, fixed, strict=True)]


def nodes_of(m: Model, vehicle: int, sequence) -> list[int]:  # type: ignore[no-untyped-def]
    """Return the node sequence of (request id, kind) pairs on a vehicle (own stops: None)."""
    index = {req.id: r for r, req in enumerate(m.problem.requests)}
    own, out = m.own_of[vehicle], []
    for rid, kind in sequence:
        if kind in OWN:
            out.append(2 * own + (kind is StopKind.OWN_LEAVE))
        else:
            out.append(2 * index[rid] + (kind is StopKind.DROPOFF))
    return out
