"""Run the compiled LNS (``kernel_lns.py``) on a compiled model.

The model is packed into flat arrays once; independent annealing chains
(one per core, different seeds) run in threads without the GIL and meet
at the best plan between epochs.  Every route they return is confirmed by
the shared evaluator before it replaces the caller's routes.
"""

from __future__ import annotations

import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from carshare.domain import kernel_lns as k
from carshare.domain.evaluate import feasible
from carshare.domain.kernel import workspace
from carshare.domain.model import Model
from carshare.domain.route_pool import RoutePool

REMOVE_SHARE = 0.4  # at most this share of served requests is removed per iteration
REMOVE_MAX = 60
POOL_SLACK = 1.01  # routes of accepted plans within 1 % of the best cost go to the pool
CHUNK = 16  # iterations between clock checks
SIDE_TEMP = 0.0003  # side chain: constant temperature, as a share of the cost (late-search level)
_GO = np.zeros(1, dtype=np.int64)  # a stop flag that is never set


@dataclass(frozen=True)
class Packed:
    """The model as the kernel's data tuple plus the requests worth offering."""

    data: tuple
    bankable: np.ndarray
    amp: float

    def workspace(self) -> tuple:
        """Return fresh scratch arrays for one thread."""
        n_nodes = self.data[0].shape[0]
        return workspace(n_nodes, max(n_nodes, 1))


def pack(m: Model, options: list[list[int]] | None) -> Packed:
    """Return the kernel arrays of a model; ``options`` limits vehicles per request."""
    node = np.array([m.node_place, m.e, m.l, m.s, m.seats, m.wc], dtype=np.int64).T.copy()
    veh = np.array([m.v_start, m.v_end, m.v_e, m.v_l, m.v_dur, m.v_seats, m.v_wc, m.v_drive],
                   dtype=np.int64).T.copy()
    tm, cm = np.array(m.time, dtype=np.int64), np.array(m.cost, dtype=np.int64)
    if np.array_equal(tm, cm):
        cm = tm  # one matrix in the cache instead of two
    nv = len(m.v_start)
    allow = np.zeros((m.n, nv), dtype=np.bool_)
    for r in range(m.n):
        for v in options[r] if options is not None else range(nv):
            allow[r, v] = m.allowed[r] is None or v in m.allowed[r]
    prom = np.zeros(m.n, dtype=np.bool_)
    prom[list(m.promised)] = True
    data = (node.reshape(-1, 6), veh.reshape(-1, 8), tm, cm,
            np.array(m.ride, dtype=np.int64).reshape(-1), allow, prom, _related(node, tm))
    return Packed(data, allow.any(axis=1), 0.025 * float(cm.max(initial=0)))


def _related(node: np.ndarray, tm: np.ndarray) -> np.ndarray:
    """Rank all requests by relatedness (places and times) to each request."""
    n = node.shape[0] // 2
    if n == 0:
        return np.zeros((0, 0), dtype=np.int64)
    pick, drop = node[0::2], node[1::2]
    dist = (tm[np.ix_(pick[:, 0], pick[:, 0])] + tm[np.ix_(drop[:, 0], drop[:, 0])]
            + np.abs(pick[:, 1][:, None] - pick[:, 1][None, :])
            + np.abs(drop[:, 2][:, None] - drop[:, 2][None, :]))
    return np.argsort(dist, axis=1, kind="stable").astype(np.int64)


def new_state(m: Model, routes: list[list[int]], packed: Packed) -> tuple:
    """Return a kernel state holding ``routes`` (which must be feasible)."""
    nv, size = len(m.v_start), max(2 * m.n, 1)
    R = np.zeros((nv, size), dtype=np.int64)
    LEN = np.zeros(nv, dtype=np.int64)
    grids = [np.zeros((nv, size + 2), dtype=np.int64) for _ in range(6)]
    WHO = np.full(m.n, -1, dtype=np.int64)
    state = (R, LEN, *grids, np.zeros(nv, dtype=np.int64), WHO)
    work = packed.workspace()
    for v, seq in enumerate(routes):
        R[v, : len(seq)] = seq
        LEN[v] = len(seq)
        WHO[[x >> 1 for x in seq if x & 1 == 0]] = v
        if not k.refresh_route(v, state, packed.data, work):
            raise ValueError(f"route {v} is not feasible")
    return state


