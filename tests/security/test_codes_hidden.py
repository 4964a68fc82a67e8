"""Issue 19, finding 5: sign-in codes are never stored in clear and never shown to staff.

The outbox row of a code holds only a reference (the sign-in's nonce); the code is derived
with the installation's secret key when the message is sent, so the SMS or call still
carries it. The stored hash is keyed too: a copy of the database does not reveal codes, and
the Messages page says "sign-in code" without the digits.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import time, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import Notification, SigninCode, utcnow
from carshare.notifications import OutgoingMessage
from carshare.notifications.settings import NotifySettings
from carshare.services.notify_dispatch import dispatch_due
from carshare.services.resident_auth import CodePolicy, request_code, verify_code
from carshare.timeutil import TOKYO
from tests.conftest import login
from tests.factories import small_town

POLICY = CodePolicy(key="testing-secret-key", hours=(time(8), time(20)), tz=TOKYO)
MOBILE = "090-1111-2222"


class Recorder:
    """A provider that keeps what it was given."""

    def __init__(self) -> None:
        self.sent: list[OutgoingMessage] = []

    def send(self, message: OutgoingMessage) -> str:
        self.sent.append(message)
        return f"rec-{len(self.sent)}"


@pytest.fixture
def town(session: Session) -> dict[str, Any]:
    return small_town(session, seats=2)


def _code_in(text: str) -> str:
    found = re.search(r"(?<!\d)\d{6}(?!\d)", text)
    assert found, f"no code in {text!r}"
    return found.group(0)


def test_the_code_is_stored_nowhere_but_sent(app: Flask, session: Session,
                                             town: dict[str, Any]) -> None:
    nonce = request_code(session, town["town"].id, MOBILE, utcnow(), POLICY)
    row = session.exec(select(Notification).where(Notification.template == "signin_code")).one()
    stored = json.dumps(row.payload)
    recorder = Recorder()
    with app.app_context():
        settings = NotifySettings.from_config(app.config)
        dispatch_due(get_engine(), recorder, settings)
    [message] = recorder.sent
    code = _code_in(message.text)
    assert code not in stored
    session.expire_all()
    assert code not in json.dumps(session.get(Notification, row.id).payload)  # nor after
    signin = session.exec(select(SigninCode).where(SigninCode.nonce == nonce)).one()
    assert signin.code_hash != hashlib.sha256(f"{nonce}:{code}".encode()).hexdigest()
    assert verify_code(session, nonce, code, utcnow() + timedelta(minutes=1), POLICY)


def test_the_messages_page_never_shows_a_code(app: Flask, session: Session,
                                              town: dict[str, Any]) -> None:
    request_code(session, town["town"].id, MOBILE, utcnow(), POLICY)
    recorder = Recorder()
    with app.app_context():
        dispatch_due(get_engine(), recorder, NotifySettings.from_config(app.config))
    code = _code_in(recorder.sent[0].text)
    client = app.test_client()
    assert login(client, town["staff"].username, "x" * 12).status_code == 302
    page = client.get("/notifications/").get_data(as_text=True)
    assert code not in page
    assert "確認コード（表示しません）" in page
