"""Records through the API: residents, places and offers, with the console's rules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import AuditLog, Offer, OfferStatus
from carshare.services.reports import monthly_report
from tests.api.conftest import Api
from tests.factories import FUTURE

RESIDENT = {"family_name": "山田", "given_name": "花子", "family_name_kana": "やまだ",
            "given_name_kana": "ハナコ", "phones": ["０１６３－２２－９９９９"],
            "contact_channel": "voice"}


def test_resident_create_change_deactivate(app: Flask, api: Api) -> None:
    created = api.post("/residents", RESIDENT)
    assert created.status_code == 201
    body = created.get_json()
    assert body["family_name_kana"] == "ヤマダ" and body["phones"][0]["e164"] == "+81163229999"
    refused = api.send("PUT", f"/residents/{body['id']}", RESIDENT | {"walker": True})
    assert refused.status_code == 422  # needs are kept only with the resident's consent
    assert refused.get_json()["errors"][0]["code"] == "needs_without_consent"
    consent = {"needs": {"given_on": "2026-01-05", "method": "paper"}}
    changed = api.send("PUT", f"/residents/{body['id']}",
                       RESIDENT | {"walker": True, "language": "en", "consents": consent})
    assert changed.status_code == 200
    assert (changed.get_json()["walker"], changed.get_json()["language"]) == (True, "en")
    assert changed.get_json()["consents"] == [{"scope": "needs", "given_on": "2026-01-05",
                                               "method": "paper"}]
    future = {"rides": {"given_on": "2099-01-01", "method": "phone"}}
    refused = api.send("PUT", f"/residents/{body['id']}", RESIDENT | {"consents": future})
    assert refused.get_json()["errors"][0]["field"] == "consents.rides.given_on"
    found = api.get("/residents?q=やまだ").get_json()["items"]
    assert [r["id"] for r in found] == [body["id"]]
    gone = api.post(f"/residents/{body['id']}/deactivate")
    assert gone.status_code == 200 and gone.get_json()["active"] is False
    assert api.get("/residents?q=やまだ").get_json()["items"] == []
    assert len(api.get("/residents?q=やまだ&state=inactive").get_json()["items"]) == 1
    with app.app_context(), Session(get_engine()) as session:
        actions = set(session.exec(select(AuditLog.action).where(
            AuditLog.resident_id == body["id"])))
    assert {"create", "update", "deactivate", "list"} <= actions


def test_kana_that_grows_when_folded_and_birth_year(api: Api) -> None:
    response = api.post("/residents", RESIDENT | {"family_name_kana": "㌀" * 30})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "family_name_kana"
    future = api.post("/residents", RESIDENT | {"birth_year": 2099})
    assert future.status_code == 422 and future.get_json()["errors"][0]["field"] == "birth_year"
    born = api.post("/residents", RESIDENT | {"birth_year": 1942})
    assert born.status_code == 201 and born.get_json()["birth_year"] == 1942


def test_a_taken_phone_is_409(api: Api, town: dict) -> None:
    response = api.post("/residents", RESIDENT | {"phones": ["0163-22-1000"]})
    assert response.status_code == 409
    assert response.get_json()["errors"][0] == {
        "field": "phones.0", "code": "phone_taken",
        "message": "This phone number already belongs to a registered resident."}


def test_place_in_use_cannot_be_deactivated(api: Api, town: dict) -> None:
    response = api.post(f"/places/{town['homes'][0].id}/deactivate")
    assert response.status_code == 409 and response.get_json()["type"].endswith("place_in_use")
    shop = api.post("/places", {"kind": "shop", "name": "商店", "lat": 45.0,
                                "lon": 141.7}).get_json()
    assert api.post(f"/places/{shop['id']}/deactivate").get_json()["active"] is False


def _offer(town: dict[str, Any], **extra: Any) -> dict[str, Any]:
    home = town["homes"][2].id
    return {"vehicle_id": town["car"].id, "service_date": (FUTURE + timedelta(1)).isoformat(),
            "depart_after": "13:00", "return_by": "17:30", "start_place_id": home,
            "end_place_id": home, "seats": 2} | extra


def test_offer_create_change_withdraw(app: Flask, api: Api, town: dict) -> None:
    created = api.post("/offers", _offer(town))
    assert created.status_code == 201
    offer = created.get_json()
    assert (offer["depart_after"], offer["return_by"]) == ("13:00", "17:30")
    assert api.send("PUT", f"/offers/{offer['id']}", _offer(town, note="雨天中止")).get_json()[
        "note"] == "雨天中止"
    day = (FUTURE + timedelta(1)).isoformat()
    assert [o["id"] for o in api.get(f"/offers?day={day}").get_json()["items"]] == [offer["id"]]
    withdrawn = api.post(f"/offers/{offer['id']}/withdraw")
    assert withdrawn.get_json()["status"] == "withdrawn"
    with app.app_context(), Session(get_engine()) as session:
        assert session.get(Offer, offer["id"]).status == OfferStatus.WITHDRAWN


def test_offer_rules(api: Api, town: dict) -> None:
    both = api.post("/offers", _offer(town, weekday=2))
    assert both.status_code == 422 and both.get_json()["errors"][0]["field"] == "weekday"
    late = api.post("/offers", _offer(town, depart_after="18:00"))
    assert late.get_json()["errors"][0]["field"] == "return_by"
    seats = api.post("/offers", _offer(town, seats=9))
    assert seats.get_json()["errors"][0]["field"] == "seats"  # the car has 3
    car = api.post("/offers", _offer(town, vehicle_id=town["other"]["car"].id))
    assert car.get_json()["errors"][0]["field"] == "vehicle_id"
    clock = api.post("/offers", _offer(town, depart_after="1pm"))
    assert clock.get_json()["errors"][0] == {"field": "depart_after", "code": "time_parsing",
                                             "message": "Enter a time as HH:MM."}


def test_report_figures_are_the_services(app: Flask, api: Api, town: dict) -> None:
    rider = town["riders"][0]
    api.post("/ride-requests", {"rider_id": rider.id, "pickup_place_id": rider.home_place_id,
                                "dropoff_place_id": town["clinic"].id,
                                "day": FUTURE.isoformat(), "window_kind": "arrive_by",
                                "clock": "10:00"})
    start, end = FUTURE.replace(day=1), FUTURE + timedelta(days=1)
    body = api.get(f"/reports?start={start}&end={end}").get_json()
    with app.app_context(), Session(get_engine()) as session:
        expected = monthly_report(session, town["town"].id, start, end)
    assert (body["requested"], body["open"], body["served"]) == (expected.requested,
                                                                 expected.open, 0) == (1, 1, 0)
    assert body["months"][0]["requested"] == 1


def test_report_ranges(api: Api, town: dict) -> None:
    empty = api.get("/reports?start=2030-01-01&end=2030-01-31").get_json()
    assert empty["requested"] == 0 and empty["repeat_rate"] is None
    inverted = api.get("/reports?start=2030-02-01&end=2030-01-01")
    assert inverted.status_code == 422 and inverted.get_json()["errors"][0]["field"] == "end"
    long = api.get(f"/reports?start=2020-01-01&end={date(2029, 1, 1)}")
    assert long.status_code == 422 and long.get_json()["type"].endswith("too_long")
