"""The one shared feasibility and schedule evaluator.

Every algorithm (quote, greedy baseline, construction, checks of the
OR-Tools output) decides "is this vehicle's stop sequence feasible" here.
A sequence is a list of node ids (pick-up ``2r``, drop-off ``2r + 1``);
position 0 is the vehicle start and position ``len(seq) + 1`` its end.

Timing constraints of a fixed sequence are difference constraints; the
least solution (earliest start of service everywhere) is found by raising
lower bounds to a fixpoint, and the sequence is feasible exactly when that
solution respects every upper bound.
"""

from __future__ import annotations

from itertools import accumulate

from carshare.domain.model import Model


def timing_arrays(m: Model, v: int, seq: list[int]):
    """Return (earliest, latest, service, leg) per position of start + seq + end."""
    node_place, me, ml, ms = m.node_place, m.e, m.l, m.s
    places = [m.v_start[v]] + [node_place[x] for x in seq] + [m.v_end[v]]
    e = [m.v_e[v]] + [me[x] for x in seq] + [m.v_e[v]]
    late = [m.v_l[v]] + [ml[x] for x in seq] + [m.v_l[v]]
    s = [0] + [ms[x] for x in seq] + [0]
    return e, late, s, legs(m, places, s)


def legs(m: Model, places: list[int], s: list[int]) -> list[int]:
    """Return service plus travel time from each position to the next."""
    tm = m.time
    return [sv + tm[a][b] for sv, a, b in zip(s, places, places[1:], strict=False)]


def ride_links(m: Model, seq: list[int], s: list[int]) -> list | None:
    """Return per position the (pick-up position, limit) of a drop-off."""
    links: list = [None] * (len(seq) + 2)
    where: dict[int, int] = {}
    for k, x in enumerate(seq, 1):
        if x & 1 == 0:
            where[x] = k
        elif x - 1 in where:
            p = where.pop(x - 1)
            links[k] = (p, m.ride[x >> 1] + s[p])
        else:
            return None  # drop-off before its pick-up
    return None if where else links


def earliest(m: Model, v: int, seq: list[int]) -> list[int] | None:
    """Return the earliest feasible start-of-service times, or None if infeasible."""
    e, late, s, leg = timing_arrays(m, v, seq)
    links = ride_links(m, seq, s)
    if links is None:
        return None
    return solve_times(e, late, leg, links, m.v_dur[v])


def solve_times(e, late, leg, links, duration) -> list[int] | None:
    """Reject rides too long even without waiting, then run :func:`fixpoint`."""
    chain = list(accumulate(leg, initial=0))
    for k, link in enumerate(links):
        if link is not None and chain[k] - chain[link[0]] > link[1]:
            return None
    return fixpoint(e, late, leg, links, duration)


def fixpoint(e, late, leg, links, duration) -> list[int] | None:
    """Raise lower bounds to the least solution; None when an upper bound breaks."""
    last = len(e) - 1
    b = [0] * len(e)
    b[0] = e[0]
    k, budget = 1, 30 * len(e)
    while k <= last:
        t = b[k - 1] + leg[k - 1]
        if t < e[k]:
            t = e[k]
        if t > late[k]:
            return None
        b[k] = t
        link = links[k]
        need = t - link[1] if link is not None else t - duration if k == last else None
        p = link[0] if link is not None else 0
        if need is not None and need > b[p]:
            budget -= 1
            if need > late[p] or budget < 0:
                return None
            b[p], k = need, p + 1
            continue
        k += 1
    return b


def latest(m: Model, v: int, seq: list[int], lower: list[int]) -> list[int]:
    """Return the latest feasible times of a feasible sequence (greatest solution)."""
    e, late, s, leg = timing_arrays(m, v, seq)
    return backward(late, leg, ride_links(m, seq, s), m.v_dur[v], lower)


def backward(late, leg, links, duration, lower) -> list[int]:
    """Lower upper bounds to a fixpoint, mirror image of :func:`fixpoint`."""
    caps = {link[0]: (k, link[1]) for k, link in enumerate(links) if link}
    last = len(late) - 1
    b = list(late)
    k, budget = last - 1, 30 * len(late)
    while k >= 0:
        b[k] = min(b[k], b[k + 1] - leg[k])
        cap = caps.get(k) or ((last, duration) if k == 0 else None)
        if cap is not None and b[k] + cap[1] < b[cap[0]] and budget > 0:
            budget -= 1
            b[cap[0]] = max(b[k] + cap[1], lower[cap[0]])
            k = cap[0] - 1
            continue
        k -= 1
    return b


def load_ok(m: Model, v: int, seq: list[int]) -> bool:
    """Return whether seats and wheelchair spaces suffice after every stop."""
    seats, wc, cap_s, cap_w = 0, 0, m.v_seats[v], m.v_wc[v]
    for x in seq:
        seats += m.seats[x]
        wc += m.wc[x]
        if seats > cap_s or wc > cap_w:
            return False
    return True


def allowed_ok(m: Model, v: int, seq: list[int]) -> bool:
    """Return whether every request of the sequence may ride in vehicle ``v``."""
    return all(m.allowed[x >> 1] is None or v in m.allowed[x >> 1] for x in seq if x & 1 == 0)


def drive_time(m: Model, v: int, seq: list[int]) -> int:
    """Return the driving time of the sequence from the vehicle's start to its end."""
    tm = m.time
    places = [m.v_start[v], *(m.node_place[x] for x in seq), m.v_end[v]]
    return sum(tm[a][b] for a, b in zip(places, places[1:], strict=False))


def drive_ok(m: Model, v: int, seq: list[int]) -> bool:
    """Return whether the driving stays within the driver's own trip plus the accepted extra."""
    return drive_time(m, v, seq) <= m.v_drive[v]


def own_ok(m: Model, v: int, seq: list[int]) -> bool:
    """Return whether a vehicle with riders visits its own stop (arrive, then leave at once)."""
    o = m.own_of[v]
    if o < 0:
        return not any(m.is_own(x >> 1) for x in seq)
    if not seq:
        return True
    if 2 * o not in seq:
        return False
    k = seq.index(2 * o)
    return k + 1 < len(seq) and seq[k + 1] == 2 * o + 1


def feasible(m: Model, v: int, seq: list[int]) -> bool:
    """Return whether the sequence satisfies every rule on vehicle ``v``."""
    return (allowed_ok(m, v, seq) and own_ok(m, v, seq) and load_ok(m, v, seq)
            and drive_ok(m, v, seq) and earliest(m, v, seq) is not None)


def route_cost(m: Model, v: int, seq: list[int]) -> int:
    """Return the objective cost of driving the sequence (0 when empty)."""
    if not seq:
        return 0
    c = m.cost
    places = [m.v_start[v], *(m.node_place[x] for x in seq), m.v_end[v]]
    return sum(c[a][b] for a, b in zip(places, places[1:], strict=False))
