"""How plans are ranked: promises kept, then riders served, then cost.

The search itself (ruin-and-recreate LNS) runs compiled in
``kernel_lns.py``, driven by ``fast_search.py``.
"""

from __future__ import annotations

from carshare.domain.evaluate import route_cost
from carshare.domain.model import Model


def total_cost(m: Model, routes: list[list[int]]) -> int:
    """Return the objective cost of all routes."""
    return sum(route_cost(m, v, seq) for v, seq in enumerate(routes))


def plan_key(m: Model, routes: list[list[int]]) -> tuple[int, int, int]:
    """Return the ranking key: promises kept, then riders served, then cost (lower wins)."""
    served = {x >> 1 for seq in routes for x in seq}
    return -len(served & m.promised), -len(served), total_cost(m, routes)
