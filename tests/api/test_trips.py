"""Plans and status updates through the API: the same rules as the driver's buttons."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import AuditLog, RequestStatus, RideRequest, TripEvent
from carshare.timeutil import TOKYO
from tests.api.conftest import Api
from tests.factories import FUTURE

AT = datetime.combine(FUTURE, time(9, 15)).isoformat() + "+09:00"


@pytest.fixture(autouse=True)
def on_the_trip_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The updates are sent on the trip's day: the API refuses a press later than its clock."""
    noon = datetime.combine(FUTURE, time(12), tzinfo=TOKYO)
    monkeypatch.setattr("carshare.api.trips.utcnow", lambda: noon)


@pytest.fixture
def confirmed(api: Api, town: dict[str, Any]) -> int:
    """A ride booked and confirmed through the API; return its request id."""
    rider = town["riders"][0]
    booked = api.post("/ride-requests", {
        "rider_id": rider.id, "pickup_place_id": rider.home_place_id,
        "dropoff_place_id": town["clinic"].id, "day": FUTURE.isoformat(),
        "window_kind": "arrive_by", "clock": "10:00"}).get_json()["outbound"]["id"]
    assert api.post(f"/ride-requests/{booked}/confirm",
                    {"offer_id": town["offer"].id}).status_code == 200
    return booked


def _press(api: Api, offer_id: int, kind: str, request_id: int | None, n: str, **extra: Any):  # type: ignore[no-untyped-def]
    return api.post(f"/trips/{offer_id}/events", {
        "day": FUTURE.isoformat(), "kind": kind, "request_id": request_id,
        "client_event_id": n, "happened_at": AT} | extra)


def test_the_plan_shows_the_confirmed_ride(api: Api, town: dict, confirmed: int) -> None:
    plan = api.get(f"/plans?day={FUTURE.isoformat()}").get_json()
    assert plan["status"] == "active"
    stops = plan["routes"][0]["stops"]
    assert [s["kind"] for s in stops] == ["start", "pickup", "dropoff", "end"]
    assert {s["request_id"] for s in stops} == {None, confirmed}
    assert api.get("/plans?day=2030-01-01").status_code == 404


def test_status_updates_in_order(app: Flask, api: Api, town: dict, confirmed: int) -> None:
    offer = town["offer"].id
    early = _press(api, offer, "dropped_off", confirmed, "a1")
    assert early.status_code == 409 and early.get_json()["type"].endswith("not_picked_up")
    assert _press(api, offer, "started", None, "s1").status_code == 201
    picked = _press(api, offer, "picked_up", confirmed, "p1")
    assert picked.status_code == 201
    repeat = _press(api, offer, "picked_up", confirmed, "p1")
    assert repeat.get_json()["id"] == picked.get_json()["id"]  # idempotent
    assert _press(api, offer, "dropped_off", confirmed, "d1").status_code == 201
    progress = api.get(f"/trips/{offer}/events?day={FUTURE.isoformat()}").get_json()
    assert progress["started"] is True
    assert [e["kind"] for e in progress["events"]] == ["started", "picked_up", "dropped_off"]
    with app.app_context(), Session(get_engine()) as session:
        assert session.get(RideRequest, confirmed).status == RequestStatus.COMPLETED
        assert session.exec(select(AuditLog).where(AuditLog.entity == "trip_event",
                                                   AuditLog.actor == "api:sync")).first()


def test_bad_status_updates_are_refused(app: Flask, api: Api, town: dict,
                                        confirmed: int) -> None:
    offer = town["offer"].id
    assert _press(api, offer, "no_show", confirmed, "n1").status_code == 422  # no reason
    response = _press(api, offer, "started", confirmed, "s1")
    assert response.status_code == 422  # started names no rider
    response = _press(api, offer, "picked_up", None, "p1")
    assert response.status_code == 422
    response = _press(api, offer, "picked_up", confirmed, "p1", happened_at="2026-12-01T09:15")
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == \
        "happened_at"
    other = town["riders"][1].id
    assert _press(api, offer, "picked_up", other, "p2").status_code == 422  # not on this trip
    assert _press(api, town["other"]["offer"].id, "started", None, "s9").status_code == 404
    with app.app_context(), Session(get_engine()) as session:
        assert session.exec(select(TripEvent)).first() is None


def test_a_read_token_cannot_report(reader: Api, town: dict, confirmed: int) -> None:
    response = _press(reader, town["offer"].id, "started", None, "s1")
    assert response.status_code == 403
