"""Fixtures of the security tests: two towns and a signed-in client per role.

The world is built inside its own app context which is closed before any request is made:
a request made while a test holds an app context would share its ``g`` (and so Flask-Login's
cached user) with every other request of the test.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from carshare.db import get_engine
from tests.security.world import MARK_A, MARK_B, Town, build_town, clients


@dataclass
class World:
    """Town A (the configured one), town B, and a client per role."""

    a: Town
    b: Town
    by_role: dict[str, FlaskClient]

    def town(self, name: str) -> Town:
        """Return town ``a`` or ``b``."""
        return self.a if name == "a" else self.b


@pytest.fixture
def world(app: Flask) -> World:
    """Two towns with one of everything, and a client signed in as each role."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        a, b = build_town(session, "teshio", MARK_A), build_town(session, "other", MARK_B)
        return World(a, b, clients(app, session, a, b))
