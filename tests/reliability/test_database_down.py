"""While the database cannot be reached, every page answers a clear 503 (never a 500), in the
user's language, for people and for API clients, without asking the database again."""

from __future__ import annotations

import pytest
from flask import Flask

from carshare import create_app
from carshare.services.api_tokens import TOKEN_PREFIX
from tests.deploy.servers import UNAVAILABLE, free_port, texts


@pytest.fixture
def unreachable() -> Flask:
    """An app whose PostgreSQL is not running (nothing listens on its port)."""
    return create_app("testing", DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:"
                      f"{free_port()}/carshare", WTF_CSRF_ENABLED=False)


def _signed_in(app: Flask, lang: str | None = None):  # type: ignore[no-untyped-def]
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = "1:token", True
        if lang:
            session["lang"] = lang
    return client


def test_a_signed_in_page_answers_503_in_japanese(unreachable: Flask) -> None:
    response = _signed_in(unreachable).get("/dashboard")
    body = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert texts(UNAVAILABLE)[1] in body and 'lang="ja"' in body


def test_a_form_post_answers_503_and_says_nothing_was_saved(unreachable: Flask) -> None:
    client = _signed_in(unreachable, "en")
    response = client.post("/requests/1/confirm", data={"offer_id": "1"})
    assert response.status_code == 503 and UNAVAILABLE in response.get_data(as_text=True)


def test_api_clients_get_json(unreachable: Flask) -> None:
    response = unreachable.test_client().get(
        "/api/v1/offers", headers={"Accept": "application/json",
                                  "Authorization": f"Bearer {TOKEN_PREFIX}{'x' * 40}"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"].endswith("database_unavailable")


def test_readiness_says_not_ready(unreachable: Flask) -> None:
    assert unreachable.test_client().get("/readyz").status_code == 503
    assert unreachable.test_client().get("/healthz").status_code == 200