def routes_of(state: tuple) -> list[list[int]]:
    """Return the node sequences held by a kernel state."""
    R, LEN = state[0], state[1]
    return [R[v, : LEN[v]].tolist() for v in range(LEN.shape[0])]


def _copy(state: tuple) -> tuple:
    return tuple(a.copy() for a in state)


def chains_for(threads: int) -> int:
    """Return the number of parallel chains: ``threads``, or one per core up to 2 when 0."""
    return threads if threads > 0 else max(1, min(2, os.cpu_count() or 1))


@dataclass
class _Chain:
    """One annealing chain: its current, best and scratch states."""

    cur: tuple
    best: tuple
    cand: tuple
    work: tuple
    ring: tuple
    classes: list[int]
    found: dict = field(default_factory=dict)
    drained: int = 0
    done: int = 0


def improve(
    m: Model, routes: list[list[int]], seconds: float, seed: int = 0,
    max_iterations: int | None = None, options: list[list[int]] | None = None,
    start_temp: float = 0.01, epochs: int = 8, pool_share: float = 0.25, threads: int = 0,
) -> list[list[int]]:
    """Return routes serving at least as many requests, at no higher cost if as many.

    Chains anneal for ``epochs`` epochs; after each, the pooled routes are
    recombined by set partitioning (``pool_share`` of the epoch's time).
    Once that MIP finds no solution in its time (large pools with long
    routes, whose LP relaxation is far from tight), recombination stops
    and the chains get the whole epoch.
    With ``max_iterations`` every chain runs exactly that many iterations
    (split over the epochs), so the result does not depend on the clock.
    """
    packed = pack(m, options)
    best = new_state(m, routes, packed)
    start_key = k.key_of(best, packed.data)
    if start_key[1] <= 1:
        return routes
    temp0 = start_temp * max(1, int(start_key[2])) / math.log(2)
    pool = RoutePool(m, packed.data)
    chains = [_Chain(_copy(best), _copy(best), _copy(best), packed.workspace(), pool.ring(),
                     pool.vehicle_class) for _ in range(chains_for(threads))]
    begin, deadline = time.monotonic(), time.monotonic() + seconds
    with ThreadPoolExecutor(len(chains)) as executor:
        for epoch in range(epochs):
            for c in chains:
                k.copy_state(best, c.cur), k.copy_state(best, c.best)
            if pool.timed_out:  # larger pools only get harder: the chains use the time better
                pool_share = 0.0
            until = begin + seconds * (epoch + 1 - pool_share) / epochs
            budget = None if max_iterations is None else max_iterations // epochs
            jobs = [executor.submit(_run_chain, c, packed, seed * 7919 + 101 * i + epoch, until,
                                (begin, deadline, max_iterations), budget, temp0)
                    for i, c in enumerate(chains)]
            for j in jobs:
                j.result()
            best = _copy(min((c.best for c in chains), key=lambda s: _rank(s, packed)))
            if pool_share > 0:
                best = _recombine(m, pool, chains, best, packed,
                                  pool_share * seconds / epochs, max_iterations is not None)
    improve.iterations = sum(c.done for c in chains)  # type: ignore[attr-defined]
    found = routes_of(best)
    ok = all(feasible(m, v, s) for v, s in enumerate(found) if s)
    return found if ok else routes


def _recombine(m: Model, pool: RoutePool, chains: list[_Chain], best: tuple, packed: Packed,
               seconds: float, deterministic: bool) -> tuple:
    """Return the best state after set partitioning over the pooled routes."""
    for c in chains:
        pool.add(c.found)
        c.found = {}
    routes = routes_of(best)
    found = pool.recombine(m, routes, best[8].tolist(), seconds, deterministic)
    if found is None:
        return best
    state = new_state(m, found, packed)
    return state if _rank(state, packed) < _rank(best, packed) else best


def _rank(state: tuple, packed: Packed) -> tuple:
    kept, served, cost = k.key_of(state, packed.data)
    return -kept, -served, cost


