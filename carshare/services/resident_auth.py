"""Riders and drivers sign in with a one-time code sent to their phone; no passwords.

Codes live 10 minutes, work once, allow 5 tries each; 10 wrong tries within 30 minutes lock
the number out for 30 minutes. A number gets at most 3 codes an hour and 5 a day, and a code
is read out by a call (a landline was typed) only within the calling hours. Every try is
counted in the database before the code is compared, and the tries of one number are
serialised (an advisory lock on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so parallel
requests cannot get more tries than that.

A number nobody in the town has goes through the same steps (a sign-in row is stored, tries
are counted, the lockout applies; only no message is sent), so the answers do not tell
whether a number is registered. A signed-in phone stays signed in for 180 days, or until it
goes unused for 30 days or staff revoke its session. Codes are never stored: the database
holds keyed hashes of codes and numbers, and hashes of session tokens (see ``notify_codes``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, delete, func, select

from carshare.models import DeviceSession, Resident, ResidentPhone, SigninCode, StaffUser
from carshare.notifications.decide import is_landline, next_open, parse_hours, within_hours
from carshare.services import audit
from carshare.services.lookup import to_e164
from carshare.services.notify_codes import (
    CODE_LIFETIME,
    code_for,
    enqueue_signin_code,
    keyed_hash,
)

TRIES_PER_CODE = 5
LOCK_AFTER = 10
LOCK_WINDOW = timedelta(minutes=30)
CODES_PER_HOUR = 3
CODES_PER_DAY = 5
SESSION_LIFETIME = timedelta(days=180)
IDLE_LIMIT = timedelta(days=30)  # a phone session unused this long ends
KEEP_SIGNINS = timedelta(days=2)  # longer than every window the limits count over
LOCK_NAMESPACE = 0x7369676E  # "sign": first key of the advisory locks of one number


@dataclass(frozen=True)
class CodePolicy:
    """What code sign-in needs from the settings: the secret key, calling hours, time zone."""

    key: str = field(repr=False)
    hours: tuple[time, time]
    tz: ZoneInfo

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> CodePolicy:
        """Build the policy from ``app.config``."""
        return cls(key=config["SECRET_KEY"], hours=parse_hours(config["NOTIFY_HOURS"]),
                   tz=ZoneInfo(config["TIMEZONE"]))


class SigninError(ValueError):
    """Sign-in refused; ``code`` says why (shown to the person, translated); ``next_at``
    says when calls are allowed again (``voice_hours``)."""

    def __init__(self, code: str, next_at: datetime | None = None) -> None:
        super().__init__(code)
        self.code, self.next_at = code, next_at


def _hash(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def phone_key(policy: CodePolicy, town_id: int, e164: str) -> str:
    """Return the keyed hash that stands for a number of a town in ``signin_code``."""
    return keyed_hash(policy.key, "phone", str(town_id), e164)


def _serialise(session: Session, key: str | None) -> None:
    """Make this transaction the only one counting codes and tries of the number ``key``.

    SQLite has one write lock: it is taken before anything is read (``key`` may still be
    unknown then). PostgreSQL locks only the number (transaction-scoped advisory lock).
    """
    conn = session.connection()
    if conn.dialect.name == "postgresql" and key:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:ns, :key)"),
                     {"ns": LOCK_NAMESPACE, "key": int(key[:7], 16)})
    elif conn.dialect.name == "sqlite":
        raw = conn.connection.driver_connection
        if raw is not None and not raw.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the one write lock, before any read


def request_code(session: Session, town_id: int, phone: str, now: datetime,
                 policy: CodePolicy) -> str:
    """Start a code sign-in for ``phone``; send the code if a resident has the number; commit.

    Returns the nonce that names the sign-in, for known and unknown numbers alike.

    :raise SigninError: ``invalid_phone``, ``locked``, ``voice_hours`` (a landline outside
        the calling hours; ``next_at`` says when) or ``too_many_codes``.
    """
    e164 = to_e164(phone)
    if e164 is None:
        raise SigninError("invalid_phone")
    key = phone_key(policy, town_id, e164)
    _serialise(session, key)
    try:
        _may_send(session, key, e164, now, policy)
    except SigninError:
        session.rollback()
        raise
    resident = session.exec(select(Resident).join(ResidentPhone).where(
        ResidentPhone.e164 == e164, Resident.town_id == town_id, Resident.active)).first()
    nonce = secrets.token_urlsafe(24)
    session.add(SigninCode(resident_id=resident.id if resident else None, phone_key=key,
                           nonce=nonce, code_hash=_code_hash(policy, nonce,
                                                             code_for(policy.key, nonce)),
                           created_at=now, expires_at=now + CODE_LIFETIME))
    if resident is not None:
        enqueue_signin_code(session, resident.id, nonce, now,
                            voice_allowed=within_hours(now, policy.hours, policy.tz))
    session.commit()
    return nonce


def _code_hash(policy: CodePolicy, nonce: str, code: str) -> str:
    return keyed_hash(policy.key, "hash", nonce, code)


def _may_send(session: Session, key: str, e164: str, now: datetime, policy: CodePolicy) -> None:
    if is_locked(session, key, now):
        raise SigninError("locked")
    if is_landline(e164) and not within_hours(now, policy.hours, policy.tz):
        raise SigninError("voice_hours", next_open(now, policy.hours, policy.tz))
    sent = lambda since: session.exec(select(func.count()).select_from(SigninCode).where(  # noqa: E731
        SigninCode.phone_key == key, SigninCode.created_at > now - since)).one()
    if sent(timedelta(hours=1)) >= CODES_PER_HOUR or sent(timedelta(days=1)) >= CODES_PER_DAY:
        raise SigninError("too_many_codes")


def is_locked(session: Session, key: str, now: datetime) -> bool:
    """Tell whether too many wrong codes were typed for the number ``key`` lately."""
    failures = session.exec(select(func.coalesce(func.sum(SigninCode.attempts), 0)).where(
        SigninCode.phone_key == key, SigninCode.created_at > now - LOCK_WINDOW,
        SigninCode.used_at.is_(None))).one()
    return failures >= LOCK_AFTER


@dataclass(frozen=True)
class SignedIn:
    """A new phone session: the cookie token (shown once) and whose it is."""

    token: str
    resident_id: int


def verify_code(session: Session, nonce: str, code: str, now: datetime, policy: CodePolicy,
                label: str = "") -> SignedIn:
    """Count a try, then check the typed code; on success open a phone session; commit.

    The try is counted by one conditional UPDATE before the code is compared, under the
    number's lock, so no number of parallel requests gets more than ``TRIES_PER_CODE``.

    :raise SigninError: ``unknown``, ``expired``, ``used``, ``too_many_tries``, ``locked``,
        ``wrong_code``.
    """
    _serialise(session, None)  # SQLite: the write lock before reading
    row = session.exec(select(SigninCode).where(SigninCode.nonce == nonce)).first()
    if row is None:
        session.rollback()
        raise SigninError("unknown")
    _serialise(session, row.phone_key)
    problem = _refusal(session, row, now)
    if problem:
        session.rollback()
        raise SigninError(problem)
    right = secrets.compare_digest(row.code_hash, _code_hash(policy, nonce, code.strip()))
    if not right or row.resident_id is None:
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
    """Why the try is refused before any comparison; else count it (one UPDATE) and say ''."""
    if row.used_at is not None:
        return "used"
    if now >= row.expires_at:
        return "expired"
    if is_locked(session, row.phone_key, now):
        return "locked"
    counted = session.execute(
        sa.update(SigninCode).where(SigninCode.id == row.id, SigninCode.used_at.is_(None),
                                    SigninCode.attempts < TRIES_PER_CODE)
        .values(attempts=SigninCode.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount
    return "" if counted == 1 else "too_many_tries"


def resident_for(session: Session, token: str, now: datetime) -> Resident | None:
    """Return the resident of a phone session token, if it is valid."""
    device = session.exec(select(DeviceSession).where(
        DeviceSession.token_hash == _hash(token))).first()
    if device is None or device.revoked_at is not None or now >= device.expires_at:
        return None
    if now - device.last_seen_at > IDLE_LIMIT:
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


def delete_old_signins(session: Session, now: datetime) -> int:
    """Delete sign-in rows older than :data:`KEEP_SIGNINS` (also those of unknown numbers,
    which hold a keyed hash of the number) and commit; return how many."""
    cutoff = now - KEEP_SIGNINS
    ids = list(session.exec(select(SigninCode.id).where(SigninCode.created_at < cutoff)))
    if ids:
        session.exec(delete(SigninCode).where(col(SigninCode.id).in_(ids)))  # type: ignore[call-overload]
    session.commit()
    return len(ids)
