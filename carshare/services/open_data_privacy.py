"""What the open-data feed may say about where people live: k-anonymous zones, neutral stops.

- A zone stands for at least :data:`K_HOMES` homes: a settlement with fewer is merged into
  the nearest zone (repeatedly), and a zone is named only after its settlements that have
  :data:`K_HOMES` homes themselves, else neutrally (``区域1``). A town with fewer homes in all
  publishes no zone.
- A zone's outline is drawn on a grid coarse enough that every grid cell holding a home holds
  at least :data:`K_HOMES`: no corner of the outline can single out one home (a lone home at
  the edge of a zone would otherwise pin it to its ~1 km cell).
- A stop (a facility) keeps its name unless the name contains a resident's name or a home's
  name, or reads like a home (``…宅``): then it is named after its kind only.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from carshare.domain.zones import CELL, zone_ring
from carshare.models import Place, PlaceKind

K_HOMES = 5
#: Grid cells tried for an outline, finest first (degrees; 0.01 is about 1 km here).
CELLS = (CELL, 0.02, 0.05, 0.1, 0.2, 0.5)
KIND_NAMES = {PlaceKind.HOSPITAL: "病院", PlaceKind.CLINIC: "診療所", PlaceKind.SHOP: "店舗",
              PlaceKind.TOWN_OFFICE: "役場", PlaceKind.STATION: "駅", PlaceKind.OTHER: "施設"}


@dataclass
class Cluster:
    """Settlements published as one zone: their names with home counts, and their places."""

    members: Counter[str] = field(default_factory=Counter)
    places: list[Place] = field(default_factory=list)

    @property
    def homes(self) -> int:
        """Return how many homes the zone holds."""
        return sum(1 for p in self.places if p.kind == PlaceKind.HOME)

    def centre(self) -> tuple[float, float]:
        """Return the mean position of the zone's places."""
        return (sum(p.lat for p in self.places) / len(self.places),
                sum(p.lon for p in self.places) / len(self.places))


@dataclass(frozen=True)
class PublicZone:
    """A zone as published: its name and outline (lon/lat ring)."""

    name: str
    ring: list[tuple[float, float]]


def public_zones(places: Iterable[Place], k: int = K_HOMES) -> list[PublicZone]:
    """Return the k-anonymous zones of the places that have a settlement (none if the town
    has fewer than ``k`` homes in all)."""
    clusters = _clusters(places)
    _merge_small(clusters, k)
    if sum(c.homes for c in clusters) < k and any(c.homes for c in clusters):
        return []
    ordered = sorted(clusters, key=lambda c: (-c.homes, sorted(c.members)))
    zones, unnamed = [], 0
    for cluster in ordered:
        name = _zone_name(cluster, k)
        if not name:
            unnamed += 1
            name = f"区域{unnamed}"
        zones.append(PublicZone(name, _outline(cluster.places, k)))
    return sorted(zones, key=lambda z: z.name)


def _clusters(places: Iterable[Place]) -> list[Cluster]:
    by_name: dict[str, Cluster] = {}
    for place in places:
        settlement = place.settlement.strip()
        if not settlement:
            continue
        cluster = by_name.setdefault(settlement, Cluster())
        cluster.places.append(place)
        cluster.members[settlement] += place.kind == PlaceKind.HOME
    return list(by_name.values())


def _merge_small(clusters: list[Cluster], k: int) -> None:
    """Merge every zone with 1..k-1 homes into its nearest neighbour, smallest first."""
    while len(clusters) > 1:
        small = [c for c in clusters if 0 < c.homes < k]
        if not small:
            return
        weakest = min(small, key=lambda c: (c.homes, sorted(c.members)))
        clusters.remove(weakest)
        nearest = min(clusters, key=lambda c: _distance(c.centre(), weakest.centre()))
        nearest.members.update(weakest.members)
        nearest.places.extend(weakest.places)


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], (a[1] - b[1]) * math.cos(math.radians(a[0])))


def _zone_name(cluster: Cluster, k: int) -> str:
    """Name a zone after its settlements with ``k`` homes or more (or a facility-only one)."""
    named = [name for name, homes in cluster.members.most_common()
             if homes >= k or (homes == 0 and cluster.homes == 0)]
    if not named:
        return ""
    merged = len(cluster.members) > len(named)
    return "・".join(named[:3]) + ("周辺" if merged or len(named) > 3 else "")


def _outline(places: list[Place], k: int) -> list[tuple[float, float]]:
    """Return the zone ring on the finest grid whose home-holding cells hold ``k`` homes."""
    points = [(p.lat, p.lon) for p in places]
    homes = [(p.lat, p.lon) for p in places if p.kind == PlaceKind.HOME]
    for cell in CELLS:
        counts = Counter(_cell_of(lat, lon, cell) for lat, lon in homes)
        if all(n >= k for n in counts.values()):
            return zone_ring(points, cell, 1 if cell == CELL else 0)
    return zone_ring(points, CELLS[-1], 0)


def _cell_of(lat: float, lon: float, cell: float) -> tuple[int, int]:
    return (math.floor(round(lat / cell, 6)), math.floor(round(lon / cell, 6)))


def private_words(homes: Iterable[Place], names: Iterable[tuple[str, str]]) -> set[str]:
    """Return the words no stop may carry: home names and residents' full names
    (``(family, given)`` pairs, written with and without a space)."""
    words = {h.name.strip() for h in homes if h.name.strip()}
    for family, given in names:
        words |= {f"{family}{given}", f"{family} {given}", f"{family}\u3000{given}"}
    return {w for w in words if len(w) >= 2}


def stop_name(place: Place, private: set[str]) -> str:
    """Return the name a facility is published under (its kind when the name is private)."""
    name = place.name.strip()
    if name.endswith("宅") or any(word in name for word in private):
        return KIND_NAMES.get(place.kind, "施設")
    return name
