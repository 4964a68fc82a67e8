"""Reading a stored plan's routes and stops (for plans, the drivers' pages, costs and the
dashboard alike)."""

from __future__ import annotations

from sqlmodel import Session, select

from carshare.models import Plan, Route, Stop


def routes_of(session: Session, plan: Plan) -> list[tuple[Route, list[Stop]]]:
    """Return the routes of a plan with their stops in order (two queries)."""
    routes = list(session.exec(select(Route).where(Route.plan_id == plan.id)
                               .order_by(Route.id)))
    if not routes:
        return []
    stops: dict[int, list[Stop]] = {r.id: [] for r in routes}  # type: ignore[misc]
    for stop in session.exec(select(Stop).where(Stop.route_id.in_(list(stops)))  # type: ignore[union-attr]
                             .order_by(Stop.route_id, Stop.sequence)):
        stops[stop.route_id].append(stop)
    return [(r, stops[r.id]) for r in routes]  # type: ignore[index]
