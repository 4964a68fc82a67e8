"""Each report figure against the hand-computed June 2026 month of ``tests/reports/fixtures``."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from carshare.services.reports import MonthFigures, ReportError, monthly_report
from tests.reports.fixtures import fixture_month

JUNE = (date(2026, 6, 1), date(2026, 6, 30))
KM_01 = 13.9  # 0.1 degree of latitude by the travel model (see the fixture's docstring)
KM_02 = 27.799


@pytest.fixture
def june(session: Session):  # type: ignore[no-untyped-def]
    """The fixture month and its report."""
    t = fixture_month(session)
    return t, monthly_report(session, t["town"].id, *JUNE)


def test_counts_by_outcome(june) -> None:  # type: ignore[no-untyped-def]
    _, report = june
    assert (report.requested, report.served, report.unmet, report.cancelled, report.open) == (
        10, 4, 2, 3, 1)
    assert report.unmet_by_reason == [("expired", 1), ("unmet", 1)]
    assert report.cancelled_by_outcome == [("no_show", 1), ("rider_cancel", 1), ("weather", 1)]
    assert not report.empty


def test_riders_repeat_settlement_and_age(june) -> None:  # type: ignore[no-untyped-def]
    _, report = june
    # R1 rode on 2 and 9 June (a repeat rider), R2 on 2 June only.
    assert (report.unique_riders, report.repeat_riders, report.repeat_rate) == (2, 1, 0.5)
    assert report.riders_by_settlement == [("北", 1), ("南", 1)]
    # Ages in 2026: R1 born 1950 is 76, R2 born 1940 is 86.
    assert report.riders_by_age_band == [("75-84", 1), ("85+", 1)]


def test_km_hours_and_routes(june) -> None:  # type: ignore[no-untyped-def]
    _, report = june
    # 2 Jun 40 km 3 h + 9 Jun 30 km 1.5 h + 23 Jun (no-show) 10 km 0.5 h; not 16 Jun, not v2.
    assert report.routes_driven == 3
    assert report.km_driven == pytest.approx(80.0)
    assert report.volunteer_hours == pytest.approx(5.0)


def test_ride_time_against_direct_time(june) -> None:  # type: ignore[no-untyped-def]
    _, report = june
    # Ride 1 as pressed (09:31-09:55 = 24), 2 planned 20, 3 planned 42, 4 planned 20 minutes.
    assert report.avg_ride_minutes == pytest.approx((24 + 20 + 42 + 20) / 4)
    # Direct: 1,001 s three times and 2,002 s once.
    assert report.avg_direct_minutes == pytest.approx((3 * 1001 + 2002) / 4 / 60)


def test_shared_rides(june) -> None:  # type: ignore[no-untyped-def]
    _, report = june
    assert report.shared_rides == 2  # rides 1 and 3 overlap on 2 June


def test_rider_km_taxi_and_co2(june) -> None:  # type: ignore[no-untyped-def]
    _, report = june
    rider_km = 3 * KM_01 + 2 * KM_02  # ride 3 carried a party of two
    assert report.rider_km == pytest.approx(rider_km)
    # Tariff 700 yen + 350 yen/km, one taxi per ride: 3 x 5,565 + 10,430 (10,429.65 rounded).
    assert report.taxi_fares_yen == 3 * 5565 + 10430
    # 130 g/km: 80 km driven against the four rides' direct km driven alone.
    assert report.co2_service_kg == pytest.approx(80 * 130 / 1000)
    alone_g = (3 * KM_01 + KM_02) * 130
    assert report.co2_alone_kg == pytest.approx(alone_g / 1000)
    assert report.co2_service_g_per_rider_km == pytest.approx(80 * 130 / rider_km)
    assert report.co2_alone_g_per_rider_km == pytest.approx(alone_g / rider_km)


def test_months_of_a_longer_range(session: Session) -> None:
    t = fixture_month(session)
    report = monthly_report(session, t["town"].id, date(2026, 5, 1), date(2026, 7, 31))
    assert report.months == [MonthFigures(date(2026, 5, 1), 1, 1, 0, 0),
                             MonthFigures(date(2026, 6, 1), 10, 4, 2, 3),
                             MonthFigures(date(2026, 7, 1), 1, 1, 0, 0)]
    assert report.requested == 12


def test_one_day_range_counts_local_days(june) -> None:  # type: ignore[no-untyped-def]
    t, _ = june
    # Nothing leaks across midnight Japan time: 31 May 23:30 is May, 1 July 00:00 is July.
    from carshare.db import get_engine

    with Session(get_engine()) as session:
        may_31 = monthly_report(session, t["town"].id, date(2026, 5, 31), date(2026, 5, 31))
        june_2 = monthly_report(session, t["town"].id, date(2026, 6, 2), date(2026, 6, 2))
    assert (may_31.requested, may_31.served) == (1, 1)
    assert (june_2.requested, june_2.served, june_2.shared_rides) == (3, 3, 2)
    assert june_2.months == [MonthFigures(date(2026, 6, 1), 3, 3, 0, 0)]


def test_other_town_sees_only_its_own(june) -> None:  # type: ignore[no-untyped-def]
    t, report = june
    from carshare.db import get_engine

    with Session(get_engine()) as session:
        other = monthly_report(session, t["other"]["town"].id, *JUNE)
    assert (other.requested, other.served, other.km_driven) == (1, 1, 0)
    assert report.requested == 10


def test_empty_range_is_a_report_of_zeros(session: Session) -> None:
    t = fixture_month(session)
    report = monthly_report(session, t["town"].id, date(2025, 1, 1), date(2025, 2, 28))
    assert report.empty and report.served == report.unique_riders == 0
    assert report.repeat_rate is None and report.avg_ride_minutes is None
    assert report.co2_service_g_per_rider_km is None and report.taxi_fares_yen == 0
    assert [m.requested for m in report.months] == [0, 0]


@pytest.mark.parametrize(("start", "end", "code"), [
    (date(2026, 6, 30), date(2026, 6, 1), "inverted"),
    (date(1999, 12, 31), date(2000, 1, 5), "too_early"),
    (date(2020, 1, 1), date(2026, 1, 1), "too_long"),
])
def test_bad_ranges(session: Session, start: date, end: date, code: str) -> None:
    t = fixture_month(session)
    with pytest.raises(ReportError) as error:
        monthly_report(session, t["town"].id, start, end)
    assert error.value.code == code


def test_unknown_town(session: Session) -> None:
    with pytest.raises(ReportError) as error:
        monthly_report(session, 987654, *JUNE)
    assert error.value.code == "unknown_town"
