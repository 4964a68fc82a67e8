"""OR-Tools models (the only module importing ortools): routing and set partitioning.

Built in named steps: manager -> routing -> transit matrices -> dimensions
-> pickup/delivery and ride-time constraints -> search parameters -> solve.
Node ``x < 2n`` is a request node of the compiled model; vehicle ``v``
starts at node ``2n + v`` and ends at node ``2n + V + v``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.linear_solver import pywraplp

from carshare.domain.model import BIG_DRIVE, Model


@dataclass(frozen=True)
class SearchOptions:
    """Search settings: wall-clock limit, deterministic mode, metaheuristic.

    In deterministic mode the search stops after ``solution_limit`` solutions
    (OR-Tools is single-threaded), so the result does not depend on machine
    speed as long as ``time_limit_s`` (a safety cap) is not reached.
    """

    time_limit_s: float = 10.0
    deterministic: bool = False
    solution_limit: int = 3000
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    log: bool = False


def _node_arrays(m: Model):
    nv = len(m.v_start)
    places = np.array(m.node_place + m.v_start + m.v_end, dtype=np.int64)
    service = np.array(m.s + [0] * (2 * nv), dtype=np.int64)
    return places, service


def _matrices(m: Model):
    places, service = _node_arrays(m)
    grid = np.ix_(places, places)
    time = np.array(m.time, dtype=np.int64)[grid] + service[:, None]
    cost = np.array(m.cost, dtype=np.int64)[grid]
    np.fill_diagonal(time, 0)
    np.fill_diagonal(cost, 0)
    return time.tolist(), cost.tolist()


class RoutingModel:
    """OR-Tools model of a compiled problem; ``mandatory`` drops disjunctions."""

    def __init__(self, m: Model, mandatory: bool = False) -> None:
        self.m, self.nv, self.n2 = m, len(m.v_start), 2 * m.n
        starts = [self.n2 + v for v in range(self.nv)]
        ends = [self.n2 + self.nv + v for v in range(self.nv)]
        self.manager = pywrapcp.RoutingIndexManager(self.n2 + 2 * self.nv, self.nv, starts, ends)
        self.routing = pywrapcp.RoutingModel(self.manager)
        time, cost = _matrices(m)
        cost_cb = self.routing.RegisterTransitMatrix(cost)
        self.routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)
        self._add_time(self.routing.RegisterTransitMatrix(time))
        self._add_drive(m)
        self._add_capacity("seats", m.seats, m.v_seats)
        if any(m.wc):
            self._add_capacity("wheelchair", m.wc, m.v_wc)
        self._add_requests(penalty=None if mandatory else 4 * (1 + max(map(max, cost))) * (
            self.n2 + 2))

    def _add_time(self, callback: int) -> None:
        m, horizon = self.m, max(max(self.m.l, default=0), max(self.m.v_l)) + 1
        self.routing.AddDimension(callback, horizon, horizon, False, "time")  # slack = waiting
        self.time = self.routing.GetDimensionOrDie("time")
        for x in range(self.n2):
            self.time.CumulVar(self.manager.NodeToIndex(x)).SetRange(m.e[x], m.l[x])
        for v in range(self.nv):
            self.time.CumulVar(self.routing.Start(v)).SetRange(m.v_e[v], m.v_l[v])
            self.time.CumulVar(self.routing.End(v)).SetRange(m.v_e[v], m.v_l[v])
            self.time.SetSpanUpperBoundForVehicle(m.v_dur[v], v)
            self.routing.AddVariableMinimizedByFinalizer(self.time.CumulVar(self.routing.End(v)))
            self.routing.AddVariableMaximizedByFinalizer(self.time.CumulVar(self.routing.Start(v)))

    def _add_drive(self, m: Model) -> None:
        """Cap each vehicle's driving at its own direct trip plus the accepted extra."""
        if all(cap >= BIG_DRIVE for cap in m.v_drive):
            return
        places, _ = _node_arrays(m)
        drive = np.array(m.time, dtype=np.int64)[np.ix_(places, places)]
        np.fill_diagonal(drive, 0)
        caps = [min(cap, 1 << 40) for cap in m.v_drive]
        callback = self.routing.RegisterTransitMatrix(drive.tolist())
        self.routing.AddDimensionWithVehicleCapacity(callback, 0, caps, True, "drive")

    def _add_capacity(self, name: str, delta: list[int], caps: list[int]) -> None:
        vector = list(delta) + [0] * (2 * self.nv)
        callback = self.routing.RegisterUnaryTransitVector(vector)
        self.routing.AddDimensionWithVehicleCapacity(callback, 0, caps, True, name)  # no slack

    def _add_requests(self, penalty: int | None) -> None:
        solver, m = self.routing.solver(), self.m
        must = m.promised  # promised riders and the drivers' own stops
        for r in range(m.n):
            p, d = self.manager.NodeToIndex(2 * r), self.manager.NodeToIndex(2 * r + 1)
            self.routing.AddPickupAndDelivery(p, d)
            solver.Add(self.routing.VehicleVar(p) == self.routing.VehicleVar(d))
            bp, bd = self.time.CumulVar(p), self.time.CumulVar(d)
            solver.Add(bp <= bd)
            solver.Add(bd - bp <= m.ride[r] + m.s[2 * r])  # ride = B_d - (B_p + s_p)
            if m.allowed[r] is not None:
                self.routing.VehicleVar(p).SetValues([-1, *sorted(m.allowed[r])])
            if penalty is not None and r not in must:
                self.routing.AddDisjunction([p], penalty)
                self.routing.AddDisjunction([d], 0)
                solver.Add(self.routing.ActiveVar(p) == self.routing.ActiveVar(d))

    def solve(self, initial: list[list[int]] | None, opts: SearchOptions,
              deadline: float | None = None):
        """Run the search; return node sequences per vehicle, or None.

        :param deadline: ``time.monotonic()`` instant by which to stop (caps the limit).
        """
        self.routing.CloseModelWithParameters(self._params(opts))  # not part of the search time
        start = None
        if initial is not None:
            start = self.routing.ReadAssignmentFromRoutes(initial, True)
            if start is None:
                return None
        if deadline is not None:  # what closing the model took comes off the search
            left = max(0.05, deadline - time.monotonic())
            opts = replace(opts, time_limit_s=min(opts.time_limit_s, left))
        params = self._params(opts)
        if start is not None:
            found = self.routing.SolveFromAssignmentWithParameters(start, params)
        else:
            found = self.routing.SolveWithParameters(params)
        return None if found is None else self._routes(found)

    def _params(self, opts: SearchOptions):
        params = pywrapcp.DefaultRoutingSearchParameters()
        fss = routing_enums_pb2.FirstSolutionStrategy
        params.first_solution_strategy = fss.PARALLEL_CHEAPEST_INSERTION
        params.local_search_metaheuristic = getattr(
            routing_enums_pb2.LocalSearchMetaheuristic, opts.metaheuristic)
        params.time_limit.FromMilliseconds(max(1, int(opts.time_limit_s * 1000)))
        if opts.deterministic:
            params.solution_limit = opts.solution_limit
        params.log_search = opts.log
        return params

    def _routes(self, assignment) -> list[list[int]]:
        out = []
        for v in range(self.nv):
            index, seq = self.routing.Start(v), []
            index = assignment.Value(self.routing.NextVar(index))
            while not self.routing.IsEnd(index):
                seq.append(self.manager.IndexToNode(index))
                index = assignment.Value(self.routing.NextVar(index))
            out.append(seq)
        return out


