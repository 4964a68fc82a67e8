"""The instant answer and its confirmation: promises kept, the last seat sold once."""

from __future__ import annotations

import threading
from datetime import time, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import (
    Plan,
    PlanStatus,
    RequestStatus,
    RideRequest,
    Route,
    StaffUser,
    Stop,
    WindowKind,
    utcnow,
)
from carshare.services import plans as plans_service
from carshare.services.booking import BookingInput, create_booking
from carshare.services.quoting import QuoteError, answer, confirm
from carshare.timeutil import TOKYO
from tests.factories import FUTURE, small_town


def _book(session: Session, t: dict[str, Any], n: int) -> RideRequest:
    rider = t["riders"][n]
    data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=t["clinic"].id, day=FUTURE,
                        window_kind=WindowKind.ARRIVE_BY, clock=time(10))
    return create_booking(session, t["staff"], data, utcnow(), TOKYO).outbound


def test_options_name_the_driver_and_fit_the_window(session: Session) -> None:
    t = small_town(session, seats=2)
    request = _book(session, t, 0)
    result = answer(session, request, TOKYO)
    assert [o.option.vehicle_id for o in result.options] == [t["offer"].id]
    option = result.options[0]
    assert request.window_start <= option.arrival <= request.window_end
    assert option.pickup_start <= option.pickup_end and option.shared_with == 0


def test_confirm_records_the_promise_and_a_plan(session: Session) -> None:
    t = small_town(session, seats=2)
    request = _book(session, t, 0)
    option = answer(session, request, TOKYO).options[0]
    confirm(session, t["staff"], request, t["offer"].id, TOKYO)
    session.expire_all()
    stored = session.get(RideRequest, request.id)
    assert stored.status == RequestStatus.CONFIRMED
    assert stored.promised_offer_id == t["offer"].id
    assert (stored.promised_pickup_start, stored.promised_pickup_end) == (option.pickup_start,
                                                                          option.pickup_end)
    plan = session.exec(select(Plan).where(Plan.status == PlanStatus.ACTIVE)).one()
    route = session.exec(select(Route).where(Route.plan_id == plan.id)).one()
    pickup = session.exec(select(Stop).where(Stop.route_id == route.id,
                                             Stop.request_id == request.id,
                                             Stop.kind == "pickup")).one()
    assert stored.promised_pickup_start <= pickup.service_start_at <= stored.promised_pickup_end
    assert route.peak_load == 1 <= route.seats


def test_a_second_rider_shares_the_car_and_the_first_promise_holds(session: Session) -> None:
    t = small_town(session, seats=2)
    first = _book(session, t, 0)
    confirm(session, t["staff"], first, t["offer"].id, TOKYO)
    second = _book(session, t, 1)
    result = answer(session, second, TOKYO)
    assert result.options and result.options[0].shared_with == 1
    confirm(session, t["staff"], second, t["offer"].id, TOKYO)
    session.expire_all()
    kept = session.get(RideRequest, first.id)
    stop = session.exec(select(Stop).join(Route).join(Plan).where(
        Plan.status == PlanStatus.ACTIVE, Stop.request_id == first.id,
        Stop.kind == "pickup")).one()
    assert kept.promised_pickup_start <= stop.service_start_at <= kept.promised_pickup_end


def test_the_last_seat_is_sold_once(session: Session) -> None:
    t = small_town(session, seats=1)
    first, second = _book(session, t, 0), _book(session, t, 1)
    assert answer(session, second, TOKYO).options  # offered before the first one confirms
    confirm(session, t["staff"], first, t["offer"].id, TOKYO)
    with pytest.raises(QuoteError, match="full"):
        confirm(session, t["staff"], second, t["offer"].id, TOKYO)
    result = answer(session, second, TOKYO)
    assert result.options == [] and result.reason is not None


def test_two_staff_confirming_at_the_same_moment(app: Flask, session: Session,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Both saw the seat; the day lock lets one in, the other re-checks and hears "full"."""
    t = small_town(session, seats=1)
    ids = [_book(session, t, 0).id, _book(session, t, 1).id]
    barrier, original = threading.Barrier(2, timeout=20), plans_service.lock_day

    waited: set[int] = set()

    def racing_lock(*args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        me = threading.get_ident()
        if me != threading.main_thread().ident and me not in waited:
            waited.add(me)
            barrier.wait()  # both reach the lock at the same moment
        return original(*args, **kwargs)

    monkeypatch.setattr("carshare.services.quoting.lock_day", racing_lock)
    outcomes: list[str] = []

    def book(request_id: int) -> None:
        with app.app_context(), Session(get_engine(), expire_on_commit=False) as own:
            staff = own.get(StaffUser, t["staff"].id)
            try:
                confirm(own, staff, own.get(RideRequest, request_id), t["offer"].id, TOKYO)
                outcomes.append("confirmed")
            except QuoteError as error:
                outcomes.append(error.code)

    threads = [threading.Thread(target=book, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["confirmed", "full"]
    session.expire_all()
    statuses = sorted(session.get(RideRequest, i).status for i in ids)
    assert statuses == [RequestStatus.CONFIRMED, RequestStatus.REQUESTED]
    assert len(session.exec(select(Plan).where(Plan.status == PlanStatus.ACTIVE)).all()) == 1


def test_no_offer_that_day_gives_a_reason(session: Session) -> None:
    t = small_town(session, seats=1)
    request = _book(session, t, 0)
    t["offer"].service_date = FUTURE + timedelta(days=1)
    session.add(t["offer"])
    session.commit()
    result = answer(session, request, TOKYO)
    assert result.options == [] and result.reason == "no_offer"
    assert result.alternatives and result.alternatives[0].day_offset == 1


def test_confirm_writes_the_rider_and_driver_notifications(session: Session) -> None:
    from carshare.models import Notification

    t = small_town(session, seats=2)
    request = _book(session, t, 0)
    t["offer"].auto_accept = True  # not asked: the rider is told at once (else see tests/driver)
    session.add(t["offer"])
    session.commit()
    confirm(session, t["staff"], request, t["offer"].id, TOKYO)
    rows = session.exec(select(Notification)).all()
    templates = {(row.resident_id, row.template) for row in rows}
    assert (request.rider_id, "confirmation") in templates
    assert (t["driver"].resident_id, "driver_change") in templates
    assert (t["driver"].resident_id, "driver_request") not in templates


def test_a_wheelchair_user_takes_the_space_not_a_seat(session: Session) -> None:
    t = small_town(session, seats=1)
    t["car"].wheelchair_spaces = t["offer"].wheelchair_spaces = 1
    rider = t["riders"][0]
    rider.wheelchair = True
    session.add_all([t["car"], t["offer"], rider])
    session.commit()
    data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=t["clinic"].id, day=FUTURE,
                        window_kind=WindowKind.ARRIVE_BY, clock=time(10), party_size=2,
                        wheelchair=True)  # the wheelchair user and a companion
    request = create_booking(session, t["staff"], data, utcnow(), TOKYO).outbound
    confirm(session, t["staff"], request, t["offer"].id, TOKYO)
    route = session.exec(select(Route)).one()
    assert (route.peak_load, route.peak_wheelchairs, route.seats) == (1, 1, 1)
