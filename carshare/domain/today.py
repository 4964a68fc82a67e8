"""Planning the day that has begun: nobody new is picked up in the past."""

from __future__ import annotations

from dataclasses import replace

from carshare.domain.errors import InvalidRequest
from carshare.domain.model import Model, compile_problem
from carshare.domain.travel import TravelModel
from carshare.domain.types import Problem, Request, Window


def from_now_on(problem: Problem, now: int) -> Problem:
    """Return the problem as seen at ``now`` (problem seconds).

    A request without a promise may only be picked up at ``now`` or later; one whose time
    has passed is left out (it stays as it was, for staff to see). Promised requests keep
    their promise, which the planner keeps anyway.
    """
    kept = []
    for request in problem.requests:
        if request.promise is not None:
            kept.append(request)
            continue
        clipped = not_before(request, now)
        if clipped is not None:
            kept.append(clipped)
    return problem.with_requests(tuple(kept))


def not_before(request: Request, now: int) -> Request | None:
    """Return the request with its pick-up at ``now`` or later, or None when too late."""
    last = (request.dropoff_window or request.pickup_window or Window(now, now)).end
    if request.pickup_window is not None:
        last = min(last, request.pickup_window.end)
    if last < now:
        return None
    start = request.pickup_window.start if request.pickup_window is not None else now
    end = request.pickup_window.end if request.pickup_window is not None else last
    return replace(request, pickup_window=Window(max(start, now), end))


def compile_servable(problem: Problem, travel: TravelModel | None = None
                     ) -> tuple[Model, list[object]]:
    """Compile, leaving out the requests impossible in themselves (a ride whose time is too
    close once nobody may be picked up before now); return (model, their ids)."""
    dropped: list[object] = []
    while True:
        try:
            return compile_problem(problem, travel), dropped
        except InvalidRequest as error:
            dropped.append(error.request_id)
            problem = problem.with_requests(
                tuple(r for r in problem.requests if r.id != error.request_id))
