"""Instant quote: feasible options for one new request, best first.

Options come from the cheapest feasible insertion into each vehicle's
current sequence, decided by the shared evaluator (the same rules as the
solver), so no other rider's promise moves.  With no option, nearby times
that day and other days are tried and the reason is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from carshare.domain.convert import routes_from_plan
from carshare.domain.evaluate import earliest, feasible, latest
from carshare.domain.insertion import best_insertion, route_state
from carshare.domain.model import Model
from carshare.domain.plan import Plan, StopKind, UnservedReason
from carshare.domain.reasons import classify
from carshare.domain.schedule import delayed_times
from carshare.domain.types import Request, VehicleId, Window


@dataclass(frozen=True)
class QuoteOption:
    """One way to serve the request; ``sequence`` is the vehicle's new order."""

    vehicle_id: VehicleId
    pickup_window: Window
    pickup_time: int
    arrival: int
    ride_time: int
    added_cost: int
    sequence: tuple[tuple[object, StopKind], ...]


@dataclass(frozen=True)
class Alternative:
    """An option found after moving the request by ``shift`` (and ``day`` days)."""

    day: int
    shift: int
    option: QuoteOption


@dataclass(frozen=True)
class Quote:
    """Options best first; when empty, the reason and nearby alternatives."""

    options: tuple[QuoteOption, ...]
    reason: UnservedReason | None = None
    detail: str = ""
    alternatives: tuple[Alternative, ...] = ()


def _option(m: Model, v: int, seq: list[int], cost: int, width: int) -> QuoteOption:
    r = m.riders - 1
    k = seq.index(2 * r) + 1
    lo = earliest(m, v, seq)
    hi = latest(m, v, seq, lo)
    b = delayed_times(m, v, seq)
    d = seq.index(2 * r + 1) + 1
    start, end = max(lo[k], b[k] - width // 2), min(hi[k], b[k] + width // 2)
    order = tuple(_token(m, x) for x in seq)
    ride = b[d] - b[k] - m.s[seq[k - 1]]
    return QuoteOption(m.problem.vehicles[v].id, Window(start, end), b[k], b[d], ride, cost,
                       order)


def _token(m: Model, x: int) -> tuple[object, StopKind]:
    """Return (request id, kind) of a node; own stops have no request id."""
    if m.is_own(x >> 1):
        return None, StopKind.OWN_LEAVE if x & 1 else StopKind.OWN_ARRIVE
    return m.problem.requests[x >> 1].id, StopKind.DROPOFF if x & 1 else StopKind.PICKUP


def options_for(m: Model, routes: list[list[int]], limit: int = 5,
                width: int = 1200) -> list[QuoteOption]:
    """Return feasible options for the model's last rider, cheapest first.

    A vehicle with an own stop is offered only with that stop in its route,
    so a quote never moves a driver away from their own appointment.
    """
    r, found = m.riders - 1, []
    for v, seq in enumerate(routes):
        st = route_state(m, v, seq)
        best = best_insertion(m, v, st, r) if st is not None else None
        if best is not None and feasible(m, v, best[1]):
            found.append((best[0], v, best[1]))
    found.sort(key=lambda f: f[:2])
    return [_option(m, v, seq, cost, width) for cost, v, seq in found[:limit]]


SHIFTS = (-1800, 1800, -3600, 3600, -5400, 5400, -7200, 7200)


def quote(m: Model, plan: Plan, request: Request, places: tuple = (), limit: int = 5,
          width: int = 1200, shifts: tuple[int, ...] = SHIFTS,
          other_days: Sequence[tuple[int, Model, Plan]] = ()) -> Quote:
    """Quote a new request against the current plan of the compiled day ``m``.

    :param places: places the request uses that the model does not know yet.
    :param width: width in seconds of the pick-up window promised to the rider.
    :param shifts: other times that day to try when nothing fits.
    :param other_days: (day offset, compiled day, plan) of other days that week.
    :raise DomainError: when the request is invalid.
    """
    mm = m.with_request(request, places)
    routes = routes_from_plan(mm, plan)
    options = options_for(mm, routes, limit, width)
    if options:
        return Quote(tuple(options))
    reason, detail = classify(mm, mm.riders - 1)
    alternatives = []
    for shift in keeps_appointment(request.dropoff_window is not None, shifts):
        moved = _shifted(request, shift)
        try:
            alt = options_for(m.with_request(moved, places), routes, 1, width)
        except ValueError:
            continue
        alternatives += [Alternative(0, shift, o) for o in alt]
    for day, other, other_plan in other_days:
        moved = _shifted(request, _day_shift(m, other, day))
        try:
            mo = other.with_request(moved, places)
        except ValueError:
            continue
        alt = options_for(mo, routes_from_plan(mo, other_plan), 1, width)
        alternatives += [Alternative(day, 0, o) for o in alt]
    return Quote((), reason, detail, distinct(alternatives))


def keeps_appointment(arrive_by: bool, shifts: Sequence[int]) -> tuple[int, ...]:
    """Return the shifts that keep the caller's appointment that day.

    A ride to arrive by a time may come earlier, never later; a ride to be picked up after
    a time (an appointment that ends then) may come later, never earlier.
    """
    if arrive_by:
        return tuple(s for s in shifts if s < 0)
    return tuple(s for s in shifts if s > 0)


def distinct(alternatives: Sequence[Alternative]) -> tuple[Alternative, ...]:
    """Drop alternatives that would be read out the same (same day, car, times)."""
    seen: set[tuple[int, VehicleId, int, int, int]] = set()
    kept = []
    for a in alternatives:
        key = (a.day, a.option.vehicle_id, a.option.pickup_window.start,
               a.option.pickup_window.end, a.option.arrival)
        if key not in seen:
            seen.add(key)
            kept.append(a)
    return tuple(kept)


def _day_shift(m: Model, other: Model, day: int) -> int:
    """Return the shift from ``m``'s time to the same clock time ``day`` days later."""
    here = m.problem.to_datetime(0) + timedelta(days=day)
    return other.problem.from_datetime(here)


def _shifted(request: Request, shift: int) -> Request:
    def move(w: Window | None) -> Window | None:
        return None if w is None else w.shifted(shift)

    return Request(request.id, request.pickup, request.dropoff, move(request.pickup_window),
                   move(request.dropoff_window), request.party, request.wheelchair,
                   request.pickup_service, request.dropoff_service, request.max_ride,
                   request.allowed_vehicles, None)
