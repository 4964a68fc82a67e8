"""Compiled ruin-and-recreate iterations on the arrays of ``kernel.py``.

State tuple ``S`` = (R, LEN, E, L, PL, SV, OP, ST, RC, WHO): routes,
lengths, earliest/latest times, places, service, opens, seats per
position, route costs, and the vehicle serving each request (-1 none).
Data tuple ``D`` = (node, veh, tm, cm, ride, allow, prom, rel) where
``rel[r]`` ranks all requests by relatedness to ``r``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from carshare.domain.kernel import BIG, best_insertion, refresh, route_cost


@njit(cache=True, nogil=True)
def seed_rng(seed):
    """Seed the calling thread's random stream."""
    np.random.seed(seed)


@njit(cache=True, nogil=True)
def copy_state(src, dst):
    """Copy every array of state ``src`` into ``dst``."""
    dst[0][:] = src[0]
    dst[1][:] = src[1]
    dst[2][:] = src[2]
    dst[3][:] = src[3]
    dst[4][:] = src[4]
    dst[5][:] = src[5]
    dst[6][:] = src[6]
    dst[7][:] = src[7]
    dst[8][:] = src[8]
    dst[9][:] = src[9]


@njit(cache=True, nogil=True)
def refresh_route(v, S, D, W):
    """Recompute state and cost of route ``v``; False when infeasible."""
    R, LEN, E, L, PL, SV, OP, ST, RC, WHO = S
    node, veh, tm, cm, ride, allow, prom, rel = D
    RC[v] = route_cost(R[v], LEN[v], v, veh, node, cm)
    return refresh(v, R, LEN, E, L, PL, SV, OP, ST, node, veh, tm, ride, W)


@njit(cache=True, nogil=True)
def _insert_at(S, v, r, i, j):
    R, LEN, WHO = S[0], S[1], S[9]
    k = LEN[v]
    seq = R[v].copy()
    w = 0
    for q in range(k + 1):
        if q == i - 1:
            R[v, w] = 2 * r
            w += 1
        if q == j - 1:
            R[v, w] = 2 * r + 1
            w += 1
        if q < k:
            R[v, w] = seq[q]
            w += 1
    LEN[v] = w
    WHO[r] = v


@njit(cache=True, nogil=True)
def _evaluate(r, v, S, D, W, amp, bound=np.inf):
    """Return (noisy cost, i, j, is a bound) of inserting ``r`` into ``v``.

    Insertions whose noisy cost cannot fall below ``bound`` are skipped;
    when that leaves none, the value returned is ``bound``, a lower bound.
    """
    R, LEN, E, L, PL, SV, OP, ST, RC, WHO = S
    node, veh, tm, cm, ride, allow, prom, rel = D
    noise = amp * (2.0 * np.random.random() - 1.0)
    limit = BIG if bound == np.inf else np.int64(np.ceil(bound + amp))
    c, i, j = best_insertion(r, v, R, LEN, E, L, PL, SV, OP, ST, node, veh, tm, cm, ride, W,
                             limit)
    if c == BIG:
        return np.inf, i, j, False
    if i == -2:
        return bound, i, j, True
    return float(c) + noise, i, j, False


@njit(cache=True, nogil=True)
def regret_insert(pending, S, D, amp, W):
    """Insert ``pending`` requests by regret-2 (noise ``amp``); return how many are left.

    After an insertion into route v only the requests with v among their two
    best routes are evaluated again at once; the others' entries for v are
    marked stale and evaluated again only if they come to be chosen.
    (Adding stops never makes an infeasible insertion feasible, so an
    infeasible entry stays infeasible.)  In the first pass a route is only
    searched for insertions that could beat the request's second best so
    far; otherwise its entry holds that bound and is marked stale too.
    """
    allow = D[5]
    nv = allow.shape[1]
    npend = pending.shape[0]
    bc = np.full((npend, nv), np.inf)
    bi = np.zeros((npend, nv), np.int64)
    bj = np.zeros((npend, nv), np.int64)
    stale = np.zeros((npend, nv), np.bool_)
    top = np.full((npend, 2), -1, np.int64)
    for a in range(npend):
        b1, b2 = np.inf, np.inf
        for v in range(nv):
            if allow[pending[a], v]:
                c, bi[a, v], bj[a, v], stale[a, v] = _evaluate(pending[a], v, S, D, W, amp, b2)
                bc[a, v] = c
                if c < b1:
                    b1, b2 = c, b1
                elif c < b2:
                    b2 = c
    done = np.zeros(npend, np.bool_)
    left = npend
    while left > 0:
        pick, pick_v = _most_regret(bc, done, top)
        if pick < 0:
            break
        r = pending[pick]
        if stale[pick, pick_v]:
            stale[pick, pick_v] = False
            bc[pick, pick_v], bi[pick, pick_v], bj[pick, pick_v], _ = _evaluate(
                r, pick_v, S, D, W, amp)
            continue
        _insert_at(S, pick_v, r, bi[pick, pick_v], bj[pick, pick_v])
        refresh_route(pick_v, S, D, W)
        done[pick] = True
        left -= 1
        for a in range(npend):
            if done[a] or bc[a, pick_v] == np.inf:
                continue
            if top[a, 0] == pick_v or top[a, 1] == pick_v:
                stale[a, pick_v] = False
                bc[a, pick_v], bi[a, pick_v], bj[a, pick_v], _ = _evaluate(
                    pending[a], pick_v, S, D, W, amp)
            else:
                stale[a, pick_v] = True
    return left


