"""Pool of good routes met by the search, recombined by set partitioning.

The annealing chains write every route of an accepted plan into a ring
buffer (``kernel_lns.record``); the pool keeps each distinct route once per
vehicle class (vehicles identical in every rule are interchangeable).
Between epochs a MIP (CBC) picks the cheapest set of pooled routes that serves
every rider of the best plan exactly once — routes from different plans
combine into a better one than any chain found alone.
"""

from __future__ import annotations

import numpy as np

from carshare.domain.evaluate import feasible
from carshare.domain.model import Model
from carshare.domain.routing import Columns, set_partition

RING_CELLS = 4_000_000  # int32 cells per chain's ring buffer
MAX_COLUMNS = 5_000  # cheapest routes per served rider kept for the model


class RoutePool:
    """Distinct routes per vehicle class, with their costs."""

    def __init__(self, m: Model, data: tuple) -> None:
        veh, allow = data[1], data[5]
        signature: dict[tuple, int] = {}
        self.vehicle_class = [
            signature.setdefault((tuple(veh[v]), allow[:, v].tobytes()), len(signature))
            for v in range(veh.shape[0])
        ]
        self.members: list[list[int]] = [[] for _ in signature]
        for v, g in enumerate(self.vehicle_class):
            self.members[g].append(v)
        self.size = max(2 * m.n, 1)
        self.cols: dict[tuple, int] = {}
        self.timed_out = False  # the last MIP found no solution in its time

    def ring(self) -> tuple:
        """Return empty ring-buffer arrays for one chain (see ``kernel_lns.record``)."""
        rows = min(65_536, max(64, RING_CELLS // self.size))
        return (np.zeros((rows, self.size), np.int32), np.zeros(rows, np.int64),
                np.zeros(rows, np.int64), np.zeros(rows, np.int64), np.zeros(1, np.int64))

    @staticmethod
    def drain(ring: tuple, start: int, into: dict[tuple, int], classes: list[int]) -> int:
        """Move ring entries from ``start`` into ``into``; return the new start."""
        nodes, pv, plen, pcost, count = ring
        end = int(count[0])
        for i in range(max(start, end - nodes.shape[0]), end):
            slot = i % nodes.shape[0]
            key = (classes[pv[slot]], tuple(nodes[slot, : plen[slot]].tolist()))
            into.setdefault(key, int(pcost[slot]))
        return end

    def add(self, found: dict[tuple, int]) -> None:
        """Merge routes found by one chain."""
        for key, cost in found.items():
            self.cols.setdefault(key, cost)

    def add_routes(self, routes: list[list[int]], costs: list[int]) -> None:
        """Add a plan's routes (vehicle index = position)."""
        for v, seq in enumerate(routes):
            if seq:
                self.cols.setdefault((self.vehicle_class[v], tuple(seq)), costs[v])

    def recombine(self, m: Model, routes: list[list[int]], costs: list[int],
                  seconds: float, deterministic: bool) -> list[list[int]] | None:
        """Return a plan of pooled routes at least as good as ``routes``, or None."""
        self._prune()
        self.add_routes(routes, costs)
        keys = list(self.cols)
        served = {x >> 1 for seq in routes for x in seq}
        must = served if len(served) == m.n else served & m.promised
        hint = {i for i, key in enumerate(keys)
                if key in {(self.vehicle_class[v], tuple(s)) for v, s in enumerate(routes) if s}}
        cols = Columns([self.cols[key] for key in keys],
                       [sorted({x >> 1 for x in key[1]}) for key in keys],
                       [key[0] for key in keys], [len(vs) for vs in self.members])
        chosen = set_partition(cols, m.n, must, len(served), hint, seconds, deterministic)
        self.timed_out = chosen is None  # the pool always holds a solution: ``routes``
        return None if chosen is None else self._plan(m, [keys[c] for c in chosen])

    def _prune(self) -> None:
        if len(self.cols) > MAX_COLUMNS:
            per_rider = sorted(self.cols, key=lambda key: self.cols[key] * 2 / len(key[1]))
            self.cols = {key: self.cols[key] for key in per_rider[:MAX_COLUMNS]}

    def _plan(self, m: Model, chosen: list[tuple]) -> list[list[int]] | None:
        out: list[list[int]] = [[] for _ in self.vehicle_class]
        free = [list(vs) for vs in self.members]
        for g, seq in chosen:
            v = free[g].pop(0)
            out[v] = list(seq)
        return out if all(feasible(m, v, s) for v, s in enumerate(out) if s) else None
