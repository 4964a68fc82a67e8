"""Booking through the API: store the request, the instant quote, confirm, cancel."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlmodel import Session, func, select

from carshare.db import get_engine
from carshare.models import Notification, RideRequest
from tests.api.conftest import Api
from tests.factories import FUTURE


def _booking(town: dict[str, Any], n: int = 0, **extra: Any) -> dict[str, Any]:
    rider = town["riders"][n]
    return {"rider_id": rider.id, "pickup_place_id": rider.home_place_id,
            "dropoff_place_id": town["clinic"].id, "day": FUTURE.isoformat(),
            "window_kind": "arrive_by", "clock": "10:00"} | extra


def test_book_quote_confirm(app: Flask, api: Api, town: dict) -> None:
    response = api.post("/ride-requests", _booking(town, return_mode="after",
                                                   return_clock="11:30"))
    assert response.status_code == 201
    booked = response.get_json()
    outbound, inbound = booked["outbound"], booked["inbound"]
    assert outbound["status"] == "requested" and inbound["outbound_id"] == outbound["id"]
    assert outbound["channel"] == inbound["channel"] == "api"

    quote = api.get(f"/ride-requests/{outbound['id']}/quote").get_json()
    assert quote["reason"] is None and quote["options"]
    option = quote["options"][0]
    assert option["offer_id"] == town["offer"].id and option["driver_given_name"] == "太郎"
    assert option["pickup_start"] <= option["pickup_end"] <= option["arrival"]

    confirmed = api.post(f"/ride-requests/{outbound['id']}/confirm",
                         {"offer_id": option["offer_id"]})
    assert confirmed.status_code == 200
    body = confirmed.get_json()
    assert body["status"] == "confirmed" and body["promised_offer_id"] == town["offer"].id
    assert body["promised_pickup_start"] is not None
    with app.app_context(), Session(get_engine()) as session:
        told = session.exec(select(func.count()).select_from(Notification)).one()
    assert told >= 1  # the rider's confirmation went to the outbox

    again = api.post(f"/ride-requests/{outbound['id']}/confirm", {"offer_id": option["offer_id"]})
    assert again.status_code == 409 and again.get_json()["type"].endswith("not_open")
    assert api.get(f"/ride-requests/{outbound['id']}/quote").status_code == 409


def test_confirming_an_offer_that_cannot_take_it_is_409(api: Api, town: dict) -> None:
    request_id = api.post("/ride-requests", _booking(town)).get_json()["outbound"]["id"]
    other_offer = town["other"]["offer"].id
    response = api.post(f"/ride-requests/{request_id}/confirm", {"offer_id": other_offer})
    assert response.status_code == 409 and response.get_json()["type"].endswith("option_gone")
    assert api.get(f"/ride-requests/{request_id}").get_json()["status"] == "requested"


def test_a_duplicate_booking_is_409_and_not_stored(app: Flask, api: Api, town: dict) -> None:
    assert api.post("/ride-requests", _booking(town)).status_code == 201
    response = api.post("/ride-requests", _booking(town))
    assert response.status_code == 409
    with app.app_context(), Session(get_engine()) as session:
        assert session.exec(select(func.count()).select_from(RideRequest)).one() == 1


def test_a_time_in_the_past_is_422(api: Api, town: dict) -> None:
    response = api.post("/ride-requests", _booking(town, day="2001-01-01"))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "clock"


def test_cancel_and_wait(api: Api, town: dict) -> None:
    request_id = api.post("/ride-requests", _booking(town)).get_json()["outbound"]["id"]
    waiting = api.post(f"/ride-requests/{request_id}/wait")
    assert waiting.status_code == 200 and waiting.get_json()["status"] == "waiting"
    bad = api.post(f"/ride-requests/{request_id}/cancel", {"outcome": "bored", "reason": "x"})
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "outcome"
    done = api.post(f"/ride-requests/{request_id}/cancel",
                    {"outcome": "rider_cancel", "reason": "電話で取り消し"})
    assert done.status_code == 200
    assert (done.get_json()["status"], done.get_json()["outcome_code"]) == ("cancelled",
                                                                           "rider_cancel")
    again = api.post(f"/ride-requests/{request_id}/cancel",
                     {"outcome": "rider_cancel", "reason": "again"})
    assert again.status_code == 409
    assert api.post(f"/ride-requests/{request_id}/wait").status_code == 409


def test_lists_by_day_and_status(api: Api, town: dict) -> None:
    first = api.post("/ride-requests", _booking(town)).get_json()["outbound"]["id"]
    api.post("/ride-requests", _booking(town, 1, clock="11:00"))
    day = FUTURE.isoformat()
    assert len(api.get(f"/ride-requests?day={day}").get_json()["items"]) == 2
    assert api.get("/ride-requests?day=2030-01-01").get_json()["items"] == []
    only = api.get(f"/ride-requests?rider_id={town['riders'][0].id}").get_json()["items"]
    assert [r["id"] for r in only] == [first]
    assert api.get("/ride-requests?status=confirmed").get_json()["items"] == []
