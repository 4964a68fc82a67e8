"""The first staff member of a new town signs in and saves forms (CSRF after sign-in).

Signing in clears the session (fixation defence), so the CSRF secret of the sign-in page is
dropped and the next page stores a new one. A test that holds an app context while its client
makes requests (the ``session`` fixture) shares one ``g`` between those requests: Flask-WTF
caches the sign-in page's token in ``g.csrf_token`` and hands it out again without storing a
secret in the new session, so every later POST is refused ("The CSRF session token is
missing"). Real requests each get their own app context; the last test shows the pitfall.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from flask.sessions import SecureCookieSessionInterface
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import Place
from tests.conftest import csrf_token, login
from tests.factories import small_town

PLACE = {"kind": "shop", "name": "新しい店", "kana": "", "settlement": "", "lat": "44.9",
         "lon": "141.7"}
PASSWORD = "x" * 12  # the factory's


def _new_town(app: Flask) -> dict[str, Any]:
    """Build the town in an app context that is closed before any request is made."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as db:
        return small_town(db)


def _session_of(app: Flask, client: FlaskClient) -> dict[str, Any]:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie.value)


def _place_form(client: FlaskClient) -> str:
    return csrf_token(client.get("/records/places/new").get_data(as_text=True))


def test_the_first_staff_of_a_new_town_can_save_a_form(app: Flask, client: FlaskClient) -> None:
    town = _new_town(app)
    assert login(client, town["staff"].username, PASSWORD).status_code == 302
    token = _place_form(client)
    assert "csrf_token" in _session_of(app, client)
    answer = client.post("/records/places/new", data={**PLACE, "csrf_token": token})
    assert answer.status_code == 302
    with app.app_context(), Session(get_engine()) as db:
        assert db.exec(select(Place).where(Place.name == PLACE["name"])).one().town_id \
            == town["town"].id


def test_signing_in_replaces_the_csrf_secret(app: Flask, client: FlaskClient) -> None:
    town = _new_town(app)
    before = csrf_token(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"username": town["staff"].username,
                                       "password": PASSWORD,
                                       "csrf_token": before}).status_code == 302
    stale = client.post("/records/places/new", data={**PLACE, "csrf_token": before})
    assert stale.status_code == 400  # the sign-in page's token ended with the old session
    assert client.post("/records/places/new",
                       data={**PLACE, "csrf_token": _place_form(client)}).status_code == 302


def test_a_held_app_context_carries_the_sign_in_token_over(app: Flask, client: FlaskClient,
                                                           session: Session) -> None:
    town = small_town(session)
    assert login(client, town["staff"].username, PASSWORD).status_code == 302
    assert "csrf_token" in g  # left by GET /login in the test's shared g
    _place_form(client)
    assert "csrf_token" not in _session_of(app, client)  # handed out, never stored
    g.pop("csrf_token")  # what a new request's own g would look like
    assert client.post("/records/places/new",
                       data={**PLACE, "csrf_token": _place_form(client)}).status_code == 302