def _run_chain(c: _Chain, packed: Packed, seed: int, until: float, span: tuple,
               budget: int | None, temp0: float) -> None:
    """Anneal one chain until ``until`` (or ``budget`` iterations); cool over ``span``."""
    k.seed_rng(seed)
    begin, deadline, total = span
    left = budget
    while time.monotonic() < until and (left is None or left > 0):
        progress = c.done / total if total else (time.monotonic() - begin) / max(
            deadline - begin, 1e-9)
        temp = temp0 * max(0.01, 1 - progress)
        step = CHUNK if left is None else min(CHUNK, left)
        done = k.run(c.cur, c.best, c.cand, packed.data, c.done, step, temp, packed.amp,
                     REMOVE_SHARE, REMOVE_MAX, packed.bankable, c.work, c.ring,
                     POOL_SLACK, _GO)
        c.drained = RoutePool.drain(c.ring, c.drained, c.found, c.classes)
        c.done += done
        if left is not None:
            left -= step
        if done < step:
            break


class SideChain:
    """One annealing chain on its own core while the calling thread holds the GIL.

    OR-Tools keeps the GIL for its whole search, which stalls a chain that
    returns to Python between chunks.  This chain runs its iteration budget
    in one compiled call without the GIL and stops as soon as the ``with``
    block ends, so it uses the core the OR-Tools phase leaves idle::

        with SideChain(m, routes, iterations, seed) as side:
            ...  # OR-Tools search
        better = side.routes()
    """

    def __init__(self, m: Model, routes: list[list[int]], iterations: int, seed: int = 0,
                 options: list[list[int]] | None = None) -> None:
        self.m, self.routes_in = m, routes
        self.packed = pack(m, options)
        self.cur = new_state(m, routes, self.packed)
        self.best, self.cand = _copy(self.cur), _copy(self.cur)
        self.work, self.iterations, self.seed = self.packed.workspace(), max(0, iterations), seed
        size = self.cur[0].shape[1]
        self.ring = (np.zeros((1, size), np.int32), np.zeros(1, np.int64), np.zeros(1, np.int64),
                     np.zeros(1, np.int64), np.zeros(1, np.int64))
        self.stop = np.zeros(1, dtype=np.int64)
        self.temp = SIDE_TEMP * max(1, int(k.key_of(self.cur, self.packed.data)[2])) / math.log(2)
        self.done = 0
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name="side-chain", daemon=True)

    def _run(self) -> None:
        k.seed_rng(self.seed)
        self._started.set()
        self.done = k.run(self.cur, self.best, self.cand, self.packed.data, 0, self.iterations,
                          self.temp, self.packed.amp, REMOVE_SHARE, REMOVE_MAX,
                          self.packed.bankable, self.work, self.ring, 0.0, self.stop)

    def __enter__(self) -> SideChain:
        self._thread.start()
        self._started.wait()
        time.sleep(0.005)  # let the chain enter its GIL-free call before the caller takes the GIL
        return self

    def __exit__(self, *exc) -> None:
        self.stop[0] = 1
        self._thread.join()

    def routes(self) -> list[list[int]]:
        """Return the chain's best routes (confirmed by the shared evaluator), else the input."""
        found = routes_of(self.best)
        ok = all(feasible(self.m, v, s) for v, s in enumerate(found) if s)
        return found if ok else self.routes_in


def warm_up() -> float:
    """Compile the kernel (or load it from Numba's on-disk cache); return the seconds taken.

    The first search in a fresh installation otherwise pays the compilation
    (10-30 s once); later processes load the cached machine code in ~1 s.
    """
    from carshare.domain.construct import regret_insert
    from carshare.domain.model import compile_problem
    from carshare.domain.travel import EuclideanTravel
    from carshare.domain.types import Place, Problem, Request, Vehicle, Window

    started = time.monotonic()
    places = tuple(Place(k, f"p{k}", float(k), 0.0) for k in range(4))
    cars = tuple(Vehicle(f"v{k}", 0, 0, Window(0, 10_000), 3) for k in range(2))
    riders = tuple(Request(f"r{k}", k % 3 + 1, (k + 1) % 3 + 1, Window(0, 5_000), None)
                   for k in range(4))
    m = compile_problem(Problem(places, cars, riders), EuclideanTravel(60))
    routes, _ = regret_insert(m, [[], []], list(range(m.n)))
    # An iteration budget, not a clock: compiling the first kernel call
    # takes longer than any short time limit, which would skip the rest.
    improve(m, routes, 600.0, max_iterations=16, epochs=2)  # SideChain calls the same kernel
    return time.monotonic() - started
