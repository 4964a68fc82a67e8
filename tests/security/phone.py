"""Sign a test client in on a phone without the code step (codes are tested elsewhere)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask.testing import FlaskClient
from sqlmodel import Session

from carshare.models import DeviceSession, utcnow
from carshare.services import resident_auth
from carshare.web.me.access import COOKIE


def phone_sign_in(client: FlaskClient, session: Session, resident_id: int) -> str:
    """Open a phone session for ``resident_id`` as a right code would; return its token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(DeviceSession(resident_id=resident_id, token_hash=resident_auth._hash(token),
                              created_at=now, last_seen_at=now,
                              expires_at=now + timedelta(days=30)))
    session.commit()
    client.set_cookie(COOKIE, token)
    return token
