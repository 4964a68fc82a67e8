"""Quotes are not requests: options read out during a call leave no trace until taken."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from carshare.models import (
    QUOTE_MINUTES,
    RequestStatus,
    RideRequest,
    WindowKind,
    utcnow,
)
from carshare.services.api_queries import Window, ride_requests
from carshare.services.booking import BookingInput, create_booking, return_leg
from carshare.services.dashboard import day_overview
from carshare.services.planning import plan_day
from carshare.services.problem import day_data
from carshare.services.quotes import delete_abandoned_quotes
from carshare.services.quoting import QuoteError, answer, confirm, take_alternative
from carshare.services.requests import put_on_waiting_list
from carshare.services.rider_portal import upcoming
from carshare.timeutil import TOKYO
from tests.factories import FUTURE, small_town


def _quote(session: Session, t: dict[str, Any], n: int = 0, day=FUTURE,  # type: ignore[no-untyped-def]
           clock: time = time(10), back: time | None = time(11, 30),
           kind: WindowKind = WindowKind.ARRIVE_BY) -> RideRequest:
    rider = t["riders"][n]
    data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=t["clinic"].id, day=day, window_kind=kind, clock=clock,
                        return_mode="after" if back else "none", return_clock=back,
                        note="杖を使います")
    return create_booking(session, t["staff"], data, utcnow(), TOKYO, quote=True).outbound


def _statuses(session: Session) -> list[RequestStatus]:
    session.expire_all()
    return [r.status for r in session.exec(select(RideRequest).order_by(RideRequest.id))]


def test_a_quote_is_seen_by_nobody(session: Session) -> None:
    t = small_town(session, seats=2)
    request = _quote(session, t)
    assert answer(session, request, TOKYO).options  # the engine answers for it
    assert _statuses(session) == [RequestStatus.QUOTED, RequestStatus.QUOTED]
    assert day_overview(session, t["town"].id, FUTURE, TOKYO).requests == []
    assert day_data(session, t["town"].id, FUTURE, TOKYO).requests == {}
    assert upcoming(session, t["riders"][0], utcnow()) == []
    rows, _more = ride_requests(session, t["staff"], Window(0, 50), TOKYO)
    assert rows == []
    plan_day(session, t["town"].id, FUTURE, TOKYO)  # the nightly plan does not serve it
    assert _statuses(session) == [RequestStatus.QUOTED, RequestStatus.QUOTED]


def test_an_abandoned_quote_is_deleted_with_its_return(session: Session) -> None:
    t = small_town(session, seats=2)
    _quote(session, t)
    assert delete_abandoned_quotes(session, utcnow()) == 0  # still being read out
    later = utcnow() + timedelta(minutes=QUOTE_MINUTES + 1)
    assert delete_abandoned_quotes(session, later) == 2  # both legs
    assert _statuses(session) == []


def test_a_new_search_replaces_the_callers_quote(session: Session) -> None:
    t = small_town(session, seats=2)
    first = _quote(session, t)
    other = _quote(session, t, n=1)
    second = _quote(session, t, clock=time(10, 30))
    session.expire_all()
    left = [r.id for r in session.exec(select(RideRequest).where(
        RideRequest.outbound_id.is_(None)).order_by(RideRequest.id))]
    assert left == [other.id, second.id] and first.id not in left


def test_confirming_makes_both_legs_real(session: Session) -> None:
    t = small_town(session, seats=2)
    request = _quote(session, t)
    confirm(session, t["staff"], request, t["offer"].id, TOKYO)
    assert _statuses(session) == [RequestStatus.CONFIRMED, RequestStatus.REQUESTED]
    assert delete_abandoned_quotes(session, utcnow() + timedelta(days=1)) == 0
    assert len(day_overview(session, t["town"].id, FUTURE, TOKYO).requests) == 2


def test_the_waiting_list_makes_both_legs_real(session: Session) -> None:
    t = small_town(session, seats=2)
    request = _quote(session, t, day=FUTURE + timedelta(days=1))  # nobody drives that day
    put_on_waiting_list(session, t["staff"], request)
    assert _statuses(session) == [RequestStatus.WAITING, RequestStatus.REQUESTED]


def test_alternatives_keep_the_appointment_and_book_in_one_step(session: Session) -> None:
    t = small_town(session, seats=2)  # the driver is out 08:00-12:00, the clinic ~50 min away
    request = _quote(session, t, clock=time(13), back=None)
    result = answer(session, request, TOKYO)
    assert not result.options and result.alternatives
    deadline = request.window_end
    for alt in result.alternatives:  # earlier, never after the appointment
        assert alt.shift < 0 and alt.arrival <= deadline
    keys = [(a.day_offset, a.option.vehicle_id, a.pickup_start, a.arrival)
            for a in result.alternatives]
    assert len(keys) == len(set(keys))
    chosen = result.alternatives[0]
    take_alternative(session, t["staff"], request, chosen.option.vehicle_id, 0, chosen.shift,
                     TOKYO)
    session.expire_all()
    booked = session.get(RideRequest, request.id)
    assert booked.status == RequestStatus.CONFIRMED
    assert booked.window_end == deadline + timedelta(seconds=chosen.shift)
    assert booked.promised_pickup_start == chosen.pickup_start


def test_another_day_moves_the_return_too(session: Session) -> None:
    t = small_town(session, seats=2)
    request = _quote(session, t, day=FUTURE - timedelta(days=1))  # nobody drives that day
    result = answer(session, request, TOKYO)
    assert not result.options
    found = [a for a in result.alternatives if a.day_offset == 1]
    assert found and found[0].pickup_start.astimezone(TOKYO).date() == FUTURE
    take_alternative(session, t["staff"], request, t["offer"].id, 1, 0, TOKYO)
    session.expire_all()
    outbound = session.get(RideRequest, request.id)
    inbound = return_leg(session, request.id)
    assert outbound.status == RequestStatus.CONFIRMED
    assert outbound.window_end.astimezone(TOKYO).date() == FUTURE
    assert inbound.status == RequestStatus.REQUESTED
    assert inbound.window_start.astimezone(TOKYO).date() == FUTURE
    assert inbound.window_start.astimezone(TOKYO).time() == time(11, 30)


@pytest.mark.parametrize("day_offset,shift", [(0, 1800), (0, 1234), (9, 0), (-1, 0),
                                              (1, -50000)])
def test_an_alternative_that_was_not_offered_is_refused(session: Session, day_offset: int,
                                                        shift: int) -> None:
    t = small_town(session, seats=2)
    request = _quote(session, t, clock=time(13), back=None)
    before = (request.window_start, request.window_end)
    with pytest.raises(QuoteError) as raised:
        take_alternative(session, t["staff"], request, t["offer"].id, day_offset, shift, TOKYO)
    assert raised.value.code == "bad_alternative"
    session.rollback()
    session.expire_all()
    stored = session.get(RideRequest, request.id)
    assert (stored.window_start, stored.window_end, stored.status) == (*before,
                                                                       RequestStatus.QUOTED)


def test_a_call_for_a_time_nobody_drives_gets_the_nearest_days(session: Session) -> None:
    t = small_town(session, seats=2)  # only FUTURE, 08:00-12:00
    request = _quote(session, t, day=FUTURE - timedelta(days=2), clock=time(21), back=None)
    result = answer(session, request, TOKYO)
    assert not result.options and result.alternatives
    alt = result.alternatives[0]
    assert alt.day_offset == 2 and alt.shift != 0
    assert alt.arrival.astimezone(TOKYO).date() == FUTURE
    take_alternative(session, t["staff"], request, alt.option.vehicle_id, alt.day_offset,
                     alt.shift, TOKYO)
    session.expire_all()
    booked = session.get(RideRequest, request.id)
    assert booked.status == RequestStatus.CONFIRMED
    assert booked.window_end.astimezone(TOKYO).date() == FUTURE
