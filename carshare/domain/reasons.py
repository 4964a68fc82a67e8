"""Why a request is unserved: check it alone against each vehicle."""

from __future__ import annotations

from dataclasses import replace

from carshare.domain.construct import alone_feasible_for
from carshare.domain.model import BIG_DRIVE, Model
from carshare.domain.plan import Unserved, UnservedReason


def _detour_ok(m: Model, v: int, r: int) -> bool:
    tm, p, d = m.time, 2 * r, 2 * r + 1
    a, b, c, z = m.v_start[v], m.node_place[p], m.node_place[d], m.v_end[v]
    return tm[a][b] + m.s[p] + tm[b][c] + m.s[d] + tm[c][z] <= m.v_dur[v]


def classify(m: Model, r: int) -> tuple[UnservedReason, str]:
    """Return the reason a request cannot be served, from the request alone.

    When it fits some vehicle alone, the reason is CAPACITY: the cars that
    could take it are busy with other riders.
    """
    vehicles = list(range(len(m.v_start)))
    if not vehicles:
        return UnservedReason.NO_OFFER, "no driver has offered a ride that day"
    if m.allowed[r] is not None:
        vehicles = [v for v in vehicles if v in m.allowed[r]]
        if not vehicles:
            return UnservedReason.NOT_ALLOWED, "none of the allowed drivers is available"
    if m.wc[2 * r]:
        vehicles = [v for v in vehicles if m.v_wc[v] >= m.wc[2 * r]]
        if not vehicles:
            return UnservedReason.NO_WHEELCHAIR_SPACE, "no car with wheelchair space that day"
    vehicles = [v for v in vehicles if m.v_seats[v] >= m.seats[2 * r]]
    if not vehicles:
        return UnservedReason.CAPACITY, "no car has enough free seats for the party"
    vehicles = [v for v in vehicles if _detour_ok(m, v, r)]
    if not vehicles:
        return UnservedReason.TOO_FAR, "the trip exceeds every driver's detour budget"
    if set(alone_feasible_for(m, r)) & set(vehicles):
        return UnservedReason.CAPACITY, "every suitable car is already full at that time"
    return _why_alone_fails(m, r, vehicles)


def _why_alone_fails(m: Model, r: int, vehicles: list[int]) -> tuple[UnservedReason, str]:
    """The ride fits no car even alone: the drivers' extra driving, their own trips, or time."""
    uncapped = replace(m, v_drive=[BIG_DRIVE] * len(m.v_drive))
    if set(alone_feasible_for(uncapped, r)) & set(vehicles):
        return UnservedReason.EXTRA_DRIVE, "beyond the extra driving the drivers accept"
    if all(m.own_of[v] >= 0 for v in vehicles):
        return UnservedReason.OFF_ROUTE, "nobody is going that way at that time"
    return UnservedReason.TIME, "no driver is available at the requested time"


def unserved(m: Model, rs: list[int]) -> tuple[Unserved, ...]:
    """Return Unserved entries with reasons for request indices."""
    out = []
    for r in rs:
        reason, detail = classify(m, r)
        out.append(Unserved(m.problem.requests[r].id, reason, detail))
    return tuple(out)
