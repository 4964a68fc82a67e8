"""Shared fixtures: an app per database backend, a client, the demo town, a signed-in staff."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta

import pytest
import time_machine
from argon2.profiles import CHEAPEST, get_default_parameters
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from sqlmodel import Session, SQLModel

from carshare import create_app, migrate
from carshare.db import get_engine
from carshare.models import utcnow
from carshare.services import users
from carshare.services.demo import seed_demo
from carshare.timeutil import TOKYO
from tests.dbs import BACKENDS, empty_database, pg_base_url
from tests.logcapture import captured  # noqa: F401  (a fixture for every test module)
from tests.markers import mark

users.use_hashing(CHEAPEST)  # staff passwords: the cheapest Argon2id in this process only


@pytest.fixture
def production_hashing() -> Iterator[None]:
    """Hash and check staff passwords at the production cost during the test."""
    users.use_hashing(get_default_parameters())
    yield
    users.use_hashing(CHEAPEST)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each database test runs on SQLite and, when configured, on PostgreSQL."""
    if request.param == "postgresql" and not pg_base_url():
        pytest.skip("PostgreSQL tests need CARSHARE_TEST_DATABASE_URL (set by .ci/run)")
    return request.param


@pytest.fixture(scope="session")
def migrated_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of the backend, migrated to head once per test session."""
    with empty_database(backend, tmp_path_factory.mktemp(backend)) as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture
def app(migrated_url: str) -> Iterator[Flask]:
    """A testing app on the migrated database; every table is emptied after the test."""
    application = create_app("testing", DATABASE_URL=migrated_url)
    yield application
    empty_tables(application)


def empty_tables(application: Flask) -> None:
    """Delete every row the test wrote and close the app's connections."""
    engine = application.extensions["carshare.engine"]
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A database session inside an app context."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as db_session:
        yield db_session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def demo(app: Flask) -> None:
    """Load the demo town."""
    with app.app_context(), Session(get_engine()) as db_session:
        seed_demo(db_session, utcnow(), TOKYO)


def csrf_token(html: str) -> str:
    """Return the CSRF token of the first form in ``html``."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str):  # type: ignore[no-untyped-def]
    """Sign in through the real form, CSRF token included."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token})


@pytest.fixture
def staff_client(client: FlaskClient, demo: None) -> FlaskClient:
    """A client signed in as the demo staff member."""
    response = login(client, "madoguchi", "teshio-demo-2026")
    assert response.status_code == 302
    return client


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the whole session: Playwright's sync API runs once per thread,
    so every browser test (tests/browser and the areas' own) shares this one."""
    from tests.chromium import CHROMIUM, CHROMIUM_ARGS, MISSING

    if not CHROMIUM.exists():
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def in_calling_hours() -> Iterator[None]:
    """Run the block inside the calling hours (08:00-20:00 in the town).

    A code to a landline is read out by a call, and calls are made only within those hours.
    Outside them the clock goes back to 19:30 of the latest such evening (and keeps ticking),
    so a test that signs in with a landline passes at any hour of the day.
    """
    now = utcnow().astimezone(TOKYO)
    if time(8) <= now.time() < time(20):
        yield
        return
    day = now.date() if now.time() >= time(20) else now.date() - timedelta(days=1)
    try:
        with time_machine.travel(datetime.combine(day, time(19, 30), tzinfo=TOKYO), tick=True):
            yield
    finally:
        if has_app_context():  # a held app context keeps the form token signed back then
            g.pop("csrf_token", None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test with its kind (browser, pg, subprocess, slow): ``tests/markers.py``."""
    mark(items)
