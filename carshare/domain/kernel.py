"""Compiled (Numba) ruin-and-recreate search on flat arrays.

A line-by-line port of the shared evaluator's rules (``evaluate.py``:
windows, ride times, route duration, waiting anywhere, seats, wheelchair
spaces, allowed vehicles) and of the insertion pruning (``insertion.py``),
so the LNS runs at compiled speed.  It only proposes: every route it
returns is confirmed by the shared evaluator before it is used
(``fast_search.py``), and a property test checks that both agree.

Arrays (all int64 unless said):
  ``node`` (2n, 6): place, earliest, latest, service, seat change, wheelchair change;
  ``veh`` (V, 8): start place, end place, earliest, latest, duration, seats, wheelchair,
  cap on driving time (own direct trip plus accepted extra; huge when none);
  ``tm``/``cm`` (P, P): travel time and objective cost between places;
  ``ride`` (n): maximum ride time; ``allow`` (n, V) bool; ``prom`` (n) bool.
Routes: ``R`` (V, M) node sequences with lengths ``LEN`` (V).
"""

from __future__ import annotations

import numpy as np
from numba import njit

BIG = np.int64(1) << 60
CANDIDATES = 1 << 14  # insertion candidates kept in the workspace; longer routes allocate
PLACE, OPEN, CLOSE, SERV, SEAT, CHAIR = 0, 1, 2, 3, 4, 5
V_START, V_END, V_OPEN, V_CLOSE, V_DUR, V_SEATS, V_CHAIRS, V_DRIVE = 0, 1, 2, 3, 4, 5, 6, 7
UNCAPPED = np.int64(1) << 49  # a drive cap at least this large is no cap


