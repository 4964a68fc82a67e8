"""How well a town's places sit on the road network: the snapping report (issue 20).

A place more than :data:`NEAR_M` from its road is listed for staff to check (its pick-up point
may be wrong); a place with no road within :data:`~carshare.roads.engine.SNAP_SEARCH_M` is not
on the road network at all, and its times are estimated until staff fix it.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from sqlmodel import Session, select

from carshare.models import Place, PlaceKind, Resident, StaffUser
from carshare.services.records.common import audit_list
from carshare.services.travel import road_graph

#: A place this close to a road is on it (metres); farther places are listed.
NEAR_M = 150


@dataclass(frozen=True)
class SnappedPlace:
    """A place that staff should check: how far its road is (None: no road near)."""

    place_id: int
    name: str
    kind: PlaceKind
    metres: int | None


@dataclass(frozen=True)
class SnapReport:
    """How many of a town's places snap to a road, and how far."""

    total: int
    on_road: int  # within NEAR_M
    median_m: int | None
    farthest_m: int | None  # of the places that snap at all
    to_check: tuple[SnappedPlace, ...]  # farther than NEAR_M or off the network, farthest first

    @property
    def off_network(self) -> int:
        """Return how many places have no road near them at all."""
        return sum(1 for p in self.to_check if p.metres is None)


def report_for_staff(session: Session, staff: StaffUser) -> SnapReport | None:
    """Return the snapping report of the staff member's town; homes listed are audited as
    viewed; commit."""
    report = snap_report(session, staff.town_id)
    homes = [p.place_id for p in report.to_check if p.kind is PlaceKind.HOME] if report else []
    if homes:
        audit_list(session, staff, "place", session.exec(
            select(Resident.home_place_id, Resident.id).where(
                Resident.home_place_id.in_(homes))))  # type: ignore[union-attr]
        session.commit()
    return report


def distance_to_road(lat: float, lon: float) -> float | None:
    """Return how far a point lies from the nearest road (metres); ``-1.0`` when no road is
    within reach; None when the installation has no road data."""
    graph = road_graph()
    if graph is None:
        return None
    from carshare.services.travel import engine_for

    [metres] = engine_for(graph.config_file).snap([(lat, lon)])
    return -1.0 if metres is None else metres


def snap_report(session: Session, town_id: int) -> SnapReport | None:
    """Snap the town's active places to the current road graph (None: no road data)."""
    graph = road_graph()
    if graph is None:
        return None
    from carshare.services.travel import engine_for

    places = list(session.exec(select(Place).where(Place.town_id == town_id, Place.active)
                               .order_by(Place.id)))
    distances = engine_for(graph.config_file).snap([(p.lat, p.lon) for p in places])
    return report_of(places, distances)


def report_of(places: list[Place], distances: list[float | None]) -> SnapReport:
    """Summarise snapping distances of ``places`` (same order)."""
    found = sorted(round(m) for m in distances if m is not None)
    check = [SnappedPlace(p.id or 0, p.name, p.kind, None if m is None else round(m))
             for p, m in zip(places, distances, strict=True) if m is None or m > NEAR_M]
    check.sort(key=lambda p: (p.metres is not None, -(p.metres or 0), p.place_id))
    return SnapReport(len(places), sum(1 for m in found if m <= NEAR_M),
                      round(statistics.median(found)) if found else None,
                      found[-1] if found else None, tuple(check))
