"""Bad input: wrong types, unknown fields, other towns' ids, bad media types — 4xx, nothing
written, the same problem shape, in the caller's language."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, func, select

from carshare.db import get_engine
from carshare.models import Place, Resident, RideRequest
from tests.api.conftest import Api
from tests.factories import FUTURE


def _count(app: Flask, model: Any) -> int:
    with app.app_context(), Session(get_engine()) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _fields(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    assert response.content_type == "application/problem+json"
    return {e["field"]: e["code"] for e in response.get_json()["errors"]}


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"kind": "clinic", "name": "A", "lat": "45.1", "lon": 141.7}, "lat", "float_type"),
    ({"kind": "clinic", "name": "A", "lat": True, "lon": 141.7}, "lat", "float_type"),
    ({"kind": "castle", "name": "A", "lat": 45.1, "lon": 141.7}, "kind", "enum"),
    ({"kind": "clinic", "name": "   ", "lat": 45.1, "lon": 141.7}, "name", "string_too_short"),
    ({"kind": "clinic", "name": "A\u0000", "lat": 45.1, "lon": 141.7}, "name",
     "control_character"),
    ({"kind": "clinic", "name": "A", "lat": 80.0, "lon": 141.7}, "lat", "less_than_equal"),
    ({"kind": "clinic", "name": "A", "lat": 45.1}, "lon", "missing"),
    ({"kind": "clinic", "name": "A", "kana": "㌀" * 100, "lat": 45.1, "lon": 141.7}, "kana",
     "too_long"),  # folding to katakana makes it 400 characters
    ({"kind": "clinic", "name": "A", "lat": 45.1, "lon": 141.7, "town_id": 2}, "town_id",
     "extra_forbidden"),
])
def test_bad_place_is_422_and_nothing_written(app: Flask, api: Api, body: dict, field: str,
                                              code: str) -> None:
    before = _count(app, Place)
    response = api.post("/places", body)
    assert response.status_code == 422
    assert _fields(response)[field] == code
    assert _count(app, Place) == before


def test_wrong_types_in_a_booking(app: Flask, api: Api, town: dict) -> None:
    body = {"rider_id": "1", "pickup_place_id": 1.5, "dropoff_place_id": town["clinic"].id,
            "day": 20261201, "window_kind": "arrive_by", "clock": "25:00", "party_size": "2",
            "wheelchair": "yes"}
    response = api.post("/ride-requests", body)
    assert response.status_code == 422
    assert set(_fields(response)) >= {"rider_id", "pickup_place_id", "day", "clock",
                                      "party_size", "wheelchair"}
    assert _count(app, RideRequest) == 0


def test_messages_follow_accept_language(client, town: dict) -> None:  # type: ignore[no-untyped-def]
    body = {"kind": "clinic", "name": "A", "lat": 45.1}
    english = Api(client, town["write"], "en").post("/places", body).get_json()
    japanese = Api(client, town["write"], "ja").post("/places", body).get_json()
    assert english["errors"][0]["message"] == "This field is required."
    assert japanese["errors"][0]["message"] != english["errors"][0]["message"]
    assert japanese["title"] != english["title"]


def test_other_towns_ids_are_404(app: Flask, api: Api, town: dict) -> None:
    other = town["other"]
    for path in (f"/places/{other['clinic'].id}", f"/residents/{other['riders'][0].id}",
                 f"/offers/{other['offer'].id}", f"/trips/{other['offer'].id}/events"
                 f"?day={FUTURE.isoformat()}"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["type"].endswith("not_found")
    response = api.send("PUT", f"/places/{other['clinic'].id}",
                        {"kind": "clinic", "name": "奪取", "lat": 45.1, "lon": 141.7})
    assert response.status_code == 404
    with app.app_context(), Session(get_engine()) as session:
        assert session.get(Place, other["clinic"].id).name != "奪取"


def test_other_towns_ids_in_a_body_are_refused(app: Flask, api: Api, town: dict) -> None:
    other = town["other"]
    body = {"rider_id": other["riders"][0].id, "pickup_place_id": town["homes"][0].id,
            "dropoff_place_id": town["clinic"].id, "day": FUTURE.isoformat(),
            "window_kind": "arrive_by", "clock": "10:00"}
    response = api.post("/ride-requests", body)
    assert response.status_code == 422 and "rider_id" in _fields(response)
    body["rider_id"] = town["riders"][0].id
    body["dropoff_place_id"] = other["clinic"].id
    response = api.post("/ride-requests", body)
    assert response.status_code == 422 and "dropoff_place_id" in _fields(response)
    assert _count(app, RideRequest) == 0


def test_media_type_and_malformed_json(api: Api) -> None:
    response = api.client.post("/api/v1/places", data="kind=clinic",
                               headers=api.headers({"Content-Type": "text/plain"}))
    assert response.status_code == 415
    response = api.client.post("/api/v1/places", data="{not json",
                               headers=api.headers({"Content-Type": "application/json"}))
    assert response.status_code == 400 and response.get_json()["type"].endswith("malformed_json")
    response = api.post("/places", [1, 2])
    assert response.status_code == 422


def test_unknown_route_and_method(api: Api) -> None:
    for path in ("/nowhere", ""):
        response = api.get(path)
        assert response.status_code == 404
        assert response.content_type == "application/problem+json"
    response = api.send("DELETE", "/places")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    assert response.content_type == "application/problem+json"


def test_unknown_query_parameter_and_absurd_values(api: Api) -> None:
    assert "bogus" in _fields(api.get("/places?bogus=1"))
    assert "limit" in _fields(api.get("/places?limit=0"))
    assert "limit" in _fields(api.get("/places?limit=1000"))
    assert "day" in _fields(api.get("/plans?day=9999-12-31"))
    assert "day" in _fields(api.get("/ride-requests?day=tomorrow"))
    assert api.get("/places/99999999999").status_code == 404


def test_resident_phone_errors_name_the_field(app: Flask, api: Api) -> None:
    body = {"family_name": "山田", "given_name": "花子", "family_name_kana": "ヤマダ",
            "given_name_kana": "ハナコ", "phones": ["12345"]}
    before = _count(app, Resident)
    response = api.post("/residents", body)
    assert response.status_code == 422 and _fields(response) == {"phones.0": "invalid_phone"}
    assert _count(app, Resident) == before
