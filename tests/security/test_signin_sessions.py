"""Issue 19, finding 8 (sessions): a phone session ends after 30 days without use (and at
most after 180 days); a staff session ends 12 hours after sign-in even when kept busy."""

from __future__ import annotations

import time
from datetime import time as clock
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import Notification, utcnow
from carshare.services.notify_codes import code_of
from carshare.services.resident_auth import CodePolicy, request_code, resident_for, verify_code
from carshare.timeutil import TOKYO
from tests.factories import small_town

POLICY = CodePolicy(key="testing-secret-key", hours=(clock(8), clock(20)), tz=TOKYO)


@pytest.fixture
def town(session: Session) -> dict[str, Any]:
    return small_town(session, seats=2)


def _signed_in(session: Session, town: dict[str, Any]) -> str:
    now = utcnow()
    nonce = request_code(session, town["town"].id, "090-1111-2222", now, POLICY)
    row = session.exec(select(Notification).order_by(Notification.id.desc())).first()
    return verify_code(session, nonce, code_of(row, POLICY.key), now, POLICY).token


def test_a_phone_session_ends_after_thirty_idle_days(session: Session,
                                                     town: dict[str, Any]) -> None:
    token, now = _signed_in(session, town), utcnow()
    assert resident_for(session, token, now + timedelta(days=29)) is not None  # used: kept
    assert resident_for(session, token, now + timedelta(days=58)) is not None
    assert resident_for(session, token, now + timedelta(days=89)) is None  # 31 idle days


def test_a_busy_staff_session_ends_twelve_hours_after_sign_in(staff_client: FlaskClient) -> None:
    assert staff_client.get("/dashboard").status_code == 200
    with staff_client.session_transaction() as flask_session:
        flask_session["signed_in_at"] = time.time() - 12 * 3600 - 60
        flask_session["seen_at"] = time.time()  # active a moment ago
    response = staff_client.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert staff_client.get("/dashboard").status_code == 302
    assert "12時間" in staff_client.get("/login").get_data(as_text=True)


def test_a_fresh_staff_session_is_not_cut(staff_client: FlaskClient) -> None:
    with staff_client.session_transaction() as flask_session:
        flask_session["signed_in_at"] = time.time() - 11 * 3600
    assert staff_client.get("/dashboard").status_code == 200
