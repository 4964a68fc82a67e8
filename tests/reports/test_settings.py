"""The admin's report and open-data settings: stored, audited, used; bad input refused."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import AuditLog, Town
from tests.conftest import csrf_token

GOOD = {"office_phone": "01632-2-2222", "website": "https://town.example.jp/",
        "service_start": "09:00", "service_end": "16:00", "booking_cutoff": "15:30",
        "taxi_base_fare_yen": "800", "taxi_yen_per_km": "300", "co2_g_per_km": "120",
        "day_0": "y", "day_2": "y", "day_4": "y"}


def save(client: FlaskClient, **changes: str):  # type: ignore[no-untyped-def]
    """Post the settings form with ``GOOD`` values changed by ``changes`` ("" drops one)."""
    token = csrf_token(client.get("/reports/settings").get_data(as_text=True))
    data = {k: v for k, v in {**GOOD, **changes}.items() if v != ""}
    return client.post("/reports/settings", data={**data, "csrf_token": token})


def town(app: Flask, town_id: int) -> Town:
    """Return the town as stored."""
    with app.app_context(), Session(get_engine()) as session:
        return session.get(Town, town_id)


def test_staff_may_not_change_settings(staff: FlaskClient) -> None:
    assert staff.get("/reports/settings").status_code == 403
    assert "/reports/settings" not in staff.get("/reports/").get_data(as_text=True)


def test_admin_saves_settings_and_the_report_uses_them(app: Flask, admin: FlaskClient,
                                                       month: dict[str, Any]) -> None:
    assert save(admin).status_code == 302
    stored = town(app, month["town"].id)
    assert (stored.office_phone, stored.website, stored.service_days) == (
        "01632-2-2222", "https://town.example.jp/", "1010100")
    assert (stored.service_start, stored.service_end, stored.booking_cutoff) == (
        time(9), time(16), time(15, 30))
    assert (stored.taxi_base_fare_yen, stored.taxi_yen_per_km, stored.co2_g_per_km) == (
        800, 300, 120)
    html = admin.get("/reports/?start=2026-06-01&end=2026-06-30").get_data(as_text=True)
    # 3 x (800 + 300 x 13.9) + (800 + 300 x 27.799) = 3 x 4,970 + 9,140 (9,139.7 rounded)
    assert f"{3 * 4970 + 9140:,}" in html
    with app.app_context(), Session(get_engine()) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.entity == "town")).one()
    assert entry.actor == "rep-admin" and "taxi_base_fare_yen" in entry.reason


@pytest.mark.parametrize(("changes", "message"), [
    ({"service_end": "08:00"}, "The service must end after it starts."),
    ({"day_0": "", "day_2": "", "day_4": ""}, "Choose at least one day."),
    ({"co2_g_per_km": "-1"}, "This number is out of range."),
    ({"taxi_base_fare_yen": "500000"}, "This number is out of range."),
    ({"taxi_yen_per_km": "abc"}, "Not a valid integer value."),
    ({"website": "javascript:alert(1)"}, "starting with https://"),
    ({"office_phone": "call us"}, "digits and hyphens"),
    ({"service_start": "25:00"}, "Not a valid time value."),
])
def test_bad_settings_are_refused(app: Flask, admin: FlaskClient, month: dict[str, Any],
                                  changes: dict[str, str], message: str) -> None:
    response = save(admin, **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    stored = town(app, month["town"].id)
    assert (stored.taxi_base_fare_yen, stored.service_days) == (700, "1111100")
