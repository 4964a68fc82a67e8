"""Booking during the call: validation at the boundary, both legs stored, audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from carshare.models import AuditLog, RideRequest, WindowKind, utcnow
from carshare.services.booking import BookingError, BookingInput, create_booking
from carshare.timeutil import TOKYO
from tests.factories import FUTURE, small_town


@pytest.fixture
def town(session: Session) -> dict[str, Any]:
    return small_town(session, seats=3)


def _input(t: dict[str, Any], **changes: Any) -> BookingInput:
    rider = t["riders"][0]
    base = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=t["clinic"].id, day=FUTURE,
                        window_kind=WindowKind.ARRIVE_BY, clock=time(10),
                        return_mode="after", return_clock=time(11))
    return replace(base, **changes)


def test_a_booking_stores_both_legs_linked(session: Session, town: dict[str, Any]) -> None:
    booking = create_booking(session, town["staff"], _input(town), utcnow(), TOKYO)
    out, back = booking.outbound, booking.inbound
    assert out.window_end.astimezone(TOKYO).time() == time(10)
    assert out.window_end - out.window_start == timedelta(hours=1)
    assert back.outbound_id == out.id and back.window_kind == WindowKind.PICKUP_AFTER
    assert (back.pickup_place_id, back.dropoff_place_id) == (out.dropoff_place_id,
                                                             out.pickup_place_id)
    entry = session.exec(select(AuditLog).where(AuditLog.entity_id == out.id)).one()
    assert entry.actor == town["staff"].username and entry.resident_id == out.rider_id


def test_an_open_return_is_remembered(session: Session, town: dict[str, Any]) -> None:
    booking = create_booking(session, town["staff"], _input(town, return_mode="open"),
                             utcnow(), TOKYO)
    assert booking.inbound is None and booking.outbound.return_open


@pytest.mark.parametrize(("changes", "field", "code"), [
    ({"day": FUTURE - timedelta(days=30)}, "clock", "time_passed"),
    ({"day": FUTURE + timedelta(days=90)}, "day", "too_far_ahead"),
    ({"dropoff_place_id": -1}, "dropoff", "unknown_place"),
    ({"party_size": 4}, "party_size", "party_too_large"),
    ({"return_clock": time(9)}, "return_clock", "return_before_outbound"),
    ({"return_clock": None}, "return_clock", "return_time_missing"),
    ({"rider_id": -5}, "rider", "unknown_rider"),
])
def test_bad_bookings_are_refused_and_nothing_is_saved(
    session: Session, town: dict[str, Any], changes: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(BookingError) as error:
        create_booking(session, town["staff"], _input(town, **changes), utcnow(), TOKYO)
    assert (error.value.field, error.value.code) == (field, code)
    session.rollback()
    assert session.exec(select(RideRequest)).all() == []


def test_same_pickup_and_destination_is_refused(session: Session, town: dict[str, Any]) -> None:
    rider = town["riders"][0]
    with pytest.raises(BookingError, match="same_place"):
        create_booking(session, town["staff"],
                       _input(town, dropoff_place_id=rider.home_place_id), utcnow(), TOKYO)


def test_a_double_submit_is_refused(session: Session, town: dict[str, Any]) -> None:
    create_booking(session, town["staff"], _input(town), utcnow(), TOKYO)
    with pytest.raises(BookingError) as error:
        create_booking(session, town["staff"], _input(town), utcnow(), TOKYO)
    assert error.value.code == "duplicate"
    assert len(session.exec(select(RideRequest)).all()) == 2
