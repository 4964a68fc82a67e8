"""Plan or re-plan a whole day (keeping every promise), and take a cancelled ride out."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from carshare import metrics
from carshare.domain.convert import routes_from_plan
from carshare.domain.model import compile_problem
from carshare.domain.plan import StopKind
from carshare.domain.replan import Change, replan
from carshare.domain.solver import SolveOptions, plan_from_routes
from carshare.domain.today import compile_servable, from_now_on
from carshare.models import Plan, RequestStatus, RideRequest
from carshare.services.driver_assignments import ask_all
from carshare.services.driver_done import on_board, riders_of_routes
from carshare.services.plans import active_plan, save_plan, to_domain
from carshare.services.problem import PLANNED, DayData, day_data, to_problem
from carshare.timeutil import local_today

UNPLANNED = (RequestStatus.REQUESTED, RequestStatus.WAITING)
#: Planning today: the least time between pressing "plan today" and a new pick-up.
TODAY_LEAD = timedelta(minutes=20)
PROMISE_HALF_WIDTH = timedelta(minutes=10)


@dataclass(frozen=True)
class DayPlanResult:
    """What a re-planning did: the stored plan, who changed, who is still unmet."""

    plan: Plan | None
    served: int
    unserved: dict[int, str]  # request id -> reason code
    changes: tuple[Change, ...]


def plan_day(session: Session, town_id: int, day: date, tz: ZoneInfo,
             time_limit_s: float = 10.0, deterministic: bool = False,
             progress: Callable[[str], None] | None = None,
             now: datetime | None = None) -> DayPlanResult:
    """Re-plan every open request of a day from the current plan, keeping promises; commit.

    Newly served requests become ``planned``; unserved ones go on the waiting list with the
    reason. Only the riders listed in ``changes`` need to hear about it.

    :param now: when the day has begun (planning today), nobody new is picked up before
        ``now`` plus :data:`TODAY_LEAD`; rides whose time has passed are left as they are.
    """
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    data = day_data(session, town_id, day, tz)
    based_on = active_plan(session, town_id, day)
    left_alone = _leave_cars_with_riders_on_board(session, town_id, data, based_on)
    if not data.requests:
        metrics.planning_done(session, town_id, time.perf_counter() - started, 0, 0)
        return DayPlanResult(None, 0, {}, ())
    problem = to_problem(data)
    if now is not None and now.astimezone(tz).date() >= day:
        problem = from_now_on(problem, problem.from_datetime(now + TODAY_LEAD))
    model, _too_late = compile_servable(problem, data.travel)  # those stay as they are
    say(f"{len(data.requests)} requests, {len(data.offers)} offers")
    options = SolveOptions(time_limit_s=time_limit_s, deterministic=deterministic)
    result = replan(model, to_domain(session, based_on, data), options)
    served = set(result.plan.served)
    if day <= local_today(tz) + timedelta(days=1):
        _promise_planned(data, result.plan)
    stored = save_plan(session, town_id, data, result.plan, based_on, note="day re-planned")
    unserved = {u.request_id: u.reason.value for u in result.plan.unserved}
    _update_statuses(session, data.requests, served, unserved)
    _alert_unmet(session, town_id, day, unserved)
    ask_all(session, data.requests.values())  # drivers who must accept are asked at once
    session.commit()
    metrics.planning_done(session, town_id, time.perf_counter() - started, len(served),
                          len(unserved))
    say(f"{len(served)} served, {len(unserved)} waiting")
    changes = tuple(c for c in result.changes if c.request_id not in left_alone)
    return DayPlanResult(stored, len(served), unserved, changes)


def _leave_cars_with_riders_on_board(session: Session, town_id: int, data: DayData,
                                     based_on: Plan | None) -> set[int]:
    """Take the cars with a rider on board, and their riders, out of the problem: their
    routes are kept as they are (see :mod:`driver_done`). Return the riders left alone."""
    cars = set(on_board(session, town_id, data.day).values())
    riders = riders_of_routes(session, based_on, cars)
    riders |= {r.id for r in data.requests.values() if r.promised_offer_id in cars}
    for offer_id in cars:
        data.offers.pop(offer_id, None)
        data.cars.pop(offer_id, None)
    for request_id in riders:
        data.requests.pop(request_id, None)
    return riders


def _promise_planned(data: DayData, plan) -> None:  # type: ignore[no-untyped-def]
    """Riders hear about tomorrow the evening before: fix a pick-up window for each."""
    for route in plan.routes:
        for stop in route.stops:
            request = data.requests.get(stop.request_id)
            if stop.kind is StopKind.PICKUP and request and request.promised_pickup_start is None:
                at = data.origin + timedelta(seconds=stop.service_start)
                request.promised_offer_id = route.vehicle_id
                request.promised_pickup_start = at - PROMISE_HALF_WIDTH
                request.promised_pickup_end = at + PROMISE_HALF_WIDTH


def _alert_unmet(session: Session, town_id: int, day: date, unserved: dict[int, str]) -> None:
    """Put every ride that still has no driver on the staff call list (once per day)."""
    from carshare.services.outbox import alert_staff

    for request_id, reason in unserved.items():
        alert_staff(session, town_id, f"unmet:{request_id}:{day.isoformat()}",
                    f"no driver for this ride ({reason}); call the rider", request_id=request_id)


def _update_statuses(session: Session, requests: dict[int, RideRequest], served: set[int],
                     unserved: dict[int, str]) -> None:
    for request_id, request in requests.items():
        if request_id in served and request.status in UNPLANNED:
            request.status, request.outcome_code = RequestStatus.PLANNED, None
        elif request_id in unserved and request.status != RequestStatus.CONFIRMED:
            request.status, request.outcome_code = RequestStatus.WAITING, unserved[request_id]
        session.add(request)


def replan_after_cancel(session: Session, request_id: int, tz: ZoneInfo | None = None) -> None:
    """Take a cancelled request out of its day's plan; the other stops keep their order.

    The remaining riders' times are recomputed by the shared schedule; their promises
    still hold because removing a stop never makes a route later. Does not commit.
    """
    request = session.get(RideRequest, request_id)
    tz = tz or ZoneInfo("Asia/Tokyo")
    day = request.window_start.astimezone(tz).date()
    based_on = active_plan(session, request.town_id, day)
    if based_on is None:
        return
    data = day_data(session, request.town_id, day, tz, statuses=PLANNED)
    data.requests.pop(request_id, None)
    model = compile_problem(to_problem(data), data.travel)
    routes = routes_from_plan(model, to_domain(session, based_on, data))
    save_plan(session, request.town_id, data, plan_from_routes(model, routes), based_on,
              note=f"request {request_id} cancelled")
