"""Issue 19 (8): API JSON, phone and driver answers are never cached; every sign-out (also one
done elsewhere: a revoked phone) tells the browser to forget the site's caches and storage."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from carshare.models import utcnow
from carshare.services.resident_auth import revoke_all
from carshare.web.me.access import COOKIE
from tests.conftest import csrf_token, login
from tests.driver.conftest import town  # noqa: F401  (fixture)
from tests.security.phone import phone_sign_in

CLEARED = '"cache", "storage"'


@pytest.fixture
def driver_client(client: FlaskClient, session: Session,
                  town: dict[str, Any]) -> FlaskClient:  # noqa: F811
    """A phone signed in as the small town's driver."""
    phone_sign_in(client, session, town["driver"].resident_id)
    return client


def test_api_json_is_never_stored(client: FlaskClient) -> None:
    for path in ("/api/v1/places", "/api/v1", "/api/v1/openapi.json"):
        response = client.get(path)
        assert response.headers.get("Cache-Control") == "no-store", path


def test_phone_and_driver_pages_are_never_stored(driver_client: FlaskClient) -> None:
    for path in ("/me/", "/me/rides", "/me/book", "/driver/day", "/driver/offers", "/me/login"):
        response = driver_client.get(path)
        assert response.status_code in (200, 302), path
        assert "no-store" in response.headers.get("Cache-Control", ""), path


def test_phone_sign_out_clears_site_data(driver_client: FlaskClient) -> None:
    html = driver_client.get("/me/").get_data(as_text=True)
    response = driver_client.post("/me/logout", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == CLEARED


def test_staff_sign_out_clears_site_data(staff_client: FlaskClient) -> None:
    html = staff_client.get("/dashboard").get_data(as_text=True)
    response = staff_client.post("/logout", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == CLEARED


def test_a_phone_signed_out_elsewhere_forgets_its_offline_manifest(
        driver_client: FlaskClient, session: Session, town: dict[str, Any]) -> None:  # noqa: F811
    assert driver_client.get("/driver/day").status_code == 200
    revoke_all(session, town["staff"], town["driver"].resident_id, utcnow())  # a lost phone
    response = driver_client.get("/driver/day")
    assert response.status_code == 302 and "/me/login" in response.headers["Location"]
    assert response.headers["Clear-Site-Data"] == CLEARED
    gone = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{COOKIE}=")]
    assert gone and "Expires=Thu, 01 Jan 1970" in gone[0]
    again = driver_client.get("/me/login")  # once is enough
    assert "Clear-Site-Data" not in again.headers


def test_signed_in_pages_and_staff_pages_keep_their_data(driver_client: FlaskClient,
                                                         client: FlaskClient) -> None:
    assert "Clear-Site-Data" not in driver_client.get("/driver/day").headers
    assert "Clear-Site-Data" not in client.get("/login").headers
    assert login(client, "nobody", "wrong").status_code == 400
