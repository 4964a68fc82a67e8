"""Managing tokens: the CLI, the staff page (shown once, revocable), and who may manage which."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import ApiScope, ApiToken, StaffRole, StaffUser
from carshare.services.api_tokens import create_token, hash_token, may_manage
from tests.api.conftest import Api
from tests.conftest import csrf_token


def test_cli_create_list_revoke(app: Flask, demo: None) -> None:
    runner = app.test_cli_runner()
    created = runner.invoke(args=["api-token", "create", "--town", "teshio", "--name",
                                  "prefecture", "--scope", "write"])
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    assert secret.startswith("cs_")
    listed = runner.invoke(args=["api-token", "list", "--town", "teshio"])
    assert "prefecture" in listed.output and secret not in listed.output
    with app.app_context(), Session(get_engine()) as session:
        token = session.exec(select(ApiToken).where(ApiToken.name == "prefecture")).one()
        assert token.token_hash == hash_token(secret) and token.scope == ApiScope.WRITE
    client = app.test_client()
    assert Api(client, secret).get("/places").status_code == 200
    revoked = runner.invoke(args=["api-token", "revoke", str(token.id)])
    assert revoked.exit_code == 0
    assert Api(client, secret).get("/places").status_code == 401


def test_cli_refuses_unknown_town_and_taken_name(app: Flask, demo: None) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["api-token", "create", "--town", "nowhere", "--name",
                               "x"]).exit_code != 0
    runner.invoke(args=["api-token", "create", "--town", "teshio", "--name", "twice"])
    again = runner.invoke(args=["api-token", "create", "--town", "teshio", "--name", "twice"])
    assert again.exit_code != 0 and "name_taken" in again.output


def test_page_shows_the_secret_once_and_revokes(app: Flask, staff_client: FlaskClient) -> None:
    page = staff_client.get("/api-tokens")
    assert page.status_code == 200
    response = staff_client.post("/api-tokens", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "name": "表計算",
        "scope": "read", "owner": "me"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'value="(cs_[^"]+)"', html).group(1)
    assert secret not in staff_client.get("/api-tokens").get_data(as_text=True)
    api = Api(app.test_client(), secret)
    assert api.get("/places").status_code == 200
    assert api.post("/places", {"kind": "shop", "name": "A", "lat": 45.0,
                                "lon": 141.7}).status_code == 403
    with app.app_context(), Session(get_engine()) as session:
        token = session.exec(select(ApiToken).where(ApiToken.name == "表計算")).one()
    page = staff_client.get("/api-tokens").get_data(as_text=True)
    revoked = staff_client.post(f"/api-tokens/{token.id}/revoke",
                                data={"csrf_token": csrf_token(page)})
    assert revoked.status_code == 302
    assert api.get("/places").status_code == 401


def test_staff_may_not_make_integration_tokens(staff_client: FlaskClient) -> None:
    page = staff_client.get("/api-tokens").get_data(as_text=True)
    assert 'value="integration"' not in page
    response = staff_client.post("/api-tokens", data={
        "csrf_token": csrf_token(page), "name": "sneaky", "scope": "write",
        "owner": "integration"})
    assert response.status_code == 400


def test_staff_manage_only_their_own_tokens(app: Flask, staff_client: FlaskClient) -> None:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        staff = session.exec(select(StaffUser).where(StaffUser.username == "madoguchi")).one()
        theirs = create_token(session, staff.town_id, "integration", ApiScope.WRITE, None,
                              None).token
        admin = StaffUser(id=0, town_id=staff.town_id, username="x", display_name="x",
                          password_hash="!", role=StaffRole.ADMIN)
        assert may_manage(admin, theirs) and not may_manage(staff, theirs)
    page = staff_client.get("/api-tokens").get_data(as_text=True)
    assert "integration" not in page.split("<h2>")[-1]
    response = staff_client.post(f"/api-tokens/{theirs.id}/revoke",
                                 data={"csrf_token": csrf_token(page)})
    assert response.status_code == 404


def test_api_pages_need_sign_in(client: FlaskClient) -> None:
    assert client.get("/api-tokens").status_code == 302