@njit(cache=True, nogil=True)
def workspace(n_nodes, size):
    """Return scratch arrays for sequences of up to ``size`` stops."""
    z = size + 4
    c = min(z * z, CANDIDATES)
    return (np.empty(z, np.int64), np.empty(z, np.int64), np.empty(z, np.int64),
            np.empty(z, np.int64), np.empty(z, np.int64), np.empty(z, np.int64),
            np.empty(z, np.int64), np.full(n_nodes // 2 + 1, -1, np.int64),
            np.empty(z, np.int64), np.empty(z, np.int64), np.empty(c, np.int64),
            np.empty(c, np.int64), np.empty(c, np.int64), np.empty(z, np.int64))


@njit(cache=True, nogil=True)
def _positions(seq, k, v, node, veh, tm, ride, W):
    """Fill per-position places, opens, closes, service, legs and ride links; ok flag."""
    pl, op, cl, sv, leg, lfrom, llim, where = W[0], W[1], W[2], W[3], W[4], W[5], W[6], W[7]
    n = k + 2
    pl[0], op[0], cl[0], sv[0] = veh[v, V_START], veh[v, V_OPEN], veh[v, V_CLOSE], 0
    pl[n - 1], op[n - 1], cl[n - 1] = veh[v, V_END], veh[v, V_OPEN], veh[v, V_CLOSE]
    sv[n - 1], lfrom[0], lfrom[n - 1] = 0, -1, -1
    ok, open_count = True, 0
    for q in range(k):
        x = seq[q]
        pos = q + 1
        pl[pos], op[pos], cl[pos], sv[pos] = node[x, PLACE], node[x, OPEN], node[x, CLOSE], \
            node[x, SERV]
        lfrom[pos] = -1
        r = x >> 1
        if x & 1 == 0:
            where[r] = pos
            open_count += 1
        elif where[r] >= 0:
            lfrom[pos] = where[r]
            llim[pos] = ride[r] + sv[where[r]]
            where[r] = -1
            open_count -= 1
        else:
            ok = False
    if open_count != 0:
        ok = False
        for q in range(k):
            where[seq[q] >> 1] = -1
    for q in range(n - 1):
        leg[q] = sv[q] + tm[pl[q], pl[q + 1]]
    return ok


@njit(cache=True, nogil=True)
def _fixpoint(n, W, duration):
    """Least solution of the difference constraints into ``W[8]``; False if infeasible."""
    op, cl, leg, lfrom, llim, b, chain = W[1], W[2], W[4], W[5], W[6], W[8], W[9]
    chain[0] = 0
    for q in range(1, n):
        chain[q] = chain[q - 1] + leg[q - 1]
    for q in range(n):
        if lfrom[q] >= 0 and chain[q] - chain[lfrom[q]] > llim[q]:
            return False
    last = n - 1
    b[0] = op[0]
    k, budget = 1, 30 * n
    while k <= last:
        t = b[k - 1] + leg[k - 1]
        if t < op[k]:
            t = op[k]
        if t > cl[k]:
            return False
        b[k] = t
        p, need, has = 0, np.int64(0), False
        if lfrom[k] >= 0:
            p, need, has = lfrom[k], t - llim[k], True
        elif k == last:
            p, need, has = 0, t - duration, True
        if has and need > b[p]:
            budget -= 1
            if need > cl[p] or budget < 0:
                return False
            b[p] = need
            k = p + 1
            continue
        k += 1
    return True


@njit(cache=True, nogil=True)
def _backward(cl, leg, lfrom, llim, duration, lower, out):
    """Greatest solution (latest times) into ``out``; mirror of :func:`_fixpoint`."""
    n = cl.shape[0]
    last = n - 1
    cap_to = np.full(n, -1, np.int64)
    cap_lim = np.zeros(n, np.int64)
    for q in range(n):
        if lfrom[q] >= 0:
            cap_to[lfrom[q]] = q
            cap_lim[lfrom[q]] = llim[q]
    cap_to[0], cap_lim[0] = last, duration
    for q in range(n):
        out[q] = cl[q]
    k, budget = last - 1, 30 * n
    while k >= 0:
        if out[k + 1] - leg[k] < out[k]:
            out[k] = out[k + 1] - leg[k]
        c = cap_to[k]
        if c >= 0 and out[k] + cap_lim[k] < out[c] and budget > 0:
            budget -= 1
            out[c] = max(out[k] + cap_lim[k], lower[c])
            k = c - 1
            continue
        k -= 1


@njit(cache=True, nogil=True)
def load_ok(seq, k, v, node, veh):
    """Return whether seats and wheelchair spaces suffice after every stop."""
    seats, chairs = 0, 0
    for q in range(k):
        seats += node[seq[q], SEAT]
        chairs += node[seq[q], CHAIR]
        if seats > veh[v, V_SEATS] or chairs > veh[v, V_CHAIRS]:
            return False
    return True


@njit(cache=True, nogil=True)
def drive_ok(seq, k, v, node, veh, tm):
    """Return whether driving ``seq[:k]`` stays within the vehicle's drive cap."""
    cap = veh[v, V_DRIVE]
    if cap >= UNCAPPED:
        return True
    prev, total = veh[v, V_START], np.int64(0)
    for q in range(k):
        here = node[seq[q], PLACE]
        total += tm[prev, here]
        prev = here
    return total + tm[prev, veh[v, V_END]] <= cap


@njit(cache=True, nogil=True)
def seq_feasible(seq, k, v, node, veh, tm, ride, allow, W):
    """Return whether ``seq[:k]`` satisfies every rule on vehicle ``v``."""
    for q in range(k):
        if seq[q] & 1 == 0 and not allow[seq[q] >> 1, v]:
            return False
    if not load_ok(seq, k, v, node, veh) or not drive_ok(seq, k, v, node, veh, tm):
        return False
    return _positions(seq, k, v, node, veh, tm, ride, W) and _fixpoint(k + 2, W, veh[v, V_DUR])


@njit(cache=True, nogil=True)
def route_cost(seq, k, v, veh, node, cm):
    """Return the objective cost of driving ``seq[:k]`` on ``v`` (0 when empty)."""
    if k == 0:
        return np.int64(0)
    prev, total = veh[v, V_START], np.int64(0)
    for q in range(k):
        here = node[seq[q], PLACE]
        total += cm[prev, here]
        prev = here
    return total + cm[prev, veh[v, V_END]]


@njit(cache=True, nogil=True)
def refresh(v, R, LEN, E, L, PL, SV, OP, ST, node, veh, tm, ride, W):
    """Recompute the stored state of route ``v``; False when it is infeasible."""
    k = LEN[v]
    n = k + 2
    if not _positions(R[v], k, v, node, veh, tm, ride, W) or not _fixpoint(n, W, veh[v, V_DUR]):
        return False
    pl, op, cl, sv, leg, lfrom, llim, b = W[0], W[1], W[2], W[3], W[4], W[5], W[6], W[8]
    _backward(cl[:n], leg[:n], lfrom[:n], llim[:n], veh[v, V_DUR], b[:n], L[v, :n])
    seats = 0
    for q in range(n):
        E[v, q], PL[v, q], SV[v, q], OP[v, q] = b[q], pl[q], sv[q], op[q]
        if 0 < q <= k:
            seats += node[R[v, q - 1], SEAT]
        ST[v, q] = seats if q <= k else 0
    return True


@njit(cache=True, nogil=True)
def _fits(r, i, j, v, R, LEN, node, veh, tm, ride, W):
    """Return whether inserting request r at positions (i, j) is feasible."""
    k, seq, w, buf = LEN[v], R[v], 0, W[13]
    for q in range(k + 1):
        if q == i - 1:
            buf[w] = 2 * r
            w += 1
        if q == j - 1:
            buf[w] = 2 * r + 1
            w += 1
        if q < k:
            buf[w] = seq[q]
            w += 1
    if not load_ok(buf, w, v, node, veh) or not drive_ok(buf, w, v, node, veh, tm):
        return False
    return _positions(buf, w, v, node, veh, tm, ride, W) and _fixpoint(w + 2, W, veh[v, V_DUR])


@njit(cache=True, nogil=True)
def best_insertion(r, v, R, LEN, E, L, PL, SV, OP, ST, node, veh, tm, cm, ride, W, limit=BIG):
    """Return (added cost, i, j) of the cheapest feasible insertion, or (BIG, -1, -1).

    Insertions costing ``limit`` or more are not considered; when some were
    skipped and none cheaper fits, return (limit, -2, -2): the cost is at
    least ``limit``.  The skip uses the pickup's detour alone as a lower
    bound, which holds when travel costs obey the triangle inequality.
    """
    p, d = 2 * r, 2 * r + 1
    pp, pd = node[p, PLACE], node[d, PLACE]
    ep, lp, ed, ld = node[p, OPEN], node[p, CLOSE], node[d, OPEN], node[d, CLOSE]
    sp, sd, lim = node[p, SERV], node[d, SERV], ride[r]
    room = veh[v, V_SEATS] - node[p, SEAT]
    last = LEN[v] + 1
    b, lt, pl, sv, op, seats = E[v], L[v], PL[v], SV[v], OP[v], ST[v]
    cost, ci, cj = W[10], W[11], W[12]
    if (last + 1) * (last + 1) > cost.shape[0]:
        cost = np.empty((last + 1) * (last + 1), np.int64)
        ci, cj = np.empty_like(cost), np.empty_like(cost)
    nc, pruned = 0, False
    first = np.searchsorted(lt[: last + 1], ep + sp)
    for i in range(max(1, first), last + 1):
        if b[i - 1] + sv[i - 1] > lp:
            break
        if seats[i - 1] > room:
            continue
        prev, nxt = pl[i - 1], pl[i]
        tp = b[i - 1] + sv[i - 1] + tm[prev, pp]
        if tp < ep:
            tp = ep
        if tp > lp:
            continue
        cost_p = cm[prev, pp] - cm[prev, nxt]
        if cost_p + cm[pp, nxt] >= limit:  # the pickup's detour alone
            pruned = True
            continue
        td = tp + sp + tm[pp, pd]
        if td < ed:
            td = ed
        if td <= ld and td + sd + tm[pd, nxt] <= lt[i]:
            c = cost_p + cm[pp, pd] + cm[pd, nxt]
            if c < limit:
                cost[nc], ci[nc], cj[nc] = c, i, i
                nc += 1
            else:
                pruned = True
        chain = sp + tm[pp, nxt]
        cur = max(op[i], b[i], tp + chain)
        if i == last or cur > lt[i]:
            continue
        cost_p += cm[pp, nxt]
        for j in range(i + 1, last + 1):
            a, z = pl[j - 1], pl[j]
            if chain - sp > lim or cur + sv[j - 1] > ld or seats[j - 1] > room:
                break
            to_d = sv[j - 1] + tm[a, pd]
            td = cur + to_d
            if td < ed:
                td = ed
            if td <= ld and chain + to_d - sp <= lim and td + sd + tm[pd, z] <= lt[j]:
                c = cost_p + cm[a, pd] + cm[pd, z] - cm[a, z]
                if c < limit:
                    cost[nc], ci[nc], cj[nc] = c, i, j
                    nc += 1
                else:
                    pruned = True
            if j == last:
                break
            step = sv[j - 1] + tm[a, z]
            chain += step
            cur += step
            if cur < b[j]:
                cur = b[j]
            if cur > lt[j]:
                break
    for _ in range(nc):  # cheapest first; usually the first candidate fits
        q, c = 0, cost[0]
        for a in range(1, nc):
            if cost[a] < c:
                q, c = a, cost[a]
        if c == BIG:
            break
        if _fits(r, ci[q], cj[q], v, R, LEN, node, veh, tm, ride, W):
            return c, ci[q], cj[q]
        cost[q] = BIG
    if pruned:
        return limit, np.int64(-2), np.int64(-2)
    return BIG, np.int64(-1), np.int64(-1)
