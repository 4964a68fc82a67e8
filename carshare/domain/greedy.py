"""First-come-first-served baseline: what a town office does by hand.

Each request, in the order it was phoned in, goes to the first driver (in
offer order) who can still take it, at the cheapest feasible position of
that driver's route; nothing already assigned moves.
"""

from __future__ import annotations

from carshare.domain.insertion import best_insertion, route_state
from carshare.domain.model import Model


def greedy_routes(m: Model) -> list[list[int]]:
    """Return node sequences per vehicle built first-come-first-served."""
    states = [route_state(m, v, []) for v in range(len(m.v_start))]
    for r in range(m.n):
        for v, st in enumerate(states):
            found = best_insertion(m, v, st, r) if st is not None else None
            if found is not None:
                states[v] = route_state(m, v, found[1])
                break
    return [st.seq if st is not None else [] for st in states]
