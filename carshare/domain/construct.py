"""Regret insertion: build a complete first solution with the shared evaluator.

Each step inserts the request whose best insertion would cost the most if
postponed (regret-2), so tightly constrained riders are placed first.
"""

from __future__ import annotations

import time

from carshare.domain.evaluate import feasible
from carshare.domain.insertion import InsertionCache, RouteState, best_insertion, route_state
from carshare.domain.model import Model

NONE = 10**15


def alone_feasible(m: Model) -> list[list[int]]:
    """Return, per request, the vehicles that could serve it with nobody else on board.

    A vehicle with an own stop is tried with that stop in its route; when the
    stop itself cannot be reached in time, the vehicle takes nobody.
    """
    bases = [route_state(m, v, m.base_route(v)) for v in range(len(m.v_start))]
    return [alone_feasible_for(m, r, bases) for r in range(m.n)]


def alone_feasible_for(m: Model, r: int, bases: list | None = None) -> list[int]:
    """Return the vehicles that could serve request ``r`` with nobody else on board."""
    nv = len(m.v_start)
    if m.is_own(r):
        v = m.vehicle_of_own(r)
        return [v] if feasible(m, v, m.base_route(v)) else []
    if bases is None:
        bases = [route_state(m, v, m.base_route(v)) for v in range(nv)]
    return [v for v in range(nv) if _alone(m, v, r, bases[v])]


def _alone(m: Model, v: int, r: int, base: RouteState | None) -> bool:
    if m.own_of[v] < 0:
        return feasible(m, v, [2 * r, 2 * r + 1])
    return base is not None and best_insertion(m, v, base, r) is not None


def ensure_own(m: Model, routes: list[list[int]]) -> tuple[list[list[int]], list[int]]:
    """Put every vehicle's own stop into its route; return (routes, riders taken out).

    The stop goes where it fits best among the riders; when it fits nowhere
    (an older plan), the route restarts from the stop alone and its riders
    are returned to be placed again.
    """
    out, dropped = [list(seq) for seq in routes], []
    for v, o in enumerate(m.own_of):
        if o < 0 or 2 * o in out[v]:
            continue
        st = route_state(m, v, [x for x in out[v] if not m.is_own(x >> 1)])
        found = best_insertion(m, v, st, o) if st is not None else None
        if found is not None and feasible(m, v, found[1]):
            out[v] = found[1]
            continue
        dropped += sorted({x >> 1 for x in out[v]})
        out[v] = m.base_route(v) if feasible(m, v, m.base_route(v)) else []
    return out, dropped


def regret_insert(
    m: Model,
    routes: list[list[int]],
    pending: list[int],
    deadline: float | None = None,
    options: list[list[int]] | None = None,
    noise=None,
    cache: InsertionCache | None = None,
) -> tuple[list[list[int]], list[int]]:
    """Insert pending requests into routes; return (routes, requests left out).

    :param options: per request the candidate vehicles (default: all that fit alone).
    :param noise: optional callable returning a random cost perturbation.
    :param cache: memo shared across calls on the same model.
    """
    options = options or alone_feasible(m)
    cache = cache or InsertionCache(m)
    states = [cache.state(v, seq) for v, seq in enumerate(routes)]
    best = {r: {v: _best(cache, v, states[v], r, noise) for v in options[r]} for r in pending}
    left = set(pending)
    while left and (deadline is None or time.monotonic() < deadline):
        r = _pick(best, left)
        if r is None:
            break
        v = min(best[r], key=lambda k: best[r][k][0] if best[r][k] else NONE)
        states[v] = cache.state(v, best[r][v][1])
        left.discard(r)
        for other in left:
            if v in best[other]:
                best[other][v] = _best(cache, v, states[v], other, noise)
    out = [st.seq if st is not None else seq for st, seq in zip(states, routes, strict=True)]
    return out, sorted(left)


def _best(cache: InsertionCache, v: int, st: RouteState | None, r: int, noise):
    found = None if st is None else cache.best(v, st, r)
    if found is None or noise is None:
        return found
    return found[0] + noise(), found[1]


def _pick(best: dict, left: set[int]) -> int | None:
    chosen, key = None, None
    for r in left:
        costs = sorted(b[0] for b in best[r].values() if b is not None)
        if not costs:
            continue
        regret = (costs[1] if len(costs) > 1 else NONE) - costs[0]
        k = (-regret, costs[0], r)
        if key is None or k < key:
            chosen, key = r, k
    return chosen
