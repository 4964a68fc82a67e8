"""Cheapest feasible insertion of one request into one vehicle's sequence.

Candidate positions are pruned with necessary conditions derived from the
route's earliest and latest times, then confirmed (cheapest first) with the
shared evaluator.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from carshare.domain.evaluate import (
    earliest,
    latest,
    legs,
    load_ok,
    ride_links,
    solve_times,
    timing_arrays,
)
from carshare.domain.model import Model


@dataclass(frozen=True)
class RouteState:
    """A feasible sequence with its earliest/latest times and stop data."""

    vehicle: int
    seq: list[int]
    early: list[int]
    late: list[int]
    places: list[int]
    service: list[int]
    opens: list[int]
    closes: list[int]
    links: list
    seats: list[int]  # seats taken after each position
    chairs: list[int]  # wheelchair spaces taken after each position
    drive: int  # driving time of the route, start to end


def route_state(m: Model, v: int, seq: list[int]) -> RouteState | None:
    """Return the state of a feasible sequence, or None if it is infeasible."""
    b = earliest(m, v, seq)
    if b is None or not load_ok(m, v, seq):
        return None
    opens, closes, service, _ = timing_arrays(m, v, seq)
    places = [m.v_start[v]] + [m.node_place[x] for x in seq] + [m.v_end[v]]
    seats = list(accumulate([0] + [m.seats[x] for x in seq] + [0]))
    chairs = list(accumulate([0] + [m.wc[x] for x in seq] + [0]))
    tm = m.time
    drive = sum(tm[a][z] for a, z in zip(places, places[1:], strict=False))
    return RouteState(v, seq, b, latest(m, v, seq, b), places, service, opens, closes,
                      ride_links(m, seq, service), seats, chairs, drive)


def _fits(m: Model, v: int, st: RouteState, r: int, i: int, j: int) -> bool:
    """Return whether inserting request r at (i, j) is feasible (spliced arrays)."""
    p, d = 2 * r, 2 * r + 1
    if (max(st.seats[i - 1:j]) + m.seats[p] > m.v_seats[v]
            or max(st.chairs[i - 1:j]) + m.wc[p] > m.v_wc[v]):
        return False

    def splice(a: list, xp, xd) -> list:
        return a[:i] + [xp] + a[i:j] + [xd] + a[j:]

    s = splice(st.service, m.s[p], m.s[d])
    links: list = [None] * (len(st.links) + 2)
    for k, link in enumerate(st.links):
        if link is not None:
            links[k + (k >= i) + (k >= j)] = (link[0] + (link[0] >= i) + (link[0] >= j), link[1])
    links[j + 1] = (i, m.ride[r] + m.s[p])
    leg = legs(m, splice(st.places, m.node_place[p], m.node_place[d]), s)
    return solve_times(splice(st.opens, m.e[p], m.e[d]), splice(st.closes, m.l[p], m.l[d]),
                       leg, links, m.v_dur[v]) is not None


def _candidates(m: Model, st: RouteState, r: int) -> list[tuple[int, int, int]]:
    p, d = 2 * r, 2 * r + 1
    tm, c = m.time, m.cost
    pp, pd, ep, lp, ed, ld = m.node_place[p], m.node_place[d], m.e[p], m.l[p], m.e[d], m.l[d]
    sp, sd, ride = m.s[p], m.s[d], m.ride[r]
    pl, sv, b, lt, op = st.places, st.service, st.early, st.late, st.opens
    room = m.v_seats[st.vehicle] - m.seats[p]
    from_p = tm[pp]
    seats, last, out = st.seats, len(pl) - 1, []
    slack = m.v_drive[st.vehicle] - st.drive  # driving the insertion may still add
    # latest times never decrease along a route: skip stops that must precede the pick-up
    for i in range(max(1, bisect_left(lt, ep + sp)), last + 1):
        if b[i - 1] + sv[i - 1] > lp:
            break
        if seats[i - 1] > room:
            continue
        prev, nxt = pl[i - 1], pl[i]
        tp = b[i - 1] + sv[i - 1] + tm[prev][pp]
        tp = ep if tp < ep else tp
        if tp > lp:
            continue
        cost_p = c[prev][pp] - c[prev][nxt]
        td = tp + sp + from_p[pd]
        td = ed if td < ed else td
        if (td <= ld and td + sd + tm[pd][nxt] <= lt[i]
                and tm[prev][pp] + from_p[pd] + tm[pd][nxt] - tm[prev][nxt] <= slack):
            out.append((cost_p + c[pp][pd] + c[pd][nxt], i, i))
        chain = sp + from_p[nxt]
        cur = max(op[i], b[i], tp + chain)
        if i == last or cur > lt[i]:
            continue
        cost_p += c[pp][nxt]
        room_d = slack - (tm[prev][pp] + from_p[nxt] - tm[prev][nxt])
        for j in range(i + 1, last + 1):
            a, z = pl[j - 1], pl[j]
            if chain - sp > ride or cur + sv[j - 1] > ld or seats[j - 1] > room:
                break
            to_d = sv[j - 1] + tm[a][pd]
            td = cur + to_d
            td = ed if td < ed else td
            if (td <= ld and chain + to_d - sp <= ride and td + sd + tm[pd][z] <= lt[j]
                    and tm[a][pd] + tm[pd][z] - tm[a][z] <= room_d):
                out.append((cost_p + c[a][pd] + c[pd][z] - c[a][z], i, j))
            if j == last:
                break
            step = sv[j - 1] + tm[a][z]
            chain += step
            cur += step
            cur = b[j] if cur < b[j] else cur
            if cur > lt[j]:
                break
    return out


def best_insertion(m: Model, v: int, st: RouteState, r: int) -> tuple[int, list[int]] | None:
    """Return (added cost, new sequence) of the cheapest feasible insertion, or None."""
    allowed = m.allowed[r]
    if allowed is not None and v not in allowed:
        return None
    seq = st.seq
    for delta, i, j in sorted(_candidates(m, st, r)):
        if _fits(m, v, st, r, i, j):
            return delta, seq[: i - 1] + [2 * r] + seq[i - 1 : j - 1] + [2 * r + 1] + seq[j - 1 :]
    return None


class InsertionCache:
    """Memo of route states and best insertions, keyed by the exact sequence.

    Ruin-and-recreate leaves most routes unchanged between iterations, so
    their states and insertion answers are reused.  Bounded: cleared when full.
    """

    def __init__(self, m: Model, limit: int = 200_000) -> None:
        self.m, self.limit = m, limit
        self._states: dict[tuple, RouteState | None] = {}
        self._best: dict[tuple, tuple[int, list[int]] | None] = {}

    def state(self, v: int, seq: list[int]) -> RouteState | None:
        """Return :func:`route_state`, memoised."""
        key = (v, tuple(seq))
        if key not in self._states:
            if len(self._states) > self.limit:
                self._states.clear()
            self._states[key] = route_state(self.m, v, seq)
        return self._states[key]

    def best(self, v: int, st: RouteState, r: int) -> tuple[int, list[int]] | None:
        """Return :func:`best_insertion`, memoised."""
        key = (v, tuple(st.seq), r)
        if key not in self._best:
            if len(self._best) > self.limit:
                self._best.clear()
            self._best[key] = best_insertion(self.m, v, st, r)
        return self._best[key]
