"""Riders and drivers sign in with a one-time code sent to their phone; no passwords.

Codes live 10 minutes, work once, allow 5 tries each; 10 wrong tries within 30 minutes lock
the resident out for 30 minutes. A signed-in phone stays signed in for 180 days unless staff
revoke its session. Only hashes of codes and session tokens are stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from carshare.models import DeviceSession, Resident, ResidentPhone, SigninCode, StaffUser
from carshare.services import audit
from carshare.services.lookup import to_e164

CODE_LIFETIME = timedelta(minutes=10)
TRIES_PER_CODE = 5
LOCK_AFTER = 10
LOCK_WINDOW = timedelta(minutes=30)
SESSION_LIFETIME = timedelta(days=180)


class SigninError(ValueError):
    """Sign-in refused; ``code`` says why (shown to the person, translated)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _hash(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def request_code(session: Session, town_id: int, phone: str, now: datetime) -> str | None:
    """Send a code to the resident with this phone; return the nonce that names the attempt.

    Returns ``None`` for a number nobody in the town has (the page says the same either way).

    :raise SigninError: ``invalid_phone`` or ``locked``.
    """
    e164 = to_e164(phone)
    if e164 is None:
        raise SigninError("invalid_phone")
    resident = session.exec(select(Resident).join(ResidentPhone).where(
        ResidentPhone.e164 == e164, Resident.town_id == town_id, Resident.active)).first()
    if resident is None:
        return None
    if is_locked(session, resident.id, now):
        raise SigninError("locked")
    code, nonce = f"{secrets.randbelow(1_000_000):06d}", secrets.token_urlsafe(24)
    session.add(SigninCode(resident_id=resident.id, nonce=nonce, code_hash=_hash(nonce, code),
                           created_at=now, expires_at=now + CODE_LIFETIME))
    from carshare.services.notify_codes import enqueue_signin_code

    enqueue_signin_code(session, resident.id, code, nonce, now)
    session.commit()
    return nonce


def is_locked(session: Session, resident_id: int, now: datetime) -> bool:
    """Tell whether too many wrong codes were typed for this resident lately."""
    failures = session.exec(select(func.coalesce(func.sum(SigninCode.attempts), 0)).where(
        SigninCode.resident_id == resident_id, SigninCode.created_at > now - LOCK_WINDOW,
        SigninCode.used_at.is_(None))).one()
    return failures >= LOCK_AFTER


@dataclass(frozen=True)
class SignedIn:
    """A new phone session: the cookie token (shown once) and whose it is."""

    token: str
    resident_id: int


def verify_code(session: Session, nonce: str, code: str, now: datetime,
                label: str = "") -> SignedIn:
    """Check the typed code; on success open a long phone session; commit either way.

    :raise SigninError: ``unknown``, ``expired``, ``used``, ``too_many_tries``, ``locked``,
        ``wrong_code``.
    """
    row = session.exec(select(SigninCode).where(SigninCode.nonce == nonce)).first()
    if row is None:
        raise SigninError("unknown")
    problem = _refusal(session, row, now)
    if problem:
        raise SigninError(problem)
    if not secrets.compare_digest(row.code_hash, _hash(nonce, code.strip())):
        row.attempts += 1
        session.add(row)
        session.commit()
        raise SigninError("wrong_code")
    row.used_at = now
    token = secrets.token_urlsafe(32)
    session.add(row)
    session.add(DeviceSession(resident_id=row.resident_id, token_hash=_hash(token),
                              created_at=now, last_seen_at=now, expires_at=now + SESSION_LIFETIME,
                              label=label[:120]))
    session.commit()
    return SignedIn(token, row.resident_id)


def _refusal(session: Session, row: SigninCode, now: datetime) -> str:
    if row.used_at is not None:
        return "used"
    if now >= row.expires_at:
        return "expired"
    if row.attempts >= TRIES_PER_CODE:
        return "too_many_tries"
    if is_locked(session, row.resident_id, now):
        return "locked"
    return ""


def resident_for(session: Session, token: str, now: datetime) -> Resident | None:
    """Return the resident of a phone session token, if it is valid."""
    device = session.exec(select(DeviceSession).where(
        DeviceSession.token_hash == _hash(token))).first()
    if device is None or device.revoked_at is not None or now >= device.expires_at:
        return None
    if now - device.last_seen_at > timedelta(hours=1):
        device.last_seen_at = now
        session.add(device)
        session.commit()
    resident = session.get(Resident, device.resident_id)
    return resident if resident is not None and resident.active else None


def sign_out(session: Session, token: str, now: datetime) -> None:
    """End this phone's session; commit."""
    device = session.exec(select(DeviceSession).where(
        DeviceSession.token_hash == _hash(token))).first()
    if device is not None and device.revoked_at is None:
        device.revoked_at = now
        session.add(device)
        session.commit()


def revoke_all(session: Session, staff: StaffUser, resident_id: int, now: datetime) -> int:
    """Staff end every phone session of a resident (lost phone); audit; commit."""
    devices = session.exec(select(DeviceSession).where(
        DeviceSession.resident_id == resident_id, DeviceSession.revoked_at.is_(None))).all()
    for device in devices:
        device.revoked_at = now
        session.add(device)
    audit.record(session, staff, "revoke", "device_session", None, resident_id,
                 f"{len(devices)} phone sessions ended")
    session.commit()
    return len(devices)


def town_id_of(session: Session, slug: str) -> int | None:
    """Return the id of the town with this slug (the installation's default town)."""
    from carshare.models import Town

    return session.exec(select(Town.id).where(Town.slug == slug)).first()


def driver_role(session: Session, resident_id: int):  # type: ignore[no-untyped-def]
    """Return the driver role of a resident, if they have one."""
    from carshare.models import Driver

    return session.exec(select(Driver).where(Driver.resident_id == resident_id)).first()
