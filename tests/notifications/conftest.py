"""Fixtures of the notification tests: a frozen clock, the demo town seeded at that time,
promised rides with plan versions, and the console log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from flask import Flask
from sqlmodel import Session

from carshare.db import get_engine
from carshare.notifications.settings import NotifySettings
from carshare.services.demo import seed_demo
from carshare.timeutil import TOKYO
from tests.notifications.factories import Town, load_town

#: Monday 7 December 2026, 10:00 in Teshio.
START = datetime(2026, 12, 7, 10, 0, tzinfo=TOKYO)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    """Freeze time at ``START``; move it with ``clock.move_to(...)`` or ``clock.shift(...)``."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def town(app: Flask, clock: time_machine.Coordinates) -> Iterator[Town]:
    """The demo town, loaded at ``START``, with handles on its riders and drivers."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        seed_demo(session, START, TOKYO)
        yield load_town(session)


@pytest.fixture
def settings(app: Flask) -> NotifySettings:
    """The notification settings of the test app."""
    return NotifySettings.from_config(app.config)


@pytest.fixture
def sent_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture what the console channel 'sends'."""
    caplog.set_level("INFO", logger="carshare.notify.console")
    return caplog


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Twilio's API as described by its official OpenAPI spec, served by Prism on 127.0.0.1."""
    from carshare.notifications import prism

    reason = prism.missing_reason()
    if reason:
        pytest.skip(f"{reason} (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("prism")
    port = prism.free_port()
    process = prism.start(prism.write_error_spec(folder / "spec.json"), port,
                          folder / "prism.log")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)
