"""Ruin-and-recreate improvement around the shared evaluator (LNS).

Each iteration removes a few related, random or expensive requests and
re-inserts them with noisy regret insertion; simulated annealing decides
whether to keep the result.  Removal never breaks feasibility (waiting is
allowed anywhere and travel times obey the triangle inequality), and every
kept route is confirmed by the evaluator through the insertion step.
"""

from __future__ import annotations

import math
import random
import time

from carshare.domain.construct import regret_insert
from carshare.domain.evaluate import route_cost
from carshare.domain.insertion import InsertionCache
from carshare.domain.model import Model


def total_cost(m: Model, routes: list[list[int]]) -> int:
    """Return the objective cost of all routes."""
    return sum(route_cost(m, v, seq) for v, seq in enumerate(routes))


def _served(routes: list[list[int]]) -> list[tuple[int, int]]:
    return [(x >> 1, v) for v, seq in enumerate(routes) for x in seq if x & 1 == 0]


def _related(m: Model, routes, rng: random.Random, q: int) -> list[int]:
    served = _served(routes)
    seed, _ = rng.choice(served)
    tm, pl = m.time, m.node_place

    def distance(r: int) -> int:
        a, b = 2 * seed, 2 * r
        return (tm[pl[a]][pl[b]] + tm[pl[a + 1]][pl[b + 1]]
                + abs(m.e[a] - m.e[b]) + abs(m.l[a + 1] - m.l[b + 1]))

    ranked = sorted((r for r, _ in served), key=distance)
    return [ranked[int(len(ranked) * rng.random() ** 4)] for _ in range(q)]


def _worst(m: Model, routes, rng: random.Random, q: int) -> list[int]:
    gains = []
    for v, seq in enumerate(routes):
        base = route_cost(m, v, seq)
        for x in seq:
            if x & 1 == 0:
                rest = [y for y in seq if y >> 1 != x >> 1]
                gains.append((base - route_cost(m, v, rest), x >> 1))
    gains.sort(reverse=True)
    return [gains[int(len(gains) * rng.random() ** 3)][1] for _ in range(q)]


def _route(m: Model, routes, rng: random.Random, q: int) -> list[int]:
    used = sorted((len(seq), v) for v, seq in enumerate(routes) if seq)
    _, v = used[int(len(used) * rng.random() ** 2)]  # favour short routes
    return [x >> 1 for x in routes[v] if x & 1 == 0] + _random(m, routes, rng, q // 2)


def _random(m: Model, routes, rng: random.Random, q: int) -> list[int]:
    return rng.sample([r for r, _ in _served(routes)], q)


REMOVE_SHARE = 0.15  # at most this share of served requests is removed per iteration
OPERATORS = (_related, _random, _worst, _related, _route)


def plan_key(m: Model, routes: list[list[int]]) -> tuple[int, int, int]:
    """Return the ranking key: promises kept, then riders served, then cost (lower wins)."""
    served = {x >> 1 for seq in routes for x in seq}
    return -len(served & m.promised), -len(served), total_cost(m, routes)


def improve(
    m: Model, routes: list[list[int]], seconds: float, seed: int = 0,
    max_iterations: int | None = None, options: list[list[int]] | None = None,
    start_temp: float = 0.01,
) -> list[list[int]]:
    """Return routes serving at least as many requests, at no higher cost if as many.

    Each iteration also offers up to ``q`` unserved requests for insertion.
    With ``max_iterations`` the cooling follows iterations (deterministic).
    """
    rng, deadline = random.Random(seed), time.monotonic() + seconds
    cur = best = [list(s) for s in routes]
    cur_key = best_key = plan_key(m, cur)
    temp0 = start_temp * max(1, cur_key[2]) / math.log(2)
    it, amp = 0, 0.025 * max(map(max, m.cost))

    cache = InsertionCache(m)

    def noise() -> float:
        return amp * (2 * rng.random() - 1)

    while time.monotonic() < deadline and -cur_key[1] > 1 and (
        max_iterations is None or it < max_iterations
    ):
        it += 1
        progress = it / max_iterations if max_iterations else 1 - (deadline - time.monotonic()
                                                                    ) / max(seconds, 1e-9)
        cand = _neighbour(m, cur, rng, it, options, noise if it % 2 else None, cache)
        key = plan_key(m, cand)
        if key[:2] > cur_key[:2]:
            continue  # never keep fewer promises or serve fewer riders
        temp = temp0 * max(0.01, 1 - progress)
        if key < cur_key or rng.random() < math.exp((cur_key[2] - key[2]) / max(1e-9, temp)):
            cur, cur_key = cand, key
            if key < best_key:
                best, best_key = cand, key
    improve.iterations = it  # type: ignore[attr-defined]
    return best


def _neighbour(m: Model, cur, rng: random.Random, it: int, options, noise,
               cache: InsertionCache) -> list[list[int]]:
    served = _served(cur)
    q = rng.randint(2, max(2, min(int(len(served) * REMOVE_SHARE), 25)))
    gone = set(OPERATORS[it % len(OPERATORS)](m, cur, rng, q))
    inside = {r for r, _ in served}
    bank = [r for r in range(m.n) if r not in inside and (options is None or options[r])]
    gone |= set(rng.sample(bank, min(len(bank), q)))
    cand = [[x for x in seq if x >> 1 not in gone] for seq in cur]
    return regret_insert(m, cand, sorted(gone), None, options, noise, cache)[0]
