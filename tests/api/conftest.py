"""Fixtures of the API tests: a small town with tokens, and a client that sends them."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from carshare.db import get_engine
from carshare.models import ApiScope
from carshare.services.api_tokens import create_token
from tests.factories import small_town


class Api:
    """A test client that sends a bearer token and JSON."""

    def __init__(self, client: FlaskClient, token: str | None, language: str = "en") -> None:
        self.client, self.token, self.language = client, token, language

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """Return the token and language headers."""
        headers = {"Accept-Language": self.language}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers | (extra or {})

    def get(self, path: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        """GET ``/api/v1`` + ``path``."""
        return self.client.get(f"/api/v1{path}", headers=self.headers(kwargs.pop("headers", {})),
                               **kwargs)

    def send(self, method: str, path: str, body: Any = None, **kwargs: Any):  # type: ignore[no-untyped-def]
        """Send ``body`` as JSON with ``method``."""
        return self.client.open(f"/api/v1{path}", method=method, json=body,
                                headers=self.headers(kwargs.pop("headers", {})), **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any):  # type: ignore[no-untyped-def]
        """POST ``body`` as JSON."""
        return self.send("POST", path, body, **kwargs)


@pytest.fixture
def town(app: Flask) -> dict[str, Any]:
    """The small town, a second town, and tokens: write and read for an integration, one of
    the staff member, and one of the other town."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        town = small_town(session, seats=3)
        other = small_town(session, slug="other")
        tid = town["town"].id
        town["write"] = create_token(session, tid, "sync", ApiScope.WRITE, None, None).secret
        town["read"] = create_token(session, tid, "reader", ApiScope.READ, None, None).secret
        town["staff_token"] = create_token(session, tid, "mine", ApiScope.WRITE,
                                           town["staff"], town["staff"]).secret
        town["other"] = other
        town["other_write"] = create_token(session, other["town"].id, "sync", ApiScope.WRITE,
                                           None, None).secret
    return town


@pytest.fixture
def api(client: FlaskClient, town: dict[str, Any]) -> Api:
    """A client with the town's write token."""
    return Api(client, town["write"])


@pytest.fixture
def reader(client: FlaskClient, town: dict[str, Any]) -> Api:
    """A client with the town's read-only token."""
    return Api(client, town["read"])
