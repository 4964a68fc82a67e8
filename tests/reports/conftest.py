"""Fixtures of the report tests: the June 2026 fixture month and signed-in clients."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from carshare.db import get_engine
from tests.conftest import login
from tests.reports.fixtures import PASSWORD, fixture_month


@pytest.fixture
def month(app: Flask) -> dict[str, Any]:
    """The fixture month, built in an app context of its own (requests then get fresh ones)."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        return fixture_month(session)


def signed_in(client: FlaskClient, username: str) -> FlaskClient:
    """Sign ``username`` in, with the English interface."""
    assert login(client, username, PASSWORD).status_code == 302
    client.get("/lang/en")
    return client


@pytest.fixture
def staff(client: FlaskClient, month: dict[str, Any]) -> FlaskClient:
    """A client signed in as the fixture town's staff member, in English."""
    return signed_in(client, "rep-staff")


@pytest.fixture
def admin(client: FlaskClient, month: dict[str, Any]) -> FlaskClient:
    """A client signed in as the fixture town's administrator, in English."""
    return signed_in(client, "rep-admin")
