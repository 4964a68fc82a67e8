"""Which riders fit a driver's own trip: the extra driving a rider costs stays in the budget.

A driver who offers "Teshio → Wakkanai City Hospital and back, 20 minutes of detour" should
carry riders along that way, not be sent to the other side of the district. A request fits a
trip when picking it up and dropping it off adds at most the budget to the driver's own
start → destination → end journey (both stops on the way there, both on the way back, or
picked up on the way there and dropped off on the way back).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from carshare.domain.travel import TravelModel
from carshare.domain.types import Place, PlaceId, Request, VehicleId


@dataclass(frozen=True)
class OwnTrip:
    """A driver's own journey: from ``start`` to ``destination`` and back to ``end``."""

    start: PlaceId
    destination: PlaceId
    end: PlaceId
    detour_budget: int  # seconds of extra driving the driver accepts per rider


def fitting_trips(
    requests: tuple[Request, ...], trips: Mapping[VehicleId, OwnTrip],
    places: Mapping[PlaceId, Place], travel: TravelModel,
) -> dict[object, frozenset[VehicleId]]:
    """Return, per request id, the vehicles whose own trip the request fits."""
    ids = sorted({p for r in requests for p in (r.pickup, r.dropoff)}
                 | {p for t in trips.values() for p in (t.start, t.destination, t.end)}, key=str)
    index = {p: i for i, p in enumerate(ids)}
    times, _ = travel.matrix([places[p] for p in ids], [places[p] for p in ids], None)
    t = lambda a, b: times[index[a]][index[b]]  # noqa: E731
    return {r.id: frozenset(v for v, trip in trips.items() if _fits(r, trip, t))
            for r in requests}


def _fits(request: Request, trip: OwnTrip, t) -> bool:  # type: ignore[no-untyped-def]
    p, d, dest = request.pickup, request.dropoff, trip.destination

    def extra(a: PlaceId, b: PlaceId, *via: PlaceId) -> int:
        stops = (a, *via, b)
        return sum(t(x, y) for x, y in zip(stops, stops[1:], strict=False)) - t(a, b)

    ways = (extra(trip.start, dest, p, d), extra(dest, trip.end, p, d),
            extra(trip.start, dest, p) + extra(dest, trip.end, d))
    return min(ways) <= trip.detour_budget
