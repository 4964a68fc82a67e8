"""Offers through the API say where the driver is going and when (issue 17)."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import Offer
from tests.api.conftest import Api
from tests.factories import FUTURE


def _trip(town: dict[str, Any], **extra: Any) -> dict[str, Any]:
    home = town["homes"][2].id
    return {"vehicle_id": town["car"].id, "service_date": (FUTURE + timedelta(1)).isoformat(),
            "depart_after": "08:00", "return_by": "15:00", "start_place_id": home,
            "end_place_id": home, "destination_place_id": town["clinic"].id,
            "arrive_by": "10:00", "leave_after": "12:30", "seats": 2, "extra_minutes": 45} | extra


def _stored(app: Flask) -> list[Offer]:
    with app.app_context(), Session(get_engine()) as session:
        return list(session.exec(select(Offer).order_by(Offer.id)))


def test_a_planned_trip_is_created_and_changed(app: Flask, api: Api, town: dict) -> None:
    created = api.post("/offers", _trip(town))
    assert created.status_code == 201
    body = created.get_json()
    assert (body["arrive_by"], body["leave_after"]) == ("10:00", "12:30")
    assert (body["extra_minutes"], body["wheelchair_spaces"]) == (45, 0)
    changed = api.send("PUT", f"/offers/{body['id']}", _trip(
        town, leave_after=None, end_place_id=town["clinic"].id, extra_minutes=600))
    assert changed.status_code == 200
    assert (changed.get_json()["leave_after"], changed.get_json()["extra_minutes"]) == (None, 600)
    offer = _stored(app)[-1]
    assert (offer.arrive_by, offer.leave_after, offer.end_place_id) == (
        time(10), None, town["clinic"].id)


def test_an_availability_offer_has_no_own_times(api: Api, town: dict) -> None:
    body = api.post("/offers", _trip(town, destination_place_id=None, arrive_by=None,
                                     leave_after=None, extra_minutes=60)).get_json()
    assert (body["destination_place_id"], body["arrive_by"], body["extra_minutes"]) == (
        None, None, 60)


@pytest.mark.parametrize(("changes", "field", "code"), [
    ({"arrive_by": None}, "arrive_by", "arrive_by_missing"),
    ({"arrive_by": "07:30"}, "arrive_by", "arrive_outside_window"),
    ({"arrive_by": "15:30", "leave_after": None}, "arrive_by", "arrive_outside_window"),
    ({"leave_after": "09:00"}, "leave_after", "leave_outside_stay"),
    ({"leave_after": "15:01"}, "leave_after", "leave_outside_stay"),
    ({"leave_after": None}, "end_place_id", "one_way_ends_at_destination"),
    ({"destination_place_id": None}, "arrive_by", "own_times_need_destination"),
    ({"destination_place_id": None, "arrive_by": None}, "leave_after",
     "own_times_need_destination"),
    ({"wheelchair_spaces": 1}, "wheelchair_spaces", "wheelchair_over_vehicle"),
])
def test_broken_trip_rules_are_422_and_store_nothing(app: Flask, api: Api, town: dict,
                                                     changes: dict, field: str,
                                                     code: str) -> None:
    before = len(_stored(app))
    response = api.post("/offers", _trip(town, **changes))
    assert response.status_code == 422
    error = response.get_json()["errors"][0]
    assert (error["field"], error["code"]) == (field, code) and error["message"]
    assert len(_stored(app)) == before


@pytest.mark.parametrize("minutes", [-1, 601, "30", 1.5])
def test_extra_minutes_out_of_range_is_422(app: Flask, api: Api, town: dict,
                                           minutes: object) -> None:
    before = len(_stored(app))
    response = api.post("/offers", _trip(town, extra_minutes=minutes))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "extra_minutes"
    assert len(_stored(app)) == before


def test_rule_messages_are_translated(client: FlaskClient, town: dict) -> None:
    japanese = Api(client, town["write"], language="ja")
    body = japanese.post("/offers", _trip(town, arrive_by="16:00")).get_json()
    assert "到着" in body["errors"][0]["message"]
    english = Api(client, town["write"], language="en")
    body = english.post("/offers", _trip(town, arrive_by="16:00")).get_json()
    assert body["errors"][0]["message"] == (
        "The arrival must lie between the departure and the return time.")


def test_the_description_names_the_new_fields(api: Api) -> None:
    schemas = api.get("/openapi.json").get_json()["components"]["schemas"]
    fields = set(schemas["OfferIn"]["properties"])
    assert {"arrive_by", "leave_after", "wheelchair_spaces", "extra_minutes"} <= fields
    assert "detour_minutes" not in fields | set(schemas["OfferOut"]["properties"])
