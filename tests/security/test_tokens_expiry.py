"""Issue 19, finding 8 (tokens): API tokens expire (90 days unless chosen otherwise; the
tokens page shows when) and a password change revokes every token its owner holds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session

from carshare.models import ApiScope, ApiToken, utcnow
from carshare.services.api_tokens import authenticate, create_token
from carshare.services.users import change_password
from carshare.timeutil import TOKYO
from tests.conftest import login
from tests.factories import small_town

GOOD = "kitakaze-tonakai-2031"


@pytest.fixture
def town(session: Session) -> dict[str, Any]:
    return small_town(session, seats=2)


def test_a_token_expires_after_ninety_days(session: Session, town: dict[str, Any]) -> None:
    now = utcnow()
    new = create_token(session, town["town"].id, "sync", ApiScope.READ, town["staff"],
                       town["staff"])
    assert timedelta(days=89) < new.token.expires_at - now <= timedelta(days=90, seconds=30)
    assert authenticate(session, new.secret, now + timedelta(days=89)) is not None
    assert authenticate(session, new.secret, now + timedelta(days=90, minutes=1)) is None


def test_a_password_change_revokes_the_owners_tokens(session: Session,
                                                     town: dict[str, Any]) -> None:
    staff, now = town["staff"], utcnow()
    own = create_token(session, town["town"].id, "mine", ApiScope.WRITE, staff, staff)
    integration = create_token(session, town["town"].id, "feed", ApiScope.READ, None, staff)
    change_password(session, staff.id, "x" * 12, GOOD)
    assert authenticate(session, own.secret, now) is None
    assert session.get(ApiToken, own.token.id).revoked_at is not None
    assert authenticate(session, integration.secret, now) is not None  # no person's password


def test_the_tokens_page_shows_when_a_token_expires(app: Flask, session: Session,
                                                    town: dict[str, Any]) -> None:
    new = create_token(session, town["town"].id, "sync", ApiScope.READ, town["staff"],
                       town["staff"])
    client = app.test_client()
    assert login(client, town["staff"].username, "x" * 12).status_code == 302
    page = client.get("/api-tokens").get_data(as_text=True)
    expiry = new.token.expires_at.astimezone(TOKYO)
    assert "有効期限" in page and expiry.date().isoformat() in page
