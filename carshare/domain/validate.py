"""Input checks and window tightening, run before any solver starts."""

from __future__ import annotations

from dataclasses import dataclass

from carshare.domain.errors import InvalidProblem, InvalidRequest, UnknownPlace
from carshare.domain.types import Problem, Request, Window


@dataclass(frozen=True)
class Bounds:
    """Tightened windows (pick-up, drop-off), ride limit and vehicle set."""

    early: tuple[int, int]
    late: tuple[int, int]
    max_ride: int
    allowed: frozenset[int] | None


def _unique(ids, what: str) -> None:
    seen = set()
    for i in ids:
        if i in seen:
            raise InvalidProblem(f"duplicate {what} id {i!r}")
        seen.add(i)


def check_problem(problem: Problem) -> None:
    """Raise InvalidProblem for duplicates, unknown places or bad vehicles."""
    if problem.objective not in ("time", "distance"):
        raise InvalidProblem(f"unknown objective {problem.objective!r}")
    _unique((p.id for p in problem.places), "place")
    _unique((v.id for v in problem.vehicles), "vehicle")
    _unique((r.id for r in problem.requests), "request")
    known = {p.id for p in problem.places}
    for v in problem.vehicles:
        for where in (v.start, v.end):
            if where not in known:
                raise UnknownPlace(f"vehicle {v.id!r}: unknown place {where!r}")
        if v.window.start > v.window.end or v.seats < 0 or v.wheelchair_spaces < 0:
            raise InvalidProblem(f"vehicle {v.id!r}: empty window or negative capacity")
        _check_own(v, known)
    for r in problem.requests:
        for where in (r.pickup, r.dropoff):
            if where not in known:
                raise UnknownPlace(f"request {r.id!r}: unknown place {where!r}")


def _check_own(v, known: set) -> None:  # type: ignore[no-untyped-def]
    """An own stop lies at a known place, within the window, leaving after arriving."""
    if v.extra_drive is not None and v.extra_drive < 0:
        raise InvalidProblem(f"vehicle {v.id!r}: negative extra driving")
    own = v.own
    if own is None:
        return
    if own.place not in known:
        raise UnknownPlace(f"vehicle {v.id!r}: unknown place {own.place!r}")
    if not v.window.start <= own.arrive_by <= own.leave_after <= v.window.end:
        raise InvalidProblem(f"vehicle {v.id!r}: own stop times outside the window or reversed")


def _check_party(problem: Problem, req: Request) -> None:
    if req.party < 1:
        raise InvalidRequest(req.id, "party size must be at least 1")
    if not problem.vehicles:
        return
    seats = req.party - (1 if req.wheelchair else 0)
    if seats > max(v.seats for v in problem.vehicles):
        raise InvalidRequest(req.id, f"party of {req.party} is larger than every vehicle")


def _window(w: Window | None, horizon: Window, req: Request, what: str) -> Window:
    if w is None:
        return horizon
    if w.start > w.end:
        raise InvalidRequest(req.id, f"{what} window ends before it starts")
    return w


def request_bounds(problem: Problem, req: Request, index, time, vehicle_index) -> Bounds:
    """Validate one request and return its tightened bounds.

    :raise InvalidRequest: when the request is impossible in itself.
    """
    _check_party(problem, req)
    if req.pickup_window is None and req.dropoff_window is None:
        raise InvalidRequest(req.id, "needs a pick-up or a drop-off window")
    pw = _window(req.pickup_window, problem.horizon, req, "pick-up")
    dw = _window(req.dropoff_window, problem.horizon, req, "drop-off")
    direct = time[index[req.pickup]][index[req.dropoff]]
    ride = req.max_ride if req.max_ride is not None else problem.rules.max_ride(direct)
    if ride < direct:
        raise InvalidRequest(req.id, f"maximum ride {ride} is below direct travel {direct}")
    allowed = _allowed(req, vehicle_index)
    if req.promise is not None:
        pw = _promised(req, pw)
    s = req.pickup_service
    ep = max(pw.start, dw.start - ride - s)
    lp = min(pw.end, dw.end - s - direct)
    ed = max(dw.start, ep + s + direct)
    ld = min(dw.end, lp + s + ride)
    if ep > lp or ed > ld:
        raise InvalidRequest(req.id, "drop-off window cannot be met after the pick-up window "
                             "plus travel time and ride limit")
    return Bounds((ep, ed), (lp, ld), ride, allowed)


def _allowed(req: Request, vehicle_index) -> frozenset[int] | None:
    if req.promise is not None:
        if req.promise.vehicle_id not in vehicle_index:
            raise InvalidRequest(req.id, f"promised vehicle {req.promise.vehicle_id!r} unknown")
        return frozenset({vehicle_index[req.promise.vehicle_id]})
    if req.allowed_vehicles is None:
        return None
    return frozenset(vehicle_index[v] for v in req.allowed_vehicles if v in vehicle_index)


def _promised(req: Request, pw: Window) -> Window:
    w = req.promise.pickup_window
    lo, hi = max(pw.start, w.start), min(pw.end, w.end)
    if lo > hi:
        raise InvalidRequest(req.id, "promised pick-up window lies outside the request window")
    return Window(lo, hi)
