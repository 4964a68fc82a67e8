"""A small OpenStreetMap town written by the tests themselves (no download).

A river runs west–east between a south and a north road; one bridge crosses it at the east end.
The north road has a bypass (so closing its middle forces a detour), and a one-way street climbs
from the north road to a hill hamlet.  Points are (lat, lon); 0.01° of longitude ≈ 790 m here.
"""

from __future__ import annotations

from pathlib import Path

import osmium
from osmium.osm.mutable import Node, Way

SOUTH_LAT, NORTH_LAT, BYPASS_LAT, HILL_LAT = 44.895, 44.905, 44.915, 44.925
WEST, EAST, STEP = 141.70, 141.80, 0.005
BRIDGE_LON = 141.79
#: Named places of the test town.
POINTS = {
    "south_home": (SOUTH_LAT, 141.71),        # 1.1 km from north_clinic as the crow flies
    "north_clinic": (NORTH_LAT, 141.71),
    "north_shop": (NORTH_LAT, 141.78),
    "hill_hamlet": (HILL_LAT, 141.75),
    "far_farm": (44.99, 141.60),             # about 12 km from any road
}
#: The middle of the north road: closing it sends drivers round the bypass.
CLOSED_MIDDLE = ((NORTH_LAT - 0.002, 141.745), (NORTH_LAT - 0.002, 141.755),
                 (NORTH_LAT + 0.002, 141.755), (NORTH_LAT + 0.002, 141.745))


class _Writer:
    def __init__(self, path: Path) -> None:
        self.out = osmium.SimpleWriter(str(path), overwrite=True)
        self.next_node, self.next_way, self.ways = 1, 1, []
        self.nodes: dict[tuple[float, float], int] = {}

    def node(self, lat: float, lon: float) -> int:
        key = (round(lat, 6), round(lon, 6))
        if key not in self.nodes:
            self.nodes[key] = self.next_node
            self.out.add_node(Node(id=self.next_node, location=(lon, lat), version=1,
                                   timestamp="2026-01-01T00:00:00Z", tags={}))
            self.next_node += 1
        return self.nodes[key]

    def way(self, points: list[tuple[float, float]], **tags: str) -> None:
        ids = [self.node(lat, lon) for lat, lon in points]
        self.ways.append((ids, tags))

    def close(self) -> None:
        for ids, tags in self.ways:  # ways after all nodes, as a PBF expects
            self.out.add_way(Way(id=self.next_way, nodes=ids, version=1,
                                 timestamp="2026-01-01T00:00:00Z", tags=tags))
            self.next_way += 1
        self.out.close()


def _line(lat: float, west: float, east: float) -> list[tuple[float, float]]:
    count = round((east - west) / STEP)
    return [(lat, round(west + i * STEP, 6)) for i in range(count + 1)]


def write_town(path: Path) -> Path:
    """Write the test town's roads (and its river) to ``path`` (.osm.pbf) and return it."""
    w = _Writer(path)
    w.way(_line(SOUTH_LAT, WEST, EAST), highway="secondary", name="South road")
    w.way(_line(NORTH_LAT, WEST, EAST), highway="secondary", name="North road")
    w.way([(SOUTH_LAT, BRIDGE_LON), (NORTH_LAT, BRIDGE_LON)], highway="secondary",
          bridge="yes", layer="1", name="Bridge")
    w.way([(NORTH_LAT, 141.73), *_line(BYPASS_LAT, 141.73, 141.77), (NORTH_LAT, 141.77)],
          highway="tertiary", name="Bypass")
    w.way([(NORTH_LAT, 141.75), (BYPASS_LAT, 141.75), (HILL_LAT, 141.75)],
          highway="residential", oneway="yes", name="Up street")
    w.way([(HILL_LAT, 141.75), (HILL_LAT, 141.76), (BYPASS_LAT + 0.005, 141.77),
           (NORTH_LAT, 141.77)], highway="residential", name="Down lane")
    w.way(_line((SOUTH_LAT + NORTH_LAT) / 2, WEST, EAST), waterway="river", name="River")
    w.close()
    return path
