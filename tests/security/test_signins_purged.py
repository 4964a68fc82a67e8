"""Sign-in rows (also those of numbers nobody has) are deleted once no limit counts them."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from carshare.models import SigninCode, utcnow
from carshare.services.resident_auth import KEEP_SIGNINS, delete_old_signins


def _row(session: Session, age: timedelta, n: int) -> None:
    created = utcnow() - age
    session.add(SigninCode(phone_key=f"k{n}", nonce=f"n{n}", code_hash="h", created_at=created,
                           expires_at=created + timedelta(minutes=10)))
    session.commit()


def test_old_sign_in_rows_are_deleted_recent_ones_kept(session: Session) -> None:
    _row(session, KEEP_SIGNINS + timedelta(minutes=5), 1)  # past every window: goes
    _row(session, timedelta(hours=23), 2)  # still counted by the per-day limit: stays
    assert delete_old_signins(session, utcnow()) == 1
    assert [r.nonce for r in session.exec(select(SigninCode))] == ["n2"]
