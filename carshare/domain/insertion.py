"""Cheapest feasible insertion of one request into one vehicle's sequence.

Candidate positions are pruned with necessary conditions derived from the
route's earliest and latest times, then confirmed (cheapest first) with the
shared evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass

from carshare.domain.evaluate import earliest, latest, load_ok
from carshare.domain.model import Model


@dataclass(frozen=True)
class RouteState:
    """A feasible sequence with its earliest/latest times and stop data."""

    seq: list[int]
    early: list[int]
    late: list[int]
    places: list[int]
    service: list[int]
    opens: list[int]


def route_state(m: Model, v: int, seq: list[int]) -> RouteState | None:
    """Return the state of a feasible sequence, or None if it is infeasible."""
    b = earliest(m, v, seq)
    if b is None or not load_ok(m, v, seq):
        return None
    places = [m.v_start[v], *(m.node_place[x] for x in seq), m.v_end[v]]
    service = [0, *(m.s[x] for x in seq), 0]
    opens = [m.v_e[v], *(m.e[x] for x in seq), m.v_e[v]]
    return RouteState(seq, b, latest(m, v, seq, b), places, service, opens)


def _candidates(m: Model, st: RouteState, r: int) -> list[tuple[int, int, int]]:
    p, d = 2 * r, 2 * r + 1
    tm, c = m.time, m.cost
    pp, pd, ep, lp, ed, ld = m.node_place[p], m.node_place[d], m.e[p], m.l[p], m.e[d], m.l[d]
    sp, sd, ride = m.s[p], m.s[d], m.ride[r]
    pl, sv, b, lt, op = st.places, st.service, st.early, st.late, st.opens
    last, out = len(pl) - 1, []
    for i in range(1, last + 1):
        if b[i - 1] + sv[i - 1] > lp:
            break
        prev, nxt = pl[i - 1], pl[i]
        tp = max(ep, b[i - 1] + sv[i - 1] + tm[prev][pp])
        if tp > lp:
            continue
        cost_p = c[prev][pp] - c[prev][nxt]
        td = max(ed, tp + sp + tm[pp][pd])
        if td <= ld and td + sd + tm[pd][nxt] <= lt[i]:
            out.append((cost_p + c[pp][pd] + c[pd][nxt], i, i))
        cur = max(op[i], b[i], tp + sp + tm[pp][nxt])
        chain = sp + tm[pp][nxt]
        if i == last or cur > lt[i]:
            continue
        cost_p += c[pp][nxt]
        for j in range(i + 1, last + 1):
            a, z = pl[j - 1], pl[j]
            if chain - sp > ride or cur + sv[j - 1] > ld:
                break
            td = max(ed, cur + sv[j - 1] + tm[a][pd])
            if td <= ld and chain + sv[j - 1] + tm[a][pd] - sp <= ride and (
                td + sd + tm[pd][z] <= lt[j]
            ):
                out.append((cost_p + c[a][pd] + c[pd][z] - c[a][z], i, j))
            if j == last:
                break
            chain += sv[j - 1] + tm[a][z]
            cur = max(b[j], cur + sv[j - 1] + tm[a][z])
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
        new = seq[: i - 1] + [2 * r] + seq[i - 1 : j - 1] + [2 * r + 1] + seq[j - 1 :]
        if load_ok(m, v, new) and earliest(m, v, new) is not None:
            return delta, new
    return None
