"""Safety nets: an outbound's cancel asks about its return, a weather day shows what it will
cancel and asks once more, a rider's cancel asks to confirm."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from flask import Flask, g
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import RequestStatus, RideRequest, Route, WindowKind, utcnow
from carshare.services.booking import BookingInput, create_booking, return_leg
from carshare.services.quoting import confirm
from carshare.services.trips import cancel_ride
from carshare.timeutil import TOKYO
from tests.conftest import csrf_token, login
from tests.factories import FUTURE, small_town


def _round_trip(session: Session, t: dict[str, Any], n: int = 0) -> RideRequest:
    rider = t["riders"][n]
    data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=t["clinic"].id, day=FUTURE,
                        window_kind=WindowKind.ARRIVE_BY, clock=time(9, 30),
                        return_mode="after", return_clock=time(10, 30))
    request = create_booking(session, t["staff"], data, utcnow(), TOKYO, quote=True).outbound
    confirm(session, t["staff"], request, t["offer"].id, TOKYO)
    inbound = return_leg(session, request.id)
    confirm(session, t["staff"], inbound, t["offer"].id, TOKYO)
    return request


def _status(session: Session, request_id: int) -> RequestStatus:
    session.expire_all()
    return session.get(RideRequest, request_id).status


def test_cancel_with_and_without_the_return(session: Session) -> None:
    t = small_town(session, seats=2)
    first, second = _round_trip(session, t, 0), _round_trip(session, t, 1)
    cancel_ride(session, t["staff"], first, "rider_cancel", "熱が出た", TOKYO, with_return=True)
    assert _status(session, return_leg(session, first.id).id) == RequestStatus.CANCELLED
    cancel_ride(session, t["staff"], second, "rider_cancel", "行きは家族が送る", TOKYO)
    assert _status(session, second.id) == RequestStatus.CANCELLED
    assert _status(session, return_leg(session, second.id).id) == RequestStatus.CONFIRMED


def _client(app: Flask, t: dict[str, Any]) -> FlaskClient:
    client = app.test_client()
    assert login(client, t["staff"].username, "x" * 12).status_code == 302
    g.pop("csrf_token", None)  # the test's app context outlives the sign-in's token
    return client


def test_staff_must_say_what_happens_to_the_return(app: Flask, session: Session) -> None:
    t = small_town(session, seats=2)
    request = _round_trip(session, t)
    client = _client(app, t)
    route_id = session.exec(select(Route.id)).all()[-1]
    page = client.get(f"/trips/{route_id}").get_data(as_text=True)
    assert "帰りも取り消す" in page and "帰りは残す" in page and "行き" in page
    form = {"csrf_token": csrf_token(page), "outcome": "rider_cancel", "reason": "入院"}
    refused = client.post(f"/requests/{request.id}/cancel", data=form)
    assert refused.status_code == 303 and _status(session, request.id) == RequestStatus.CONFIRMED
    done = client.post(f"/requests/{request.id}/cancel", data={**form, "return_too": "yes"})
    assert done.status_code == 302
    assert _status(session, request.id) == RequestStatus.CANCELLED
    assert _status(session, return_leg(session, request.id).id) == RequestStatus.CANCELLED


def test_weather_day_shows_the_rides_and_asks_once_more(app: Flask, session: Session) -> None:
    t = small_town(session, seats=2)
    request = _round_trip(session, t)
    client = _client(app, t)
    token = csrf_token(client.get("/weather").get_data(as_text=True))
    form = {"csrf_token": token, "day": FUTURE.isoformat(), "settlement": "", "reason": "吹雪"}
    preview = client.post("/weather", data=form)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "乗車2件を取り消します" in html and "利用0 花" in html
    assert _status(session, request.id) == RequestStatus.CONFIRMED  # nothing yet
    shown = re.search(r'name="shown" value="([\d,]*)"', html).group(1)
    late = _round_trip(session, t, 1)  # booked while staff read the list: left alone
    done = client.post("/weather", data={**form, "confirmed": "1", "shown": shown})
    assert done.status_code == 302
    assert _status(session, request.id) == RequestStatus.CANCELLED
    assert _status(session, late.id) == RequestStatus.CONFIRMED
    odd = client.post("/weather", data={**form, "confirmed": "1", "shown": "1,x,<b>,9" * 50})
    assert odd.status_code == 302  # odd ids are ignored, never a 500


def test_rider_is_asked_before_cancelling(client: FlaskClient, session: Session,
                                          demo: None) -> None:
    from carshare.models import Resident
    from tests.test_resident_signin import _sign_in

    suzuki = session.exec(select(Resident).where(Resident.family_name == "鈴木")).one()
    own = session.exec(select(RideRequest).where(
        RideRequest.rider_id == suzuki.id, RideRequest.window_end >= utcnow(),
        RideRequest.status.in_(("requested", "waiting", "planned", "confirmed")))).first()
    _sign_in(client, session, "鈴木")
    rides = client.get("/me/rides").get_data(as_text=True)
    assert f"/me/rides/{own.id}/cancel" in rides and "行き" in rides
    ask = client.get(f"/me/rides/{own.id}/cancel")
    assert ask.status_code == 200 and "取り消しますか" in ask.get_data(as_text=True)
    assert _status(session, own.id) != RequestStatus.CANCELLED  # asking cancels nothing
    other = session.exec(select(RideRequest).where(RideRequest.rider_id != suzuki.id)).first()
    assert client.get(f"/me/rides/{other.id}/cancel").status_code == 404