@njit(cache=True, nogil=True)
def _most_regret(bc, done, top):
    """Return (request index, route) of the largest regret-2; note each request's two best."""
    pick, pick_v, key_regret, key_cost = -1, -1, -np.inf, np.inf
    for a in range(bc.shape[0]):
        if done[a]:
            continue
        b1, b2, v1, v2 = np.inf, np.inf, -1, -1
        for v in range(bc.shape[1]):
            c = bc[a, v]
            if c < b1:
                b2, v2, b1, v1 = b1, v1, c, v
            elif c < b2:
                b2, v2 = c, v
        top[a, 0], top[a, 1] = v1, v2
        if v1 < 0:
            continue
        regret = (b2 if b2 < np.inf else 1e15) - b1
        if regret > key_regret or (regret == key_regret and b1 < key_cost):
            pick, pick_v, key_regret, key_cost = a, v1, regret, b1
    return pick, pick_v


@njit(cache=True, nogil=True)
def remove(S, D, gone, W):
    """Take the requests flagged in ``gone`` out of their routes."""
    R, LEN, WHO = S[0], S[1], S[9]
    nv = LEN.shape[0]
    touched = np.zeros(nv, np.bool_)
    for r in range(gone.shape[0]):
        if gone[r] and WHO[r] >= 0:
            touched[WHO[r]] = True
            WHO[r] = -1
    for v in range(nv):
        if touched[v]:
            w = 0
            for q in range(LEN[v]):
                if not gone[R[v, q] >> 1]:
                    R[v, w] = R[v, q]
                    w += 1
            LEN[v] = w
            refresh_route(v, S, D, W)


@njit(cache=True, nogil=True)
def _served(S):
    WHO = S[9]
    out = np.empty(WHO.shape[0], np.int64)
    c = 0
    for r in range(WHO.shape[0]):
        if WHO[r] >= 0:
            out[c] = r
            c += 1
    return out[:c]


@njit(cache=True, nogil=True)
def _pick_related(S, D, q, gone):
    WHO, rel = S[9], D[7]
    served = _served(S)
    seed = served[np.random.randint(served.shape[0])]
    ranked = np.empty(served.shape[0], np.int64)
    c = 0
    for r in rel[seed]:
        if WHO[r] >= 0:
            ranked[c] = r
            c += 1
    for _ in range(q):
        gone[ranked[int(c * np.random.random() ** 4)]] = True


@njit(cache=True, nogil=True)
def _pick_random(S, q, gone):
    served = _served(S)
    np.random.shuffle(served)
    for a in range(min(q, served.shape[0])):
        gone[served[a]] = True


@njit(cache=True, nogil=True)
def _pick_worst(S, D, q, gone):
    R, LEN, WHO = S[0], S[1], S[9]
    node, veh, cm = D[0], D[1], D[3]
    served = _served(S)
    gain = np.empty(served.shape[0], np.float64)
    rest = np.empty(R.shape[1], np.int64)
    for a in range(served.shape[0]):
        r = served[a]
        v = WHO[r]
        w = 0
        for x in R[v, : LEN[v]]:
            if x >> 1 != r:
                rest[w] = x
                w += 1
        gain[a] = -(S[8][v] - route_cost(rest, w, v, veh, node, cm))
    order = np.argsort(gain, kind="mergesort")
    for _ in range(q):
        gone[served[order[int(order.shape[0] * np.random.random() ** 3)]]] = True


