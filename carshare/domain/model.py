"""Compile a :class:`Problem` into flat arrays shared by every algorithm.

Request ``r`` becomes pick-up node ``2r`` and drop-off node ``2r + 1``.
Windows are tightened with the direct time and the maximum ride time, so
the evaluator and the OR-Tools model prune the same impossible times.

A vehicle's own stop (the driver's own destination) is compiled as one more
pseudo-request after the riders (indices ``riders .. n - 1``): "arrive" is
its pick-up node, "leave" its drop-off node, at the same place, allowed only
on that vehicle and always kept (like a promise).  It takes every seat and
wheelchair space of the car, so no rider stop can lie between the two and
nobody stays in the car during the driver's own appointment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from carshare.domain.travel import GreatCircleTravel, Matrix, TravelModel
from carshare.domain.types import Problem, Request
from carshare.domain.validate import check_problem, request_bounds


@dataclass(frozen=True)
class Model:
    """Flat, index-based view of a problem (read-only by convention)."""

    problem: Problem
    travel: TravelModel
    place_index: dict
    time: Matrix
    dist: Matrix
    node_place: list[int]
    e: list[int]
    l: list[int]  # noqa: E741 - the literature's name for latest times
    s: list[int]
    seats: list[int]  # seat change at the node
    wc: list[int]  # wheelchair-space change at the node
    ride: list[int]  # per request: maximum ride time
    allowed: list[frozenset[int] | None]  # per request: allowed vehicle indices
    v_start: list[int]
    v_end: list[int]
    v_e: list[int]
    v_l: list[int]
    v_dur: list[int]
    v_seats: list[int]
    v_wc: list[int]
    v_drive: list[int]  # per vehicle: cap on total driving time (BIG_DRIVE when none)
    riders: int  # requests 0 .. riders - 1 are riders; the rest are own stops
    own_of: list[int]  # per vehicle: the own-stop request index, or -1

    @property
    def cost(self) -> Matrix:
        """Return the matrix of the objective (time or distance)."""
        return self.dist if self.problem.objective == "distance" else self.time

    @property
    def promised(self) -> frozenset[int]:
        """Return the requests that must stay served: promised riders and own stops."""
        return frozenset(r for r, q in enumerate(self.problem.requests) if q.promise) | \
            frozenset(range(self.riders, self.n))

    def is_own(self, r: int) -> bool:
        """Return whether request index ``r`` is a driver's own stop (not a rider)."""
        return r >= self.riders

    def base_route(self, v: int) -> list[int]:
        """Return the route of vehicle ``v`` with nobody on it: its own stop, if any."""
        o = self.own_of[v]
        return [] if o < 0 else [2 * o, 2 * o + 1]

    def vehicle_of_own(self, r: int) -> int:
        """Return the vehicle whose own stop is request index ``r``."""
        return self.own_of.index(r)

    @property
    def n(self) -> int:
        """Return the number of requests."""
        return len(self.ride)

    def with_request(self, request: Request, places: tuple = ()) -> Model:
        """Return a model with one more request (matrices extended, not rebuilt).

        :param places: new places the request refers to, if any.
        """
        problem = self.problem.with_requests(self.problem.requests + (request,))
        if places:
            problem = replace(problem, places=problem.places + tuple(places))
        return compile_problem(problem, self.travel, base=self)


BIG_DRIVE = 1 << 50  # no cap on a vehicle's driving
DEFAULT_TRAVEL = GreatCircleTravel()  # shared so its caches serve every call


def _day(problem: Problem) -> date:
    return problem.origin.date()


def _matrices(problem: Problem, travel: TravelModel, base: Model | None):
    places = list(problem.places)
    index = {p.id: i for i, p in enumerate(places)}
    if base is not None and base.place_index == index:
        return index, base.time, base.dist
    if base is not None and list(index)[: len(base.place_index)] == list(base.place_index):
        return (index, *_extend(base, places[len(base.place_index):], places, travel, problem))
    time, dist = travel.matrix(places, places, _day(problem))
    return index, time, dist


