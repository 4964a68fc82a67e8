"""Write a generated road network the size of a prefecture's as .osm.pbf (pyosmium).

Usage: python bench/road_grid.py --nodes 1000000 --seed 1 --out /work/notes/bench/pref.osm.pbf

The region (44.60–45.55 N, 141.55–142.75 E, about 105 km x 94 km) holds the settlements of
``bench/scenarios.py`` (so every scenario place lies on a town grid) and seeded villages.  It has
a road hierarchy: a trunk and primary corridors across the region, secondary roads between the
named towns, tertiary links to every village, tertiary/residential grids inside the towns (some
one-way streets), and an unclassified farm-road grid between them.  A river crosses the region
from west to east; only the corridors and one secondary road bridge it.

Every road runs on a lattice of about 50 m (so crossings are shared nodes, i.e. junctions) and
roads on the same lattice line never overlap (the higher class keeps the shared stretch).  The
same arguments always write the same file.  ``--nodes`` sets the number of road nodes: villages
are added until it is reached; below about 60,000 only the named towns (with coarser blocks), the
corridors and a sparse farm grid are written (a quick, small network).
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

LAT0, LON0, LAT1, LON1 = 44.60, 141.55, 45.55, 142.75
U_LAT, U_LON = 0.00045, 0.000636  # one lattice unit: about 50 m either way at 45 N
ROWS = round((LAT1 - LAT0) / U_LAT)
COLS = round((LON1 - LON0) / U_LON)
#: (lat, lon, half-size km, block units) of the towns the scenarios use; Wakkanai is the city.
NAMED = {
    "Wakkanai": (45.415, 141.676, 4.0, 2), "Teshio": (44.884, 141.747, 2.6, 2),
    "Horonobe": (45.019, 141.846, 2.6, 3), "Toyotomi": (45.103, 141.779, 2.6, 3),
    "Ubushi": (44.860, 141.800, 2.6, 4), "Onobunai": (44.974, 141.839, 2.6, 4),
    "Yuchi": (45.300, 141.715, 2.6, 4), "Bakkai": (45.303, 141.636, 2.6, 4),
    "Koetoi": (45.401, 141.761, 2.6, 4),
}
TRUNK = [(44.60, 141.90), (44.884, 141.747), (45.019, 141.846), (45.103, 141.779),
         (45.300, 141.715), (45.415, 141.676), (45.55, 141.70)]
COAST = [(44.60, 141.65), (44.884, 141.747), (45.10, 141.66), (45.303, 141.636),
         (45.415, 141.676)]
EAST_WEST = [[(45.019, 141.846), (45.06, 142.75)], [(44.70, 141.56), (44.75, 142.75)],
             [(45.401, 141.761), (45.42, 142.75)]]
SPEED = {"trunk": "60", "primary": "60", "secondary": "50"}

Point = tuple[int, int]  # (row, col) on the lattice


@dataclass
class Segment:
    """A straight road stretch on one lattice line: horizontal (row fixed) or vertical."""

    horizontal: bool
    line: int
    lo: int
    hi: int
    tags: dict[str, str]
    step: int = 2  # node spacing along the road, lattice units
    bridge: bool = False  # may cross the river (a bridge is written there)
    reverse: bool = False  # one-way against the lattice direction


@dataclass
class Network:
    """Road segments added in priority order, with what each lattice line already holds."""

    rng: random.Random
    segments: list[Segment] = field(default_factory=list)
    covered: dict[tuple[bool, int], list[tuple[int, int]]] = field(default_factory=dict)

    def add(self, seg: Segment) -> None:
        """Add ``seg`` minus the stretches of its line that a higher class already holds."""
        lo, hi = min(seg.lo, seg.hi), max(seg.lo, seg.hi)
        taken = self.covered.setdefault((seg.horizontal, seg.line), [])
        start = lo
        for a, b in sorted(taken):
            if b < start or a > hi:
                continue
            if a > start:
                self._keep(seg, start, a)
            start = max(start, b)
        if start < hi:
            self._keep(seg, start, hi)
        taken.append((lo, hi))

    def _keep(self, seg: Segment, lo: int, hi: int) -> None:
        self.segments.append(Segment(seg.horizontal, seg.line, lo, hi, seg.tags, seg.step,
                                     seg.bridge, seg.reverse))

    def path(self, points: list[Point], tags: dict[str, str], step: int = 2,
             bridge: bool = False) -> None:
        """Add a staircase road through ``points`` (steps of 1–4 km, seeded)."""
        for (r0, c0), (r1, c1) in zip(points, points[1:], strict=False):
            r, c = r0, c0
            while (r, c) != (r1, c1):
                run = self.rng.randint(20, 80)
                if c != c1 and (r == r1 or self.rng.random() < 0.5):
                    nc = c + max(-run, min(run, c1 - c))
                    self.add(Segment(True, r, c, nc, tags, step, bridge))
                    c = nc
                else:
                    nr = r + max(-run, min(run, r1 - r))
                    self.add(Segment(False, c, r, nr, tags, step, bridge))
                    r = nr


def cell(lat: float, lon: float) -> Point:
    """Return the lattice point nearest to (lat, lon)."""
    return (min(ROWS, max(0, round((lat - LAT0) / U_LAT))),
            min(COLS, max(0, round((lon - LON0) / U_LON))))


def river_row(col: int) -> int:
    """Return the lattice row of the river at ``col`` (it runs between this row and the next)."""
    lon = LON0 + col * U_LON
    lat = 44.905 + 0.145 * (lon - LON0) / (LON1 - LON0) + 0.006 * math.sin(lon / 0.0127)
    return round((lat - LAT0) / U_LAT)


def north(point: Point) -> bool:
    """Return whether a lattice point lies north of the river."""
    return point[0] > river_row(point[1])


def town(net: Network, lat: float, lon: float, half_km: float, block: int) -> int:
    """Add a town grid centred on (lat, lon); return its estimated number of nodes."""
    r0, c0 = cell(lat, lon)
    half = round(half_km * 20) // block * block
    step = 1 if block <= 3 else 2
    lines = range(-half, half + 1, block)
    for k, off in enumerate(lines):
        main = (k - len(lines) // 2) % 5 == 0
        kind = "tertiary" if main else "residential"
        for horizontal in (True, False):
            tags = {"highway": kind}
            reverse = False
            if horizontal and not main and block == 2 and k % 6 in (1, 4):
                tags = {**tags, "oneway": "yes"}
                reverse = k % 6 == 4
            base, centre = (r0, c0) if horizontal else (c0, r0)
            net.add(Segment(horizontal, base + off, centre - half, centre + half, tags, step,
                            reverse=reverse))
    n_lines, per_line = len(lines), 2 * half // step + 1
    return 2 * n_lines * per_line - n_lines * n_lines


def skeleton(net: Network, small: bool) -> int:
    """Add corridors, secondary roads and the named towns; return their estimated nodes."""
    net.path([cell(*p) for p in TRUNK], {"highway": "trunk", "ref": "40"}, bridge=True)
    net.path([cell(*p) for p in COAST], {"highway": "primary", "ref": "232"}, bridge=True)
    for line in EAST_WEST:
        net.path([cell(*p) for p in line], {"highway": "primary"})
    names = list(NAMED)
    for a, b in zip(names, names[1:], strict=False):
        net.path([cell(*NAMED[a][:2]), cell(*NAMED[b][:2])], {"highway": "secondary"},
                 bridge=(a, b) == ("Ubushi", "Onobunai"))
    estimate = 0
    for lat, lon, half_km, block in NAMED.values():
        estimate += town(net, lat, lon, half_km, 4 if small else block)
    return estimate


def villages(net: Network, budget: int, towns: list[tuple[int, int, int]]) -> int:
    """Add seeded villages (grid + tertiary link) until ``budget`` nodes; return how many.

    :param towns: (row, col, half-size) of the towns so far; villages never overlap them.
    """
    count, tries = 0, 0
    while budget > 0 and tries < 20_000:
        tries += 1
        r, c = net.rng.randint(60, ROWS - 60), net.rng.randint(60, COLS - 60)
        half_km, block = net.rng.uniform(0.8, 2.4), net.rng.choice((2, 2, 2, 3, 4))
        half = round(half_km * 20)
        if abs(r - river_row(c)) < 30 + half:
            continue
        if any(max(abs(r - a), abs(c - b)) < half + h + 6 for a, b, h in towns):
            continue
        near = min(towns, key=lambda t: abs(t[0] - r) + abs(t[1] - c))
        net.path([(r, c), near[:2]], {"highway": "tertiary"})
        lat, lon = LAT0 + r * U_LAT, LON0 + c * U_LON
        budget -= town(net, lat, lon, half_km, block)
        towns.append((r, c, half))
        count += 1
    return count


def farm_grid(net: Network, spacing: int, step: int) -> None:
    """Add the unclassified farm roads every ``spacing`` units (clipped at the edges)."""
    tags = {"highway": "unclassified"}
    for r in range(spacing // 2, ROWS, spacing):
        net.add(Segment(True, r, 0, COLS, tags, step))
    for c in range(spacing // 2, COLS, spacing):
        net.add(Segment(False, c, 0, ROWS, tags, step))


def generate(nodes: int, seed: int, villages_budget: int | None = None) -> tuple[Network, int]:
    """Return the network of about ``nodes`` road nodes and its village count.

    :param villages_budget: estimated nodes to give the villages (default: what is left of
        ``nodes`` after the skeleton and the farm grid).
    """
    net = Network(random.Random(f"road-grid-{seed}"))
    small = nodes < 100_000
    used = skeleton(net, small)
    towns = [(*cell(lat, lon), round(half_km * 20)) for lat, lon, half_km, _ in NAMED.values()]
    spacing, step = (40, 2) if nodes >= 500_000 else (60, 2) if nodes >= 200_000 else (200, 4)
    used += farm_grid_estimate(spacing, step)
    budget = nodes - used if villages_budget is None else villages_budget
    made = villages(net, budget, towns)
    farm_grid(net, spacing, step)  # last: every other class keeps the stretches it shares
    return net, made


def calibrated(nodes: int, seed: int) -> tuple[Network, int, list]:
    """Return a network whose real node count is within 3 % of ``nodes``.

    Villages overlap the farm grid and their links, so their estimate runs high: a few
    secant steps on the village budget fix it (deterministic, like every pass).
    """
    def real(budget: int | None) -> tuple[Network, int, list, int, int]:
        net, made = generate(nodes, seed, budget)
        lists = node_lists(net)
        count = len({p for points, _ in lists for p in points})
        return net, made, lists, count, budget if budget is not None else -1

    net, made, lists, count, _ = real(None)
    if made == 0 or abs(count - nodes) <= 0.03 * nodes:
        return net, made, lists
    low_b, low_n = 0, real(0)[3]
    high_b = nodes - low_n
    net, made, lists, count, high_b = real(high_b)
    for _ in range(4):
        if abs(count - nodes) <= 0.03 * nodes or count == low_n:
            break
        budget = round(low_b + (high_b - low_b) * (nodes - low_n) / (count - low_n))
        low_b, low_n = high_b, count
        net, made, lists, count, high_b = real(budget)
    return net, made, lists


def farm_grid_estimate(spacing: int, step: int) -> int:
    """Return the estimated nodes of the farm grid (before it is added)."""
    return (ROWS // spacing) * (COLS // step) + (COLS // spacing) * (ROWS // step)


def node_lists(net: Network) -> list[tuple[list[Point], Segment]]:
    """Return every segment's lattice points: its spacing, its ends and every crossing."""
    across: dict[tuple[bool, int], list[tuple[int, int]]] = {}
    for seg in net.segments:
        across.setdefault((seg.horizontal, seg.line), []).append((seg.lo, seg.hi))
    lines = {h: sorted(line for (hh, line) in across if hh == h) for h in (True, False)}
    out = []
    for seg in net.segments:
        at = set(range(seg.lo, seg.hi + 1, seg.step)) | {seg.hi}
        other = lines[not seg.horizontal]
        for line in other[bisect.bisect_left(other, seg.lo):bisect.bisect_right(other, seg.hi)]:
            if any(a <= seg.line <= b for a, b in across[(not seg.horizontal, line)]):
                at.add(line)
        ordered = sorted(at, reverse=seg.reverse)
        points = [(seg.line, x) if seg.horizontal else (x, seg.line) for x in ordered]
        out.append((points, seg))
    return out


