"""Re-plan a whole day, warm-started from the current plan, keeping promises.

Promised requests are hard constraints in the compiled model (vehicle fixed,
pick-up inside the promised window), so neither the LNS nor OR-Tools can
break them.  The result lists who changed, so only they are notified.
"""

from __future__ import annotations

from dataclasses import dataclass

from carshare.domain.convert import routes_from_plan
from carshare.domain.evaluate import feasible
from carshare.domain.model import Model
from carshare.domain.plan import Plan, StopKind
from carshare.domain.solver import SolveOptions, plan_from_routes, solve_model
from carshare.domain.types import RequestId, VehicleId


@dataclass(frozen=True)
class Change:
    """What changed for one rider: ``kind`` is moved, retimed, added or dropped."""

    request_id: RequestId
    kind: str
    before: tuple[VehicleId, int] | None
    after: tuple[VehicleId, int] | None


@dataclass(frozen=True)
class Replan:
    """The new plan and the riders whose vehicle or pick-up time changed."""

    plan: Plan
    changes: tuple[Change, ...]


def _pickups(plan: Plan) -> dict[RequestId, tuple[VehicleId, int]]:
    return {
        s.request_id: (route.vehicle_id, s.service_start)
        for route in plan.routes
        for s in route.stops
        if s.kind is StopKind.PICKUP
    }


def diff(before: Plan, after: Plan, threshold: int = 300) -> tuple[Change, ...]:
    """Return changes; a pick-up moving less than ``threshold`` seconds is no change."""
    old, new, out = _pickups(before), _pickups(after), []
    for rid in list(old) + [r for r in new if r not in old]:
        a, b = old.get(rid), new.get(rid)
        if a is None or b is None:
            out.append(Change(rid, "added" if a is None else "dropped", a, b))
        elif a[0] != b[0]:
            out.append(Change(rid, "moved", a, b))
        elif abs(a[1] - b[1]) >= threshold:
            out.append(Change(rid, "retimed", a, b))
    return tuple(out)


def replan(m: Model, plan: Plan, options: SolveOptions | None = None,
           threshold: int = 300) -> Replan:
    """Improve the day ``m`` from ``plan`` within the time limit, keeping promises.

    Routes of the old plan that are no longer feasible (a driver changed
    their offer) are emptied and their riders re-inserted.
    """
    routes = routes_from_plan(m, plan)
    routes = [seq if feasible(m, v, seq) else [] for v, seq in enumerate(routes)]
    new = plan_from_routes(m, solve_model(m, options or SolveOptions(), routes))
    return Replan(new, diff(plan, new, threshold))
