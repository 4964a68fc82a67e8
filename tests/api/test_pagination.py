"""Paged lists: limit and cursor, links to the next page, every row exactly once."""

from __future__ import annotations

from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import AuditLog, Place, PlaceKind
from tests.api.conftest import Api


def _add_places(app: Flask, town_id: int, n: int) -> None:
    with app.app_context(), Session(get_engine()) as session:
        for i in range(n):
            session.add(Place(town_id=town_id, kind=PlaceKind.SHOP, name=f"店{i}", lat=45.0,
                              lon=141.7))
        session.commit()


def test_following_next_visits_every_place_once(app: Flask, api: Api, town: dict) -> None:
    _add_places(app, town["town"].id, 7)  # with the clinic and 3 homes: 11 places
    seen, path, pages = [], "/places?limit=4", 0
    while path:
        body = api.get(path.removeprefix("/api/v1")).get_json()
        assert len(body["items"]) <= 4
        seen += [p["id"] for p in body["items"]]
        path, pages = body["links"]["next"], pages + 1
    assert pages == 3 and len(seen) == len(set(seen)) == 11
    other_ids = {town["other"]["clinic"].id, *(h.id for h in town["other"]["homes"])}
    assert not other_ids & set(seen)


def test_links_keep_the_filters(app: Flask, api: Api, town: dict) -> None:
    _add_places(app, town["town"].id, 3)
    body = api.get("/places?kind=shop&limit=2").get_json()
    assert [p["kind"] for p in body["items"]] == ["shop", "shop"]
    assert body["links"]["self"] == "/api/v1/places?kind=shop&limit=2"
    nxt = body["links"]["next"]
    assert "kind=shop" in nxt and "limit=2" in nxt and "cursor=" in nxt
    last = api.get(nxt.removeprefix("/api/v1")).get_json()
    assert len(last["items"]) == 1 and last["links"]["next"] is None


def test_a_forged_cursor_is_422(api: Api) -> None:
    for cursor in ("nonsense!", "LTE", "MA"):  # garbage, "-1", "0"
        response = api.get(f"/places?cursor={cursor}")
        assert response.status_code == 422, cursor
        assert response.get_json()["errors"][0]["field"] == "cursor"


def test_listing_residents_is_audited_per_resident(app: Flask, api: Api, town: dict) -> None:
    body = api.get("/residents?limit=2").get_json()
    listed = {r["id"] for r in body["items"]}
    assert len(listed) == 2 and body["links"]["next"]
    with app.app_context(), Session(get_engine()) as session:
        audited = set(session.exec(select(AuditLog.resident_id).where(
            AuditLog.entity == "resident", AuditLog.action == "list",
            AuditLog.actor == "api:sync")))
    assert audited == listed


def test_reading_a_resident_is_audited(app: Flask, api: Api, town: dict) -> None:
    rider = town["riders"][0]
    body = api.get(f"/residents/{rider.id}").get_json()
    assert body["phones"][0]["e164"] == "+81163221000"
    with app.app_context(), Session(get_engine()) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.action == "view",
                                                    AuditLog.resident_id == rider.id)).one()
        assert entry.actor == "api:sync" and entry.reason == "api"