def node_id(point: Point) -> int:
    """Return the OSM id of a lattice point."""
    return point[0] * (COLS + 1) + point[1] + 1


def pieces(points: list[Point], seg: Segment) -> list[tuple[list[Point], dict[str, str]]]:
    """Split a road where it crosses the river: a bridge there when allowed, else a gap."""
    out: list[tuple[list[Point], dict[str, str]]] = []
    run = [points[0]]
    for a, b in zip(points, points[1:], strict=False):
        if north(a) != north(b):
            out.append((run, seg.tags))
            if seg.bridge:
                out.append(([a, b], {**seg.tags, "bridge": "yes", "layer": "1"}))
            run = [b]
        else:
            run.append(b)
    out.append((run, seg.tags))
    return [(p, t) for p, t in out if len(p) >= 2]


def write(net: Network, lists: list, out: Path) -> tuple[int, int, int]:
    """Write nodes (sorted by id), the roads and the river; return (road nodes, roads,
    bridges)."""
    import osmium
    from osmium.osm.mutable import Node, Way

    ways = [w for points, seg in lists for w in pieces(points, seg)]
    used = sorted({node_id(p) for points, _ in ways for p in points})
    river = [(LAT0 + (river_row(c) + 0.5) * U_LAT, LON0 + c * U_LON) for c in range(0, COLS, 4)]
    stamp = "2026-01-01T00:00:00Z"
    writer = osmium.SimpleWriter(str(out), overwrite=True)
    try:
        for nid in used:
            r, c = divmod(nid - 1, COLS + 1)
            writer.add_node(Node(id=nid, location=(round(LON0 + c * U_LON, 7),
                                                    round(LAT0 + r * U_LAT, 7)),
                                 version=1, timestamp=stamp, tags={}))
        first_river = (ROWS + 2) * (COLS + 1)
        for k, (lat, lon) in enumerate(river):
            writer.add_node(Node(id=first_river + k, location=(lon, lat), version=1,
                                 timestamp=stamp, tags={}))
        for k, (points, tags) in enumerate(ways, start=1):
            tags = {**tags, "maxspeed": SPEED[tags["highway"]]} if tags["highway"] in SPEED \
                else tags
            writer.add_way(Way(id=k, nodes=[node_id(p) for p in points], version=1,
                               timestamp=stamp, tags=tags))
        writer.add_way(Way(id=len(ways) + 1, nodes=list(range(first_river,
                                                              first_river + len(river))),
                           version=1, timestamp=stamp,
                           tags={"waterway": "river", "name": "Generated river"}))
    finally:
        writer.close()
    return len(used), len(ways), sum(1 for _, tags in ways if "bridge" in tags)


def main() -> int:
    """Generate and write the network; print its size."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1_000_000, help="road nodes wanted (about)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="output .osm.pbf")
    a = ap.parse_args()
    started = time.perf_counter()
    net, made, lists = calibrated(a.nodes, a.seed)
    nodes, ways, bridges = write(net, lists, a.out)
    print(f"{a.out}: {nodes} road nodes, {ways} roads, {len(NAMED)} named towns + {made} "
          f"villages, {bridges} bridges, {a.out.stat().st_size} bytes, "
          f"{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
