"""Map plans (request and vehicle ids) to and from node sequences."""

from __future__ import annotations

from carshare.domain.model import Model
from carshare.domain.plan import Plan, StopKind


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
            r = r_index.get(stop.request_id)
            if r is not None and stop.kind in (StopKind.PICKUP, StopKind.DROPOFF):
                routes[v].append(2 * r + (stop.kind is StopKind.DROPOFF))
    return routes
