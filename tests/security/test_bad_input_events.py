"""Trip events that cannot have happened: in 2099, days before the trip, a drop-off before
its pick-up. Refused from the driver's phone and from the API alike; nothing is stored and
the ride stays as it was (it used to show as completed, with a receipt)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import ApiScope, RequestStatus, RideRequest, TripEvent, utcnow
from carshare.services.api_tokens import create_token
from carshare.timeutil import TOKYO
from tests.security.conftest import World

FAR_EN = "This time is too far from the trip's day. Check the date and time."
FAR_JA = "この時刻は送迎の日から離れすぎています。日付と時刻を確認してください。"
BEFORE_EN = "The drop-off cannot be before the pick-up. Check the time."
BEFORE_JA = "降車を乗車より前にすることはできません。時刻を確認してください。"
QUEUED = {"X-Carshare-Queue": "1", "Accept-Language": "en"}


def _iso(at: datetime) -> str:
    return at.astimezone(TOKYO).isoformat()


def _events(app: Flask) -> list[tuple[str, int | None]]:
    with app.app_context(), Session(get_engine()) as session:
        return [(e.kind.value, e.request_id) for e in session.exec(select(TripEvent))]


def _status(app: Flask, request_id: int) -> RequestStatus:
    with app.app_context(), Session(get_engine()) as session:
        return session.get(RideRequest, request_id).status


def _phone(world: World, kind: str, at: datetime | str, n: str) -> Any:
    ids = world.a.ids
    return world.by_role["driver"].post(
        f"/driver/trips/{ids['offer_id']}/{ids['day_text']}/press", headers=QUEUED,
        data={"kind": kind, "request_id": ids["request_id"], "client_event_id": f"phone-event-{n}",
              "happened_at": at if isinstance(at, str) else _iso(at), "confirmed": "1"})


def _api(app: Flask, world: World, kind: str, at: datetime | str, n: str) -> Any:
    with app.app_context(), Session(get_engine()) as session:
        secret = create_token(session, world.a.data["town"].id, f"events-{n}", ApiScope.WRITE,
                              None, None).secret
    ids = world.a.ids
    return world.by_role["anonymous"].post(
        f"/api/v1/trips/{ids['offer_id']}/events",
        json={"day": ids["day_text"], "kind": kind, "request_id": ids["request_id"],
              "client_event_id": f"event-{n}",
              "happened_at": at if isinstance(at, str) else _iso(at)},
        headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"})


FAR_TIMES = {
    "in 2099": "2099-12-31T09:00:00+09:00",
    "a week before the trip": lambda: utcnow() - timedelta(days=6),
    "in the year 2000": "2000-01-01T09:00:00+09:00",
}


def _time(value: Any) -> Any:
    return value() if callable(value) else value


@pytest.mark.parametrize("label", list(FAR_TIMES))
def test_a_press_far_from_its_trip_is_refused_on_the_phone(app: Flask, world: World,
                                                           label: str) -> None:
    before = _events(app)
    response = _phone(world, "picked_up", _time(FAR_TIMES[label]), "far")
    if label == "in 2099":  # the phone's clock is never trusted ahead of ours: taken as now
        assert response.status_code == 200
        return
    assert response.status_code == 409
    assert response.get_json()["message"] in (FAR_EN, FAR_JA)
    assert _events(app) == before


@pytest.mark.parametrize("label", list(FAR_TIMES))
def test_a_press_far_from_its_trip_is_refused_by_the_api(app: Flask, world: World,
                                                         label: str) -> None:
    before = _events(app)
    response = _api(app, world, "picked_up", _time(FAR_TIMES[label]), "far")
    assert response.status_code == 422
    error = response.get_json()["errors"][0]
    assert error["field"] == "happened_at"
    assert error["code"] in ("event_time_far", "event_time_future")
    assert _events(app) == before


def test_a_press_in_the_future_is_refused_by_the_api(app: Flask, world: World) -> None:
    """Within the trip's days but an hour ahead of now: not yet happened."""
    before = _events(app)
    response = _api(app, world, "picked_up", utcnow() + timedelta(hours=1), "soon")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["code"] == "event_time_future"
    assert _events(app) == before


@contextmanager
def _an_hour_into_the_day() -> Iterator[None]:
    """Move the clock to 01:00 in Tokyo when it is earlier (ticking on).

    The world's trip is tomorrow; presses may start at the beginning of today. Just after
    midnight, "half an hour before ten minutes ago" would fall on the day before: too far.
    """
    now = utcnow().astimezone(TOKYO)
    one = datetime.combine(now.date(), time(1), tzinfo=TOKYO)
    if now >= one:
        yield
        return
    with time_machine.travel(one, tick=True):
        yield


@pytest.mark.parametrize("channel", ["phone", "api"])
def test_a_drop_off_before_its_pick_up_is_refused(app: Flask, world: World,
                                                  channel: str) -> None:
    with _an_hour_into_the_day():
        _drop_off_before_pick_up(app, world, channel)


def _drop_off_before_pick_up(app: Flask, world: World, channel: str) -> None:
    send = _phone if channel == "phone" else (lambda w, *a: _api(app, w, *a))
    picked = utcnow() - timedelta(minutes=10)
    assert send(world, "picked_up", picked, "p").status_code in (200, 201)
    early = send(world, "dropped_off", picked - timedelta(minutes=30), "d")
    assert early.status_code in (409, 422)
    body = early.get_json()
    text = body.get("message") or body["detail"]
    assert text in (BEFORE_EN, BEFORE_JA)
    assert ("dropped_off", world.a.ids["request_id"]) not in _events(app)
    assert _status(app, world.a.ids["request_id"]) is not RequestStatus.COMPLETED
    later = send(world, "dropped_off", picked + timedelta(minutes=5), "d2")
    assert later.status_code in (200, 201)
    assert _status(app, world.a.ids["request_id"]) is RequestStatus.COMPLETED
