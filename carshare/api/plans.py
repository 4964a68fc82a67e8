"""The plan in force for a day: each driver's route with its stops and promised times."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from carshare.api.auth import caller
from carshare.api.blueprint import bp
from carshare.api.spec import operation
from carshare.api.validation import Day, Input, Output, from_row
from carshare.db import get_session
from carshare.models import PlanStatus, StopKind, StopStatus
from carshare.services.plans import active_plan, routes_of
from carshare.services.records.common import RecordNotFound


class StopOut(Output):
    """A visit to a place on a route."""

    sequence: int
    kind: StopKind
    place_id: int
    request_id: int | None
    arrival_at: datetime
    departure_at: datetime
    promised_start: datetime | None
    promised_end: datetime | None
    load_after: int
    status: StopStatus


class RouteOut(Output):
    """One driver's trip in the plan."""

    id: int
    offer_id: int
    vehicle_id: int
    seats: int
    peak_load: int
    distance_m: int
    driving_s: int
    starts_at: datetime
    ends_at: datetime
    stops: list[StopOut]


class PlanOut(Output):
    """The plan in force for a day."""

    id: int
    service_date: date
    version: int
    status: PlanStatus
    created_at: datetime
    routes: list[RouteOut]


class PlanQuery(Input):
    """Which day."""

    day: Day = Field(description="The service day (YYYY-MM-DD).")


def plan_routes(town_id: int, day: date) -> PlanOut:
    """Return the day's plan in force. :raise RecordNotFound: no plan that day."""
    session = get_session()
    plan = active_plan(session, town_id, day)
    if plan is None:
        raise RecordNotFound
    routes = [from_row(RouteOut, route, stops=[from_row(StopOut, s) for s in stops])
              for route, stops in routes_of(session, plan)]
    return from_row(PlanOut, plan, routes=routes)


@bp.get("/plans")
@operation("plans", {"HTTP_200": PlanOut}, query=PlanQuery)
def get_plan(query: PlanQuery) -> PlanOut:
    """The plan in force for a day (404 when the day has none yet)."""
    return plan_routes(caller().actor.town_id, query.day)