@njit(cache=True, nogil=True)
def _pick_route(S, q, gone):
    R, LEN = S[0], S[1]
    used = np.nonzero(LEN)[0]
    order = used[np.argsort(LEN[used], kind="mergesort")]
    v = order[int(order.shape[0] * np.random.random() ** 2)]
    for x in R[v, : LEN[v]]:
        gone[x >> 1] = True
    _pick_random(S, q // 2, gone)


@njit(cache=True, nogil=True)
def key_of(S, D):
    """Return (promises kept, riders served, cost) of a state."""
    WHO, RC, prom = S[9], S[8], D[6]
    kept, served = 0, 0
    for r in range(WHO.shape[0]):
        if WHO[r] >= 0:
            served += 1
            if prom[r]:
                kept += 1
    return kept, served, RC.sum()


@njit(cache=True, nogil=True)
def neighbour(S, D, it, amp, share, qmax, bankable, W):
    """Ruin (one operator by ``it``) and recreate ``S`` in place."""
    n = S[9].shape[0]
    served = _served(S)
    if served.shape[0] < 2:
        return
    q = np.random.randint(2, max(2, min(int(served.shape[0] * share), qmax)) + 1)
    gone = np.zeros(n, np.bool_)
    op = it % 5
    if op == 0 or op == 3:
        _pick_related(S, D, q, gone)
    elif op == 1:
        _pick_random(S, q, gone)
    elif op == 2:
        _pick_worst(S, D, q, gone)
    else:
        _pick_route(S, q, gone)
    bank = np.empty(n, np.int64)
    c = 0
    for r in range(n):
        if S[9][r] < 0 and bankable[r]:
            bank[c] = r
            c += 1
    bank = bank[:c]
    np.random.shuffle(bank)
    for a in range(min(c, q)):
        gone[bank[a]] = True
    remove(S, D, gone, W)
    pending = np.nonzero(gone)[0]
    np.random.shuffle(pending)
    regret_insert(pending, S, D, amp if it % 2 == 1 else 0.0, W)


@njit(cache=True, nogil=True)
def record(cand, cur, pool):
    """Append the routes of ``cand`` that differ from ``cur`` to the ring ``pool``.

    ``pool`` = (nodes (cap, M) int32, vehicle, length, cost, count[1]).
    """
    nodes, pv, plen, pcost, count = pool
    R, LEN, RC = cand[0], cand[1], cand[8]
    for v in range(LEN.shape[0]):
        k = LEN[v]
        if k == 0:
            continue
        same = k == cur[1][v] and RC[v] == cur[8][v]
        q = 0
        while same and q < k:
            same = R[v, q] == cur[0][v, q]
            q += 1
        if same:
            continue
        slot = count[0] % nodes.shape[0]
        nodes[slot, :k] = R[v, :k]
        pv[slot], plen[slot], pcost[slot] = v, k, RC[v]
        count[0] += 1


@njit(cache=True, nogil=True)
def run(cur, best, cand, D, first_it, iters, temp, amp, share, qmax, bankable, W, pool,
        pool_slack, stop):
    """Run ``iters`` annealing iterations; return the number done.

    Accepted plans within ``pool_slack`` (a factor) of the best cost give their routes to ``pool``.
    Another thread ends the run early by setting ``stop[0]`` (checked every iteration).
    """
    ck = key_of(cur, D)
    bk = key_of(best, D)
    for it in range(first_it, first_it + iters):
        if ck[1] <= 1 or stop[0] != 0:
            return it - first_it
        copy_state(cur, cand)
        neighbour(cand, D, it, amp, share, qmax, bankable, W)
        k = key_of(cand, D)
        if k[0] < ck[0] or (k[0] == ck[0] and k[1] < ck[1]):
            continue
        better = k[0] > ck[0] or k[1] > ck[1] or k[2] < ck[2]
        if better or np.random.random() < np.exp((ck[2] - k[2]) / max(1e-9, temp)):
            if k[0] > bk[0] or k[1] > bk[1] or k[2] <= bk[2] * pool_slack:
                record(cand, cur, pool)
            copy_state(cand, cur)
            ck = k
            if k[0] > bk[0] or (k[0] == bk[0] and (k[1] > bk[1] or (
                    k[1] == bk[1] and k[2] < bk[2]))):
                copy_state(cand, best)
                bk = k
    return iters