def _extend(base: Model, new: list, places: list, travel: TravelModel, problem: Problem):
    day = _day(problem)
    out_t, out_d = travel.matrix(places[: -len(new)], new, day)
    in_t, in_d = travel.matrix(new, places, day)
    time = [row + extra for row, extra in zip(base.time, out_t, strict=True)] + in_t
    dist = [row + extra for row, extra in zip(base.dist, out_d, strict=True)] + in_d
    return time, dist


def compile_problem(
    problem: Problem, travel: TravelModel | None = None, base: Model | None = None
) -> Model:
    """Validate a problem and compile it; raise a DomainError on bad input.

    :param travel: travel model; default: one shared great-circle model (cached).
    :param base: a model of the same places whose matrices can be reused.
    """
    travel = travel or (base.travel if base else DEFAULT_TRAVEL)
    check_problem(problem)
    index, time, dist = _matrices(problem, travel, base)
    vehicle_index = {v.id: k for k, v in enumerate(problem.vehicles)}
    arrays: dict[str, list] = {k: [] for k in ("node_place", "e", "l", "s", "seats", "wc")}
    ride, allowed = [], []
    for req in problem.requests:
        b = request_bounds(problem, req, index, time, vehicle_index)
        p, d = index[req.pickup], index[req.dropoff]
        seat_need = req.party - (1 if req.wheelchair else 0)
        wc_need = 1 if req.wheelchair else 0
        for key, pair in (("node_place", (p, d)), ("e", b.early), ("l", b.late),
                          ("s", (req.pickup_service, req.dropoff_service)),
                          ("seats", (seat_need, -seat_need)), ("wc", (wc_need, -wc_need))):
            arrays[key].extend(pair)
        ride.append(b.max_ride)
        allowed.append(b.allowed)
    vs = problem.vehicles
    own_of = _own_stops(problem, index, arrays, ride, allowed)
    v_dur = [_duration(v, index, time) for v in vs]
    return Model(problem, travel, index, time, dist, ride=ride, allowed=allowed,
                 v_start=[index[v.start] for v in vs], v_end=[index[v.end] for v in vs],
                 v_e=[v.window.start for v in vs], v_l=[v.window.end for v in vs],
                 v_dur=v_dur, v_seats=[v.seats for v in vs],
                 v_wc=[v.wheelchair_spaces for v in vs],
                 v_drive=[_drive_cap(v, index, time) for v in vs],
                 riders=len(problem.requests), own_of=own_of, **arrays)


def _own_stops(problem: Problem, index, arrays: dict, ride: list, allowed: list) -> list[int]:
    """Append one pseudo-request per vehicle with an own stop; return own index per vehicle."""
    own_of = []
    for k, v in enumerate(problem.vehicles):
        if v.own is None:
            own_of.append(-1)
            continue
        own_of.append(len(ride))
        at = index[v.own.place]
        pairs = (("node_place", (at, at)), ("e", (v.window.start, v.own.leave_after)),
                 ("l", (v.own.arrive_by, v.window.end)), ("s", (0, 0)),
                 ("seats", (v.seats, -v.seats)),
                 ("wc", (v.wheelchair_spaces, -v.wheelchair_spaces)))
        for key, pair in pairs:
            arrays[key].extend(pair)
        ride.append(v.window.end - v.window.start)
        allowed.append(frozenset({k}))
    return own_of


def _drive_cap(vehicle, index, time) -> int:
    """Return the cap on a vehicle's driving: its own direct trip plus the accepted extra."""
    if vehicle.extra_drive is None:
        return BIG_DRIVE
    a, z = index[vehicle.start], index[vehicle.end]
    if vehicle.own is None:
        return time[a][z] + vehicle.extra_drive
    o = index[vehicle.own.place]
    return time[a][o] + time[o][z] + vehicle.extra_drive


def _duration(vehicle, index, time) -> int:
    limit = vehicle.window.end - vehicle.window.start
    if vehicle.max_duration is not None:
        limit = min(limit, vehicle.max_duration)
    if vehicle.detour_budget is not None:
        direct = time[index[vehicle.start]][index[vehicle.end]]
        limit = min(limit, direct + vehicle.detour_budget)
    return limit


def restrict(model: Model, **changes) -> Model:
    """Return a copy of the model with some arrays replaced."""
    return replace(model, **changes)
