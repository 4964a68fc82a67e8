"""Two phones of one driver press the same button at the same moment (found by bench/load.py):
both hear "ok", the press is kept once, nothing answers 500."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import Resident, TripEvent, TripEventKind, utcnow
from carshare.services import driver_trips
from carshare.services.driver_trips import Press, record
from tests.driver.conftest import book, tomorrow
from tests.driver.conftest import town as town  # noqa: F401 (fixture)


def test_the_same_press_from_two_phones_at_once(app: Flask, session: Session,
                                                town: dict[str, Any],  # noqa: F811
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    ride = book(session, town, 0)
    person_id, offer_id, town_id = town["driver"].resident_id, town["offer"].id, town["town"].id
    barrier, original = threading.Barrier(2, timeout=20), driver_trips._check

    def together(*args: Any) -> None:
        original(*args)
        barrier.wait()  # both passed the checks; both now insert

    monkeypatch.setattr(driver_trips, "_check", together)
    kept: list[int] = []

    def press(event_id: str) -> None:
        with app.app_context(), Session(get_engine(), expire_on_commit=False) as own:
            event = record(own, town_id, own.get(Resident, person_id), Press(
                offer_id, tomorrow(), TripEventKind.PICKED_UP, ride.id, event_id, utcnow()))
            kept.append(event.id)

    threads = [threading.Thread(target=press, args=(c * 16,)) for c in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    stored = session.exec(select(TripEvent).where(TripEvent.request_id == ride.id)).all()
    assert len(stored) == 1 and kept == [stored[0].id] * 2
