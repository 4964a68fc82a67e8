"""The report's pure arithmetic and the zone geometry, checked on small hand-made cases."""

from __future__ import annotations

from datetime import date

import pytest

from carshare.domain import report_math as rm
from carshare.domain.zones import contains, convex_hull, signed_area, zone_ring

END = date(2026, 6, 30)


@pytest.mark.parametrize(("year", "band"), [
    (1962, "0-64"), (1961, "65-74"), (1952, "65-74"), (1951, "75-84"), (1942, "75-84"),
    (1941, "85+"), (1900, "85+"), (None, "unknown"), (2027, "unknown"),
])
def test_age_bands_at_their_edges(year: int | None, band: str) -> None:
    assert rm.age_band(year, END) == band


def stops(*codes: str) -> list[rm.RiderStop]:
    """``"+1"`` picks rider 1 up, ``"-1"`` drops them off."""
    return [rm.RiderStop(int(c[1:]), c[0] == "+") for c in codes]


@pytest.mark.parametrize(("route", "shared"), [
    (("+1", "-1", "+2", "-2"), set()),  # one after the other: nobody shared
    (("+1", "+2", "-1", "-2"), {1, 2}),
    (("+1", "+2", "-2", "+3", "-3", "-1"), {1, 2, 3}),  # 1 rode with 2, then with 3
    (("+1", "+2", "-2", "-1", "+3", "-3"), {1, 2}),
    ((), set()),
])
def test_shared_rides(route: tuple[str, ...], shared: set[int]) -> None:
    assert rm.shared_requests(stops(*route)) == shared


def test_months_cross_the_year() -> None:
    assert rm.month_starts(date(2025, 11, 15), date(2026, 2, 1)) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert rm.month_starts(date(2026, 6, 30), date(2026, 6, 30)) == [date(2026, 6, 1)]


def test_taxi_fare_and_ratios() -> None:
    assert rm.taxi_fare_yen(13.9, 700, 350) == 5565
    assert rm.taxi_fare_yen(0, 700, 350) == 0  # no ride, no fare
    assert rm.per_unit(10, 0) is None and rm.per_unit(10, 4) == 2.5
    assert rm.repeat_riders({1: {END}, 2: {END, date(2026, 6, 1)}}) == 1
    assert rm.counted(["b", "a", "b"]) == [("b", 2), ("a", 1)]


def test_zone_ring_is_closed_counter_clockwise_and_holds_its_places() -> None:
    places = [(44.884, 141.747), (44.887, 141.750), (44.8825, 141.7445)]
    ring = zone_ring(places)
    assert ring[0] == ring[-1] and signed_area(ring) > 0
    assert all(contains(ring, (lon, lat)) for lat, lon in places)
    assert not contains(ring, (141.80, 44.95))
    assert all(round(v * 100, 6).is_integer() for p in ring for v in p)  # grid corners only


def test_zone_grid_survives_floating_point() -> None:
    # 45.3 / 0.01 is 4529.999... in floating point; the cell must still be the one of 45.30.
    assert zone_ring([(45.3, 141.715)])[:4] == [(141.7, 45.29), (141.73, 45.29),
                                                (141.73, 45.32), (141.7, 45.32)]


def test_convex_hull_drops_inner_points() -> None:
    square = [(0.0, 0.0), (0.0, 1.0), (0.5, 0.5), (1.0, 0.0), (1.0, 1.0)]
    assert convex_hull(sorted(square)) == [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
    with pytest.raises(ValueError):
        zone_ring([])
