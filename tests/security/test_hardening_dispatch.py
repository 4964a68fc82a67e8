"""Issue 19 (8): one message whose bookkeeping fails (the provider answers with an id that is
already stored, as a mock answering twice with the same sid) must not stop the dispatch run
nor stay in ``sending``: every other due row is still sent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import Notification, NotificationState, Town, utcnow
from carshare.notifications import OutgoingMessage
from carshare.notifications.settings import NotifySettings
from carshare.services.notify_dispatch import dispatch_due
from carshare.services.outbox import Draft, enqueue

State = NotificationState


class SameSid:
    """A provider mock that answers every message with one sid (a broken mock or replay)."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, message: OutgoingMessage) -> str:
        self.sent.append(message.key)
        return "SM00000000000000000000000000000001"


class BrokenBeforeSending:
    """A notifier that raises an unexpected error (not SendFailed) for one message."""

    def __init__(self, bad_key: str) -> None:
        self.bad_key, self.sent = bad_key, []

    def send(self, message: OutgoingMessage) -> str:
        if message.key == self.bad_key:
            raise RuntimeError("connection pool exploded")
        self.sent.append(message.key)
        return f"SM{len(self.sent):032d}"


def _rows(session: Session, n: int) -> list[int]:
    town = Town(slug="dispatch", name="配信町")
    session.add(town)
    session.flush()
    now = utcnow()
    payload: dict[str, Any] = {"start": (now + timedelta(days=1)).isoformat(),
                               "end": (now + timedelta(days=1, minutes=30)).isoformat()}
    ids = []
    for k in range(n):
        row = enqueue(session, Draft(town_id=town.id, key=f"cancellation:test:{k}",
                                     template="cancellation", channel="sms",
                                     recipient=f"+8190000000{k:02d}",
                                     due_at=now - timedelta(minutes=1), payload=payload))
        session.flush()
        ids.append(row.id)
    session.commit()
    return ids


@pytest.fixture
def settings(app: Flask) -> NotifySettings:
    """Settings that send at any hour (the test must not depend on the clock)."""
    from dataclasses import replace
    from datetime import time

    base = NotifySettings.from_config(app.config)
    return replace(base, hours=(time(0), time(23, 59)))


def _states(session: Session, ids: list[int]) -> list[Notification]:
    session.expire_all()
    return [session.exec(select(Notification).where(Notification.id == i)).one() for i in ids]


def test_a_duplicate_provider_id_does_not_stop_the_run(app: Flask, session: Session,
                                                       settings: NotifySettings) -> None:
    ids = _rows(session, 3)
    notifier = SameSid()
    outcomes = dispatch_due(get_engine(), notifier, settings)
    assert len(notifier.sent) == 3  # the run went on after the second row's failure
    rows = _states(session, ids)
    assert [r.state for r in rows].count(State.SENT) == 1
    assert all(r.state != State.SENDING for r in rows)
    broken = [r for r in rows if r.state != State.SENT]
    assert len(broken) == 2 and outcomes["unrecorded"] == 2
    for row in broken:  # handed to the provider: never sent again, on the staff call list
        assert row.state == State.NEEDS_ATTENTION and row.provider_id is None
        assert "could not be recorded" in row.last_error
    assert dispatch_due(get_engine(), notifier, settings) == {}
    assert len(notifier.sent) == 3


def test_an_unexpected_error_in_one_send_does_not_stop_the_others(
        app: Flask, session: Session, settings: NotifySettings) -> None:
    ids = _rows(session, 3)
    bad = session.get(Notification, ids[1]).idempotency_key
    notifier = BrokenBeforeSending(bad)
    dispatch_due(get_engine(), notifier, settings)
    rows = _states(session, ids)
    assert [r.state for r in rows] == [State.SENT, State.NEEDS_ATTENTION, State.SENT]
    assert "RuntimeError" in rows[1].last_error


def test_a_row_that_cannot_be_prepared_is_retried_not_stuck(
        app: Flask, session: Session, settings: NotifySettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from carshare.services import notify_send

    ids = _rows(session, 2)
    real, calls = notify_send.may_send_abroad, []

    def flaky(db: Session, resident_id: int | None) -> bool:
        calls.append(resident_id)
        if len(calls) == 1:
            raise KeyError("consents table gone")  # stands for any bug before sending
        return real(db, resident_id)

    monkeypatch.setattr(notify_send, "may_send_abroad", flaky)
    notifier = BrokenBeforeSending("none")
    dispatch_due(get_engine(), notifier, settings)
    rows = _states(session, ids)
    assert rows[0].state == State.PENDING and rows[0].next_attempt_at is not None
    assert "KeyError" in rows[0].last_error and len(notifier.sent) == 1
    assert rows[1].state == State.SENT
