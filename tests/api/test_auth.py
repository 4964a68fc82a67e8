"""API authentication: bearer tokens only, read/write scopes, the shared problem shape."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import ApiScope, ApiToken, AuditLog, Place
from carshare.services.api_tokens import revoke_token
from tests.api.conftest import Api
from tests.conftest import login

PLACE = {"kind": "clinic", "name": "新しい診療所", "lat": 45.1, "lon": 141.7}


def _assert_problem(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["status"] == status and body["type"].endswith(code)
    return body


def test_missing_token_is_401_with_a_challenge(client: FlaskClient, town: dict) -> None:
    response = client.get("/api/v1/places")
    _assert_problem(response, 401, "token_missing")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_wrong_token_and_wrong_scheme_are_401(client: FlaskClient, town: dict) -> None:
    _assert_problem(Api(client, "cs_nonsense").get("/places"), 401, "token_invalid")
    response = client.get("/api/v1/places", headers={"Authorization": f"Basic {town['write']}"})
    _assert_problem(response, 401, "token_missing")


def test_revoked_token_is_401(app: Flask, client: FlaskClient, town: dict) -> None:
    api = Api(client, town["write"])
    assert api.get("/places").status_code == 200
    with app.app_context(), Session(get_engine()) as session:
        token = session.exec(select(ApiToken).where(ApiToken.name == "sync",
                                                    ApiToken.town_id == town["town"].id)).one()
        revoke_token(session, token, None)
    _assert_problem(api.get("/places"), 401, "token_invalid")


def test_read_token_may_read_but_not_write(app: Flask, reader: Api) -> None:
    assert reader.get("/places").status_code == 200
    _assert_problem(reader.post("/places", PLACE), 403, "read_only_token")
    with app.app_context(), Session(get_engine()) as session:
        assert session.exec(select(Place).where(Place.name == PLACE["name"])).first() is None


def test_session_cookie_does_not_open_the_api(app: Flask, client: FlaskClient,
                                              demo: None) -> None:
    assert login(client, "madoguchi", "teshio-demo-2026").status_code == 302
    _assert_problem(client.get("/api/v1/places"), 401, "token_missing")
    _assert_problem(client.post("/api/v1/places", json=PLACE), 401, "token_missing")


def test_no_csrf_token_needed_with_a_bearer_token(api: Api) -> None:
    assert api.post("/places", PLACE).status_code == 201


def test_last_used_time_is_recorded(app: Flask, api: Api, town: dict) -> None:
    api.get("/places")
    with app.app_context(), Session(get_engine()) as session:
        token = session.exec(select(ApiToken).where(ApiToken.name == "sync",
                                                    ApiToken.town_id == town["town"].id)).one()
        assert token.last_used_at is not None


def test_integration_writes_are_audited_under_the_token_name(app: Flask, api: Api) -> None:
    place_id = api.post("/places", PLACE).get_json()["id"]
    with app.app_context(), Session(get_engine()) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.entity == "place",
                                                    AuditLog.entity_id == place_id)).one()
        assert (entry.actor, entry.staff_user_id, entry.action) == ("api:sync", None, "create")


def test_staff_token_acts_as_that_staff_member(app: Flask, client: FlaskClient,
                                               town: dict[str, Any]) -> None:
    place_id = Api(client, town["staff_token"]).post("/places", PLACE).get_json()["id"]
    with app.app_context(), Session(get_engine()) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.entity_id == place_id,
                                                    AuditLog.entity == "place")).one()
        assert entry.staff_user_id == town["staff"].id


def test_token_of_a_deactivated_staff_member_stops_working(app: Flask, client: FlaskClient,
                                                           town: dict[str, Any]) -> None:
    from carshare.models import StaffUser

    with app.app_context(), Session(get_engine()) as session:
        user = session.get(StaffUser, town["staff"].id)
        user.active = False
        session.add(user)
        session.commit()
    _assert_problem(Api(client, town["staff_token"]).get("/places"), 401, "token_invalid")


def test_docs_and_description_need_no_token(client: FlaskClient, town: dict) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 200
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and b"/api/v1/ride-requests/{request_id}/confirm" in page.data


def test_admin_token_for_a_linked_town(app: Flask, client: FlaskClient,
                                       town: dict[str, Any]) -> None:
    from carshare.models import StaffRole, StaffTown, StaffUser
    from carshare.services.api_tokens import create_token
    from carshare.services.users import link_town

    other = town["other"]
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        admin = session.get(StaffUser, town["staff"].id)
        admin.role = StaffRole.ADMIN
        session.add(admin)
        session.commit()
        link_town(session, admin.id, "other")
        acting = StaffUser.model_validate(admin.model_dump() | {"town_id": other["town"].id})
        secret = create_token(session, other["town"].id, "admin there", ApiScope.READ, acting,
                              acting).secret
    api = Api(client, secret)
    listed = {p["id"] for p in api.get("/places").get_json()["items"]}
    assert other["clinic"].id in listed and town["clinic"].id not in listed
    with app.app_context(), Session(get_engine()) as session:
        session.delete(session.get(StaffTown, (town["staff"].id, other["town"].id)))
        session.commit()
        assert session.get(StaffUser, town["staff"].id).town_id == town["town"].id  # unchanged
    _assert_problem(api.get("/places"), 401, "token_invalid")
