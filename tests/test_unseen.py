"""No rider left unseen: rides without a driver are at risk, on the call list, and alerted
in the reader's language with a link; today can be planned from now on."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask import Flask, g
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlmodel import Session, select

from carshare.domain.today import from_now_on, not_before
from carshare.domain.types import Place, Problem, Request, Vehicle, Window
from carshare.models import RequestStatus, RideRequest, Stop, WindowKind, utcnow
from carshare.services.booking import BookingInput, create_booking
from carshare.services.call_list import call_list
from carshare.services.dashboard import day_overview
from carshare.services.planning import TODAY_LEAD, plan_day
from carshare.timeutil import TOKYO
from tests.conftest import login
from tests.factories import FUTURE, small_town


def _book(session: Session, t: dict[str, Any], n: int, day=FUTURE,  # type: ignore[no-untyped-def]
          clock: time = time(10)) -> RideRequest:
    rider = t["riders"][n]
    data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=t["clinic"].id, day=day,
                        window_kind=WindowKind.ARRIVE_BY, clock=clock)
    return create_booking(session, t["staff"], data, utcnow(), TOKYO).outbound


def test_every_ride_without_a_driver_is_at_risk_and_on_the_call_list(session: Session) -> None:
    t = small_town(session, seats=1)
    first, second = _book(session, t, 0), _book(session, t, 1)
    plan_day(session, t["town"].id, FUTURE, TOKYO, time_limit_s=1, deterministic=True)
    session.expire_all()
    overview = day_overview(session, t["town"].id, FUTURE, TOKYO)
    waiting = [r.request.id for r in overview.risks if r.reason == "no_driver"]
    unserved = [r.id for r in (first, second)
                if session.get(RideRequest, r.id).status == RequestStatus.WAITING]
    assert len(unserved) == 1 and waiting == unserved
    risk = next(r for r in overview.risks if r.reason == "no_driver")
    assert risk.rider.id in {t["riders"][0].id, t["riders"][1].id}
    assert risk.detail == session.get(RideRequest, unserved[0]).outcome_code  # the planner's
    assert risk.detail in {"capacity", "time"}  # reason, which the dashboard translates
    items = call_list(session, t["town"].id, FUTURE, TOKYO)
    assert [(i.request.id, i.why) for i in items] == [(unserved[0], "no_driver")]


def test_a_request_nobody_planned_yet_is_at_risk_too(session: Session) -> None:
    t = small_town(session, seats=1)
    request = _book(session, t, 0)
    risks = day_overview(session, t["town"].id, FUTURE, TOKYO).risks
    assert [(r.request.id, r.reason, r.detail) for r in risks] == [(request.id, "no_driver",
                                                                     None)]


def _staff_client(app: Flask, t: dict[str, Any]) -> FlaskClient:
    client = app.test_client()
    assert login(client, t["staff"].username, "x" * 12).status_code == 302
    g.pop("csrf_token", None)  # the test's app context outlives the sign-in's token
    return client


def test_dashboard_call_list_and_alerts_name_the_rider_in_japanese(app: Flask,
                                                                   session: Session) -> None:
    from carshare.timeutil import local_today

    t = small_town(session, seats=1)
    tomorrow = local_today(TOKYO) + timedelta(days=1)
    t["offer"].service_date = tomorrow
    session.add(t["offer"])
    session.commit()
    for n in (0, 1):
        _book(session, t, n, day=tomorrow)
    plan_day(session, t["town"].id, tomorrow, TOKYO, time_limit_s=1, deterministic=True)
    client = _staff_client(app, t)
    html = client.get(f"/dashboard?day={local_today(TOKYO).isoformat()}").get_data(as_text=True)
    assert "ドライバー未定" in html and "利用" in html and "様" in html
    assert 'class="alert"' in html
    calls = client.get("/call-list").get_data(as_text=True)
    assert "ドライバー未定" in calls and "利用" in calls and "/requests/" in calls
    messages = client.get("/notifications/").get_data(as_text=True)
    assert "この予約にはドライバーが決まっていません。利用者に電話してください。" in messages
    assert "call the rider" not in messages and "/requests/" in messages
    client.get("/lang/en")
    refresh()  # this test's app context outlives the requests: forget the cached locale
    english = client.get("/notifications/").get_data(as_text=True)
    assert "No driver for this ride. Call the rider." in english


def test_planning_today_picks_nobody_up_in_the_past() -> None:
    places = (Place(0, "a", 44.9, 141.7), Place(1, "b", 45.0, 141.8))
    car = Vehicle(1, 0, 0, Window(0, 86400), seats=2)
    passed = Request(1, 0, 1, pickup_window=Window(3600, 5400))
    later = Request(2, 0, 1, pickup_window=Window(3600, 20000))
    arrive = Request(3, 0, 1, dropoff_window=Window(15000, 18000))
    problem = Problem(places, (car,), (passed, later, arrive))
    now = 7200
    seen = from_now_on(problem, now)
    assert [r.id for r in seen.requests] == [2, 3]
    assert seen.requests[0].pickup_window == Window(now, 20000)
    assert seen.requests[1].pickup_window == Window(now, 18000)
    assert seen.requests[1].dropoff_window == Window(15000, 18000)
    assert not_before(arrive, 18001) is None


def test_plan_today_from_the_dashboard_leaves_past_rides_alone(session: Session) -> None:
    t = small_town(session, seats=2)
    now = datetime.combine(FUTURE, time(8, 30), tzinfo=TOKYO)
    gone = _book(session, t, 0, clock=time(8, 45))  # at 08:30 it is too late to get there
    later = _book(session, t, 1, clock=time(10, 30))
    plan_day(session, t["town"].id, FUTURE, TOKYO, time_limit_s=1, deterministic=True, now=now)
    session.expire_all()
    assert session.get(RideRequest, gone.id).status == RequestStatus.REQUESTED  # untouched
    assert session.get(RideRequest, later.id).status == RequestStatus.PLANNED
    pickup = session.exec(select(Stop).where(Stop.request_id == later.id,
                                             Stop.kind == "pickup")).one()
    assert pickup.service_start_at >= now + TODAY_LEAD
