"""The demo town's past: six weeks of planned and driven service behind reports and costs."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlmodel import Session, SQLModel, func, select

from carshare.domain.report_math import UNKNOWN
from carshare.models import (
    Gift,
    Notification,
    Offer,
    Plan,
    RequestStatus,
    Resident,
    RideRequest,
    TripCostItem,
    TripEvent,
    TripEventKind,
)
from carshare.services import demo_history
from carshare.services.cost_ledger import driver_ledger, receipt
from carshare.services.costs import completed_trips, trip_costs
from carshare.services.demo import seed_demo
from carshare.services.demo_history import load_history
from carshare.services.reports import monthly_report
from carshare.timeutil import TOKYO

#: A fixed load moment (10:00 in Tokyo, a Tuesday in winter: slower roads).
NOW = datetime(2026, 2, 10, 1, 0, tzinfo=UTC)
LAST_MONTH = (date(2026, 1, 1), date(2026, 1, 31))


def _counts(session: Session) -> dict[str, int]:
    tables = (RideRequest, Plan, TripEvent, TripCostItem, Gift, Offer)
    return {t.__name__: session.exec(select(func.count()).select_from(t)).one() for t in tables}


def _town_id(session: Session) -> int:
    return session.exec(select(RideRequest.town_id)).first()


def test_history_fills_last_months_report_and_costs(session: Session) -> None:
    seed_demo(session, NOW, TOKYO)
    started = time.monotonic()
    result = load_history(session, NOW, TOKYO)
    elapsed = time.monotonic() - started
    assert result.created and result.days == 42 and result.completed > 0
    assert elapsed < 90, f"history took {elapsed:.1f} s"
    town_id = _town_id(session)
    report = monthly_report(session, town_id, *LAST_MONTH)
    assert report.served > 0 and report.unmet >= 1 and report.km_driven > 0
    assert report.cancelled >= 1 and report.routes_driven > 0
    assert report.avg_ride_minutes is not None and report.avg_ride_minutes > 0
    assert all(band != UNKNOWN for band, _n in report.riders_by_age_band)
    assert report.served + report.unmet + report.cancelled + report.open == report.requested
    assert report.open == 0  # every past ride is closed one way or another


def test_completed_trip_has_a_split_that_adds_up(session: Session) -> None:
    seed_demo(session, NOW, TOKYO)
    load_history(session, NOW, TOKYO, days=14)
    town_id = _town_id(session)
    trips = completed_trips(session, town_id, NOW.date() - timedelta(days=14), NOW.date())
    assert trips
    with_items = 0
    for trip in trips:
        costs = trip_costs(session, town_id, trip.offer.id, trip.day)
        assert costs.split.whole > 0 and costs.driven_km > 0
        assert sum(p.total for p in costs.split.parts) == costs.split.whole
        for part in costs.split.parts:
            assert sum(part.items.values()) == part.total
        with_items += bool(costs.entered)
    assert with_items >= 1  # the parking entered on a Wakkanai trip
    ride = next(r for r in costs.riders)
    printed = receipt(session, town_id, ride.request.id, TOKYO)
    assert printed.part.total > 0 and printed.part == costs.part_of(ride.request.id)
    gift = session.exec(select(Gift)).one()
    ledger = driver_ledger(session, town_id, gift.driver_id, gift.given_on.replace(day=1))
    assert ledger.gifts == [gift] and ledger.rows


def test_button_presses_follow_the_plan(session: Session) -> None:
    seed_demo(session, NOW, TOKYO)
    load_history(session, NOW, TOKYO, days=14)
    rides = list(session.exec(select(RideRequest).where(RideRequest.window_end < NOW)))
    events = list(session.exec(select(TripEvent)))
    by_ride: dict[int, dict[TripEventKind, datetime]] = {}
    for event in events:
        by_ride.setdefault(event.request_id, {})[event.kind] = event.happened_at
    for ride in rides:
        pressed = by_ride.get(ride.id, {})
        if ride.status is RequestStatus.COMPLETED:
            assert pressed[TripEventKind.PICKED_UP] < pressed[TripEventKind.DROPPED_OFF]
        elif ride.status is RequestStatus.NO_SHOW:
            assert set(pressed) == {TripEventKind.NO_SHOW}
        else:
            assert not pressed and ride.status in (RequestStatus.CANCELLED,
                                                   RequestStatus.UNMET)
            assert ride.outcome_code
    assert {r.status for r in rides} >= {RequestStatus.COMPLETED, RequestStatus.UNMET}
    assert all(p.birth_year for p in session.exec(select(Resident)))
    # past days: nobody is sent a message, no driver is asked to accept
    assert session.exec(select(func.count()).select_from(Notification)).one() == 0


def test_second_load_does_nothing(session: Session) -> None:
    seed_demo(session, NOW, TOKYO)
    assert load_history(session, NOW, TOKYO, days=7).created
    before = _counts(session)
    assert not load_history(session, NOW, TOKYO, days=7).created
    assert not load_history(session, NOW + timedelta(days=3), TOKYO).created
    assert _counts(session) == before


def test_history_is_reproducible(app: Flask, session: Session) -> None:
    def load() -> list[tuple]:
        seed_demo(session, NOW, TOKYO)
        load_history(session, NOW, TOKYO, days=7)
        rows = session.exec(select(RideRequest).order_by(RideRequest.window_start,
                                                         RideRequest.id))
        return [(r.window_start, r.window_kind, r.status, r.outcome_code) for r in rows]

    first = load()
    session.close()
    with session.get_bind().begin() as conn:  # empty the database, as after a test
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
    assert load() == first


def test_needs_the_demo_town(session: Session) -> None:
    with pytest.raises(LookupError):
        load_history(session, NOW, TOKYO)


def test_seed_demo_history_command(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_history, "HISTORY_DAYS", 7)
    run = lambda *args: app.test_cli_runner().invoke(args=list(args))  # noqa: E731
    first = run("seed-demo", "--history")
    assert first.exit_code == 0, first.output
    assert "demo town loaded" in first.output and "demo history loaded: 7 days" in first.output
    again = run("seed-demo", "--history")
    assert "demo town already loaded" in again.output
    assert "demo history already loaded" in again.output
