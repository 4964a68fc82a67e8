"""The town's travel settings: used by the planner, checked, audited, shown as a drive time."""

from __future__ import annotations

from datetime import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import AuditLog, RideRequest, TownTravelSettings, WindowKind, utcnow
from carshare.services.booking import BookingInput, create_booking
from carshare.services.quoting import answer
from carshare.services.travel import travel_for
from carshare.services.travel_settings import (
    TravelInput,
    TravelSettingsError,
    save_travel_settings,
)
from carshare.timeutil import TOKYO
from tests.conftest import csrf_token, login
from tests.factories import FUTURE, small_town

WINTER = (1.2, 1.2, 1.2, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.2)
FACTORS = {1: "1.5", 2: "1.5", 3: "1.5", 4: "1", 5: "1", 6: "0.95", 7: "0.95", 8: "0.95",
           9: "1", 10: "1", 11: "1.5", 12: "1.5"}
GOOD = {"circuity": "1.20", "speed_kmh": "50", **{f"month_{m}": v for m, v in FACTORS.items()}}


def _book(session: Session, t: dict) -> RideRequest:
    rider = t["riders"][0]
    data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=t["clinic"].id, day=FUTURE,
                        window_kind=WindowKind.ARRIVE_BY, clock=time(11))
    return create_booking(session, t["staff"], data, utcnow(), TOKYO).outbound


def test_the_setting_changes_the_planned_time(session: Session) -> None:
    t = small_town(session, seats=2)
    request = _book(session, t)
    before = answer(session, request, TOKYO).options[0]
    save_travel_settings(session, t["staff"], TravelInput(1.15, 29.0, WINTER))
    after = answer(session, request, TOKYO).options[0]
    ride = lambda o: o.option.arrival - o.option.pickup_time  # noqa: E731
    assert ride(after) > ride(before) * 1.8  # half the speed: about twice the ride
    assert request.window_start <= after.arrival <= request.window_end


def test_one_model_per_distinct_setting(session: Session) -> None:
    one, two = small_town(session, slug="one"), small_town(session, slug="two")
    assert travel_for(session, one["town"].id) is travel_for(session, two["town"].id)
    save_travel_settings(session, one["staff"], TravelInput(1.3, 40, WINTER))
    assert travel_for(session, one["town"].id) is not travel_for(session, two["town"].id)
    assert travel_for(session, one["town"].id).config.speed_kmh == 40


@pytest.mark.parametrize("values", [
    (0.9, 58, WINTER), (2.1, 58, WINTER), (1.15, 19, WINTER), (1.15, 101, WINTER),
    (1.15, 58, (0.69, *WINTER[1:])), (1.15, 58, (*WINTER[:11], 2.5)),
    (1.15, float("nan"), WINTER), (1.15, 58, (float("inf"), *WINTER[1:])), (1.15, 58, WINTER[:11]),
])
def test_implausible_values_are_refused(session: Session, values: tuple) -> None:
    t = small_town(session)
    with pytest.raises(TravelSettingsError):
        save_travel_settings(session, t["staff"], TravelInput(*values))
    session.rollback()
    assert session.exec(select(TownTravelSettings)).first() is None


def _admin(client: FlaskClient, lang: str = "ja") -> FlaskClient:
    assert login(client, "admin", "teshio-admin-2026").status_code == 302
    client.get(f"/lang/{lang}")
    return client


def _post(client: FlaskClient, **changes: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/settings/travel").get_data(as_text=True))
    data = {k: v for k, v in {**GOOD, **changes}.items() if v != ""}
    return client.post("/settings/travel", data={**data, "csrf_token": token})


def _rows(app: Flask, model: type) -> list:
    with app.app_context(), Session(get_engine()) as db:
        return list(db.exec(select(model)))


def test_the_page_shows_the_drive_to_wakkanai(client: FlaskClient, demo: None) -> None:
    html = _admin(client).get("/settings/travel").get_data(as_text=True)
    assert "天塩町役場 → 市立稚内病院（道のり約68km）" in html
    assert "4月 約70分・1月 約84分" in html
    assert "直線距離からの推定" in html  # which model: no road data in the demo
    client.get("/lang/en")
    html = client.get("/settings/travel").get_data(as_text=True)
    assert "April about 70 min · January about 84 min" in html


def test_admin_saves_and_the_change_is_audited(app: Flask, client: FlaskClient,
                                               demo: None) -> None:
    response = _post(_admin(client))
    assert response.status_code == 302
    [row] = _rows(app, TownTravelSettings)
    assert (row.circuity, row.speed_kmh) == (1.2, 50.0)
    assert row.factors == (1.5, 1.5, 1.5, 1.0, 1.0, 0.95, 0.95, 0.95, 1.0, 1.0, 1.5, 1.5)
    [entry] = [e for e in _rows(app, AuditLog) if e.entity == "town_travel_settings"]
    assert entry.actor == "admin" and entry.entity_id == row.id
    assert "speed_kmh: 58.0 → 50.0" in entry.reason
    html = client.get("/settings/travel").get_data(as_text=True)
    # 59.06 km x 1.2 = 70.9 km at 50 km/h: 85 min; summer x 0.95: 81; winter x 1.5: 128 min
    assert "6月 約81分・1月 約128分" in html


@pytest.mark.parametrize(("changes", "message"), [
    ({"speed_kmh": "10"}, "20〜100の数値を入力してください。"),
    ({"speed_kmh": "150"}, "20〜100の数値を入力してください。"),
    ({"circuity": "0.8"}, "1.0〜2.0の数値を入力してください。"),
    ({"month_2": "3"}, "0.7〜2.0の数値を入力してください。"),
    ({"month_12": "0.5"}, "0.7〜2.0の数値を入力してください。"),
    ({"month_7": ""}, "数値を入力してください。"),
    ({"circuity": "abc"}, "<p class=\"error\""),
    ({"speed_kmh": ""}, "数値を入力してください。"),
])
def test_bad_input_is_refused_and_nothing_stored(app: Flask, client: FlaskClient, demo: None,
                                                 changes: dict, message: str) -> None:
    response = _post(_admin(client), **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _rows(app, TownTravelSettings) == []
    assert not [e for e in _rows(app, AuditLog) if e.entity == "town_travel_settings"]


def test_staff_may_not_change_the_settings(app: Flask, staff_client: FlaskClient) -> None:
    assert staff_client.get("/settings/travel").status_code == 403
    token = csrf_token(staff_client.get("/dashboard").get_data(as_text=True))
    response = staff_client.post("/settings/travel", data={**GOOD, "csrf_token": token})
    assert response.status_code == 403
    assert _rows(app, TownTravelSettings) == []
