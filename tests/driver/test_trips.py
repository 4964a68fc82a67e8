"""The trip buttons: order rules, harmless repeats, offline replays, and who may press them."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import RequestStatus, RideRequest, TripEvent, TripEventKind
from carshare.services.trip_progress import events_for
from tests.conftest import csrf_token
from tests.driver.conftest import book, second_driver, sign_in, tomorrow


def _press(client: FlaskClient, town: dict[str, Any], kind: str, ride: RideRequest | None,
           queued: bool = False, event_id: str | None = None, reason: str = "",
           day: str | None = None, confirmed: bool = True):  # type: ignore[no-untyped-def]
    """Press a button; ``confirmed``: the driver already said "yes" to "is this right?"
    (tomorrow's trip is pressed today, far from its planned time)."""
    day = day or tomorrow().isoformat()
    data = {"kind": kind, "request_id": ride.id if ride else "", "reason": reason,
            "client_event_id": event_id or uuid.uuid4().hex}
    if confirmed:
        data["confirmed"] = "1"
    headers = {"X-Carshare-Queue": "1"} if queued else {}
    if not queued:
        data["csrf_token"] = csrf_token(client.get(f"/driver/day?day={day}")
                                        .get_data(as_text=True))
    return client.post(f"/driver/trips/{town['offer'].id}/{day}/press", data=data,
                       headers=headers)


def _kinds(session: Session, town: dict[str, Any]) -> list[str]:
    session.expire_all()
    return [e.kind.value for e in events_for(session, town["offer"].id, tomorrow()).events]


def test_a_trip_in_order(driver_client: FlaskClient, session: Session,
                         town: dict[str, Any]) -> None:
    ride = book(session, town, 0)
    html = driver_client.get(f"/driver/day?day={tomorrow().isoformat()}").get_data(as_text=True)
    assert "利用0様" in html and "花" not in html  # greeted by family name, nothing more
    assert "tel:+81163221000" in html and "geo:" in html
    for kind in ("started", "picked_up", "dropped_off"):
        assert _press(driver_client, town, kind, None if kind == "started" else ride
                      ).status_code == 302
    assert _kinds(session, town) == ["started", "picked_up", "dropped_off"]
    assert session.get(RideRequest, ride.id).status == RequestStatus.COMPLETED


def test_drop_off_before_pick_up_is_refused(driver_client: FlaskClient, session: Session,
                                            town: dict[str, Any]) -> None:
    ride = book(session, town, 0)
    response = _press(driver_client, town, "dropped_off", ride)
    assert response.status_code == 409
    assert "先に「乗車した」を押してください。" in response.get_data(as_text=True)
    assert _kinds(session, town) == []


def test_no_show_needs_a_reason_and_excludes_pick_up(driver_client: FlaskClient,
                                                     session: Session,
                                                     town: dict[str, Any]) -> None:
    ride = book(session, town, 0)
    assert _press(driver_client, town, "no_show", ride).status_code == 409
    assert _press(driver_client, town, "no_show", ride, reason="留守").status_code == 302
    assert _press(driver_client, town, "picked_up", ride).status_code == 409
    assert _press(driver_client, town, "dropped_off", ride).status_code == 409
    assert _kinds(session, town) == ["no_show"]
    assert session.get(RideRequest, ride.id).status == RequestStatus.NO_SHOW


def test_repeats_and_offline_replays_change_nothing(driver_client: FlaskClient,
                                                    session: Session,
                                                    town: dict[str, Any]) -> None:
    ride = book(session, town, 0)
    event_id = uuid.uuid4().hex
    for _ in range(2):
        response = _press(driver_client, town, "picked_up", ride, queued=True, event_id=event_id)
        assert response.status_code == 200 and response.json == {"ok": True}
    assert _press(driver_client, town, "picked_up", ride).status_code == 302
    assert _kinds(session, town) == ["picked_up"]
    stored = session.exec(select(TripEvent)).one()
    assert stored.client_event_id == event_id and stored.kind is TripEventKind.PICKED_UP


def test_queued_error_is_json(driver_client: FlaskClient, session: Session,
                              town: dict[str, Any]) -> None:
    ride = book(session, town, 0)
    response = _press(driver_client, town, "dropped_off", ride, queued=True)
    assert response.status_code == 409 and response.json["ok"] is False


def test_other_drivers_trip_and_far_days_are_404(client: FlaskClient, session: Session,
                                                 town: dict[str, Any]) -> None:
    ride = book(session, town, 0)
    second_driver(session, town)
    sign_in(client, session, "090-3333-4444")
    assert _press(client, town, "picked_up", ride, queued=True).status_code == 404
    far = (tomorrow() + timedelta(days=2)).isoformat()
    assert client.get(f"/driver/day?day={far}").status_code == 404
    assert client.get("/driver/day?day=not-a-date").status_code == 400
    assert _kinds(session, town) == []


@pytest.mark.parametrize("path", ["/driver/day", "/driver/offers", "/driver/calendar"])
def test_riders_without_a_driver_role_get_404(client: FlaskClient, session: Session,
                                              town: dict[str, Any], path: str) -> None:
    sign_in(client, session, "01632-2-1000")
    assert client.get(path).status_code == 404


def test_service_worker_and_script_are_served(driver_client: FlaskClient) -> None:
    response = driver_client.get("/driver/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert "caches" in response.get_data(as_text=True)
    html = driver_client.get("/driver/day").get_data(as_text=True)
    assert "<script>" not in html and "driver.js" in html


def test_a_press_far_from_the_plan_asks_first(driver_client: FlaskClient, session: Session,
                                              town: dict[str, Any]) -> None:
    ride = book(session, town, 0)  # tomorrow's trip, pressed now: hours from its time
    asked = _press(driver_client, town, "started", None, confirmed=False)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 409 and "よろしいですか" in html and "はい、記録します" in html
    assert _kinds(session, town) == []
    queued = _press(driver_client, town, "started", None, queued=True, confirmed=False)
    assert queued.status_code == 409 and queued.get_json()["ask"] is True
    assert "記録しますか" in queued.get_json()["message"]
    assert _press(driver_client, town, "started", None).status_code == 302
    assert _press(driver_client, town, "picked_up", ride).status_code == 302
    assert _kinds(session, town) == ["started", "picked_up"]


def test_a_press_can_be_taken_back_for_ten_minutes(driver_client: FlaskClient,
                                                   session: Session,
                                                   town: dict[str, Any]) -> None:
    from datetime import datetime

    from carshare.models import utcnow

    ride = book(session, town, 0)
    _press(driver_client, town, "started", None)
    _press(driver_client, town, "picked_up", ride)
    _press(driver_client, town, "dropped_off", ride)
    session.expire_all()
    assert session.get(RideRequest, ride.id).status == RequestStatus.COMPLETED
    events = {e.kind.value: e for e in events_for(session, town["offer"].id, tomorrow()).events}
    page = driver_client.get(f"/driver/day?day={tomorrow().isoformat()}").get_data(as_text=True)
    token = csrf_token(page)
    assert "取り消す（10分以内）" in page
    early = driver_client.post(f"/driver/events/{events['picked_up'].id}/undo",
                               data={"csrf_token": token})  # the drop-off depends on it
    assert early.status_code == 302 and _kinds(session, town) == ["started", "picked_up",
                                                                  "dropped_off"]
    assert driver_client.post(f"/driver/events/{events['dropped_off'].id}/undo",
                              data={"csrf_token": token}).status_code == 302
    session.expire_all()
    assert _kinds(session, town) == ["started", "picked_up"]
    assert session.get(RideRequest, ride.id).status == RequestStatus.CONFIRMED
    old = session.get(TripEvent, events["picked_up"].id)
    old.recorded_at = utcnow() - timedelta(minutes=11)
    session.add(old)
    session.commit()
    late = driver_client.post(f"/driver/events/{old.id}/undo", data={"csrf_token": token})
    assert late.status_code == 302 and "picked_up" in _kinds(session, town)
    assert isinstance(old.recorded_at, datetime)
