"""Changing a booked ride: the old ride stays until the caller takes the new one."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from sqlmodel import Session, select

from carshare.models import RequestStatus, RideRequest, WindowKind, utcnow
from carshare.services.booking import BookingError, BookingInput, create_booking
from carshare.services.quotes import delete_abandoned_quotes
from carshare.services.quoting import confirm
from carshare.services.requests import put_on_waiting_list
from carshare.services.ride_changes import CHANGED, changeable
from carshare.timeutil import TOKYO
from tests.factories import FUTURE, small_town


def _booking(t: dict[str, Any], clock: time, back: time | None = time(11, 30),
             replaces: int | None = None) -> BookingInput:
    rider = t["riders"][0]
    return BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=t["clinic"].id, day=FUTURE,
                        window_kind=WindowKind.ARRIVE_BY, clock=clock,
                        return_mode="after" if back else "none", return_clock=back,
                        replaces_id=replaces)


def _booked(session: Session, t: dict[str, Any]) -> RideRequest:
    """A ride booked and confirmed at 10:00 with its return at 11:30."""
    ride = create_booking(session, t["staff"], _booking(t, time(10)), utcnow(), TOKYO,
                          quote=True).outbound
    confirm(session, t["staff"], ride, t["offer"].id, TOKYO)
    return ride


def _status(session: Session, request_id: int) -> tuple[RequestStatus, str | None]:
    session.expire_all()
    ride = session.get(RideRequest, request_id)
    return ride.status, ride.outcome_code


def _return_of(session: Session, ride: RideRequest) -> RideRequest:
    return session.exec(select(RideRequest).where(RideRequest.outbound_id == ride.id)).one()


def test_the_old_ride_stays_until_the_new_one_is_taken(session: Session) -> None:
    t = small_town(session, seats=2)
    old = _booked(session, t)
    new = create_booking(session, t["staff"], _booking(t, time(10, 30), replaces=old.id),
                         utcnow(), TOKYO, quote=True).outbound
    assert _status(session, old.id) == (RequestStatus.CONFIRMED, None)  # only a quote so far
    confirm(session, t["staff"], new, t["offer"].id, TOKYO)
    assert _status(session, old.id) == (RequestStatus.CANCELLED, CHANGED)
    assert _status(session, _return_of(session, old).id) == (RequestStatus.CANCELLED, CHANGED)
    assert _status(session, new.id)[0] == RequestStatus.CONFIRMED
    assert _return_of(session, new).status == RequestStatus.REQUESTED


def test_the_same_ride_at_the_same_time_is_no_duplicate_of_itself(session: Session) -> None:
    t = small_town(session, seats=2)
    old = _booked(session, t)
    with pytest.raises(BookingError) as caught:  # a new booking is a duplicate
        create_booking(session, t["staff"], _booking(t, time(10)), utcnow(), TOKYO, quote=True)
    assert caught.value.code == "duplicate"
    session.rollback()
    new = create_booking(session, t["staff"], _booking(t, time(10), back=None, replaces=old.id),
                         utcnow(), TOKYO, quote=True).outbound
    confirm(session, t["staff"], new, t["offer"].id, TOKYO)  # the return is dropped by the change
    assert _status(session, old.id) == (RequestStatus.CANCELLED, CHANGED)
    assert _status(session, new.id)[0] == RequestStatus.CONFIRMED


def test_an_abandoned_change_leaves_the_ride_booked(session: Session) -> None:
    t = small_town(session, seats=2)
    old = _booked(session, t)
    create_booking(session, t["staff"], _booking(t, time(10, 30), replaces=old.id), utcnow(),
                   TOKYO, quote=True)
    from datetime import timedelta

    assert delete_abandoned_quotes(session, utcnow() + timedelta(hours=1)) == 2
    assert _status(session, old.id) == (RequestStatus.CONFIRMED, None)


def test_a_change_put_on_the_waiting_list_replaces_the_ride(session: Session) -> None:
    t = small_town(session, seats=2)
    old = _booked(session, t)
    new = create_booking(session, t["staff"], _booking(t, time(10, 30), replaces=old.id),
                         utcnow(), TOKYO, quote=True).outbound
    put_on_waiting_list(session, t["staff"], new, TOKYO)
    assert _status(session, old.id) == (RequestStatus.CANCELLED, CHANGED)
    assert _status(session, new.id)[0] == RequestStatus.WAITING


def test_only_the_riders_open_outbound_ride_can_be_changed(session: Session) -> None:
    t = small_town(session, seats=2)
    old = _booked(session, t)
    back = _return_of(session, old)
    assert changeable(session, t["riders"][0].id, old.id) is not None
    assert changeable(session, t["riders"][1].id, old.id) is None  # another rider's
    assert changeable(session, t["riders"][0].id, back.id) is None  # a return leg
    other = t["riders"][1]
    with pytest.raises(BookingError) as caught:
        create_booking(session, t["staff"], BookingInput(
            rider_id=other.id, pickup_place_id=other.home_place_id,
            dropoff_place_id=t["clinic"].id, day=FUTURE, window_kind=WindowKind.ARRIVE_BY,
            clock=time(9), replaces_id=old.id), utcnow(), TOKYO, quote=True)
    assert caught.value.code == "not_changeable"
    session.rollback()
    assert _status(session, old.id) == (RequestStatus.CONFIRMED, None)