def solve_routes(
    m: Model, initial: list[list[int]] | None, opts: SearchOptions, mandatory: bool = False,
    deadline: float | None = None,
) -> list[list[int]] | None:
    """Improve (or build, without ``initial``) node sequences with OR-Tools."""
    return RoutingModel(m, mandatory).solve(initial, opts, deadline)


def accepts(m: Model, routes: list[list[int]]) -> bool:
    """Return whether OR-Tools' own constraints accept these routes.

    Used to cross-check the shared evaluator against the solver's model.
    """
    model = RoutingModel(m)
    return model.routing.ReadAssignmentFromRoutes(routes, True) is not None


@dataclass(frozen=True)
class Columns:
    """Routes offered to the set-partitioning model (one column each).

    ``members[c]`` are the requests column ``c`` serves, ``groups[c]`` its
    vehicle class, at most ``group_sizes[g]`` columns per class.
    """

    costs: list[int]
    members: list[list[int]]
    groups: list[int]
    group_sizes: list[int]


def set_partition(
    cols: Columns, n: int, must: set[int], min_served: int, hint: set[int],
    time_limit_s: float, deterministic: bool = False,
) -> list[int] | None:
    """Choose columns serving each request at most once at least cost (MIP, CBC).

    Requests in ``must`` are served exactly once and at least ``min_served``
    requests overall; more riders always win over less cost (a first solve
    maximises riders when not everyone must ride).  The LP relaxation of set
    partitioning is tight, so CBC proves optimality on thousands of columns
    in well under a second, where CP-SAT needed seconds.  CBC runs
    single-threaded and deterministically; ``time_limit_s`` is a safety cap,
    and ``hint`` is kept for the interface (the caller keeps its plan when
    nothing better is found).  Returns the chosen column indices, or None
    when no solution was found in time.
    """
    del hint, deterministic  # CBC is deterministic; the caller's plan is the fallback
    until = time.monotonic() + time_limit_s
    riders = [float(len(rs)) for rs in cols.members]
    best = min_served
    if len(must) < n:
        found = _partition_mip(cols, n, must, best, riders, until)
        if found is None:
            return None
        best = max(best, round(sum(riders[c] for c in found)))
    return _partition_mip(cols, n, must, best, [float(c) for c in cols.costs], until,
                          minimise=True)


def _partition_mip(cols: Columns, n: int, must: set[int], min_served: int,
                   weights: list[float], until: float, minimise: bool = False
                   ) -> list[int] | None:
    """Solve one set-partitioning MIP; maximise ``weights`` unless ``minimise``."""
    solver = pywraplp.Solver.CreateSolver("CBC")
    inf = solver.infinity()
    x = [solver.BoolVar(f"c{c}") for c in range(len(cols.costs))]
    rows = [solver.RowConstraint(1 if r in must else 0, 1, "") for r in range(n)]
    groups = [solver.RowConstraint(0, size, "") for size in cols.group_sizes]
    served = solver.RowConstraint(min_served, inf, "")
    objective = solver.Objective()
    for c, rs in enumerate(cols.members):
        for r in rs:
            rows[r].SetCoefficient(x[c], 1)
        groups[cols.groups[c]].SetCoefficient(x[c], 1)
        served.SetCoefficient(x[c], len(rs))
        objective.SetCoefficient(x[c], weights[c])
    objective.SetMinimization() if minimise else objective.SetMaximization()
    solver.SetTimeLimit(max(1, int(1000 * (until - time.monotonic()))))
    params = pywraplp.MPSolverParameters()
    params.SetDoubleParam(params.RELATIVE_MIP_GAP, 0.0)
    status = solver.Solve(params)
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    return [c for c in range(len(x)) if x[c].solution_value() > 0.5]
