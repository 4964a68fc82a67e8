"""The per-town cache of road times: grown by new places only, kept per set of closures, and
the month's factor and the off-road estimate applied on top (no engine: a fake one)."""

from __future__ import annotations

from datetime import date

from carshare.domain.travel import (
    OFF_ROAD,
    UNREACHABLE,
    RoadTimes,
    RoadTravel,
    TravelConfig,
)
from carshare.domain.types import Place

CLOSED = ((1.0, 1.0), (1.0, 2.0), (2.0, 2.0), (1.0, 1.0))


class FakeRoads:
    """Seconds = 100 × |Δlat| + 10 × |Δlon| (+1000 when a closure is avoided); the point at
    lat 9 has no road; lat 8 cannot be reached while anything is closed."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int, int]] = []

    def matrix(self, sources, targets, avoid=()):  # type: ignore[no-untyped-def]
        self.calls.append((len(sources), len(targets), len(avoid)))

        def cell(a, b):  # type: ignore[no-untyped-def]
            if 9.0 in (a[0], b[0]):
                return OFF_ROAD
            if avoid and 8.0 in (a[0], b[0]) and a != b:
                return None
            return round(100 * abs(a[0] - b[0]) + 10 * abs(a[1] - b[1])) + (
                1000 if avoid and a != b else 0)
        times = [[cell(a, b) for b in targets] for a in sources]
        return times, [[None if t is None else t * 10 for t in row] for row in times]


def _p(i: int, lat: float, lon: float = 0.0) -> Place:
    return Place(i, f"p{i}", lat, lon)


def test_a_new_place_costs_one_row_and_one_column() -> None:
    roads = FakeRoads()
    times = RoadTimes(roads)
    a, b, c = (0.0, 0.0), (1.0, 0.0), (2.0, 3.0)
    assert times.raw([a, b], [a, b])[0] == [[0, 100], [100, 0]]
    assert roads.calls == [(2, 2, 0)]  # the first two places: one call (no old places)
    assert times.raw([a, c], [b])[0] == [[100], [130]]
    assert roads.calls[1:] == [(2, 1, 0), (1, 3, 0)]  # old → new column, new → every row
    times.raw([c, a], [a, b, c])
    assert len(roads.calls) == 3  # all cached now


def test_closures_are_kept_apart_and_unreachable_marked() -> None:
    roads = FakeRoads()
    times = RoadTimes(roads)
    a, b, cut_off = (0.0, 0.0), (1.0, 0.0), (8.0, 0.0)
    open_t, _ = times.raw([a], [b, cut_off])
    closed_t, _ = times.raw([a], [b, cut_off], (CLOSED,))
    assert open_t == [[100, 800]]
    assert closed_t == [[1100, UNREACHABLE]]
    assert times.raw([a], [b])[0] == [[100]]  # the open roads' cache is untouched


def test_month_factor_on_top_and_the_off_road_point_estimated() -> None:
    config = TravelConfig(circuity=1.2, speed_kmh=36.0,
                          month_factors=(1.5,) + (1.0,) * 10 + (1.5,))
    travel = RoadTravel(RoadTimes(FakeRoads()), config, {date(2027, 6, 2): (CLOSED,)})
    a, b, farm = _p(1, 0.0), _p(2, 1.0), _p(3, 9.0)
    june, january = date(2027, 6, 1), date(2027, 1, 5)
    assert travel.matrix([a], [b], june)[0] == [[100]]
    assert travel.matrix([a], [b], january)[0] == [[150]]
    assert travel.matrix([a], [b], date(2027, 6, 2))[0] == [[1100]]  # that day's closure
    estimate = travel.estimate.matrix([a], [farm], june)
    assert travel.matrix([a], [farm], june) == estimate  # great circle × 1.2 at 36 km/h
    assert estimate[0][0][0] > 100_000  # 9 degrees of latitude: about a day's drive
