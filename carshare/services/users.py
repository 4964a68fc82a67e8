"""Staff accounts: creation, password rules and checks, sign-in sessions and towns of work.

Sign-in counts a try on the account (one conditional UPDATE) before the password is checked;
after ``LOCK_AFTER`` wrong passwords within ``FAILURE_WINDOW`` the account is locked for
``LOCKOUT`` whatever the address, worker or host, and parallel tries cannot get past that.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from carshare.models import StaffRole, StaffTown, StaffUser, Town, utcnow
from carshare.services.passwords import MIN_PASSWORD_LENGTH, password_problem
from carshare.services.staff_towns import towns_of

__all__ = ["LOCK_AFTER", "LOCKOUT", "MIN_PASSWORD_LENGTH", "SignIn", "UserError",
           "authenticate", "change_password", "sign_in",
           "check_password", "create_user", "hash_password", "link_town", "password_problem",
           "revoke_sessions", "towns_of", "user_for_session"]

LOCK_AFTER = 10  # wrong passwords before the account locks
FAILURE_WINDOW = timedelta(minutes=15)  # ... counted within this long of the first one
LOCKOUT = timedelta(minutes=15)

_hasher = PasswordHasher()  # Argon2id with the library's recommended parameters
_dummy_hash = _hasher.hash(secrets.token_hex(16))  # verified for unknown names: same timing


def use_hashing(parameters: Parameters) -> None:
    """Hash and check passwords with ``parameters`` from now on in this process.

    Only the test suite calls this (with ``argon2.profiles.CHEAPEST``): production keeps the
    library's recommended cost. The hash checked for unknown names follows, so known and
    unknown names still take the same time.
    """
    global _hasher, _dummy_hash
    _hasher = PasswordHasher.from_parameters(parameters)
    _dummy_hash = _hasher.hash(secrets.token_hex(16))


class UserError(ValueError):
    """A staff account cannot be created or changed as asked; the message says why."""


def hash_password(password: str) -> str:
    """Return an Argon2id hash of ``password``."""
    return _hasher.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """Tell whether ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _require_good_password(password: str, *context: str) -> None:
    problem = password_problem(password, *context)
    if problem == "too_short":
        raise UserError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if problem:
        raise UserError(f"the password is refused: {problem.replace('_', ' ')}")


def create_user(
    session: Session, town_slug: str, username: str, display_name: str, password: str,
    role: StaffRole = StaffRole.STAFF,
) -> StaffUser:
    """Create a staff or admin account in a town and commit it.

    :raise UserError: unknown town, taken username, too short or too common a password.
    """
    town = session.exec(select(Town).where(Town.slug == town_slug)).first()
    if town is None:
        raise UserError(f"no town {town_slug!r}; load one first (flask --app app seed-demo)")
    _require_good_password(password, username, display_name)
    if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise UserError(f"the username {username!r} is taken")
    user = StaffUser(town_id=town.id, username=username, display_name=display_name,
                     password_hash=hash_password(password), role=role,
                     session_token=secrets.token_hex(16))
    session.add(user)
    session.commit()
    return user


@dataclass(frozen=True)
class SignIn:
    """The outcome of a staff sign-in: the user, or why not (``wrong`` or ``locked``)."""

    user: StaffUser | None
    refusal: str = ""


def sign_in(session: Session, username: str, password: str, now: datetime | None = None
            ) -> SignIn:
    """Check credentials, counting the try on the account first; commit.

    A hash made with older Argon2 parameters is replaced by one with the current parameters.
    """
    now = now or utcnow()
    user = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
    if user is None:
        check_password(_dummy_hash, password)  # the same time as a known name
        return SignIn(None, "wrong")
    if not _count_try(session, user.id, now):
        session.rollback()
        return SignIn(None, "locked")
    session.commit()  # the try is counted before the (slow) check
    if not user.active or not check_password(user.password_hash, password):
        return SignIn(None, "wrong")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    user.failed_logins, user.failed_since, user.locked_until = 0, None, None
    session.add(user)
    session.commit()
    return SignIn(user)


def _count_try(session: Session, user_id: int, now: datetime) -> bool:
    """Count one try on the account unless it is locked; lock it at the ``LOCK_AFTER``th.

    One UPDATE decides, so parallel requests (threads, workers, hosts) are counted exactly.
    A try that then succeeds clears the count.
    """
    table = StaffUser.__table__
    fresh = sa.or_(table.c.failed_since.is_(None), table.c.failed_since <= now - FAILURE_WINDOW)
    counted = sa.case((fresh, 1), else_=table.c.failed_logins + 1)
    statement = (table.update()
                 .where(table.c.id == user_id,
                        sa.or_(table.c.locked_until.is_(None), table.c.locked_until <= now),
                        sa.or_(fresh, table.c.failed_logins < LOCK_AFTER))
                 .values(failed_logins=counted,
                         failed_since=sa.case((fresh, now), else_=table.c.failed_since),
                         locked_until=sa.case((counted >= LOCK_AFTER, now + LOCKOUT),
                                              else_=None)))
    return session.execute(statement).rowcount == 1


def authenticate(session: Session, username: str, password: str) -> StaffUser | None:
    """Return the active user with these credentials and record the sign-in, else None."""
    return sign_in(session, username, password).user


def change_password(session: Session, user_id: int, current: str, new: str) -> None:
    """Replace a user's password, end their other sessions and revoke their API tokens;
    commit.

    :raise UserError: the current password is wrong or the new one is refused.
    """
    user = session.get(StaffUser, user_id)
    if user is None or not check_password(user.password_hash, current):
        raise UserError("the current password is not correct")
    _require_good_password(new, user.username, user.display_name)
    user.password_hash = hash_password(new)
    user.session_token = secrets.token_hex(16)
    session.add(user)
    from carshare.services.api_tokens import revoke_owned

    revoke_owned(session, user.id, utcnow())
    session.commit()


def user_for_session(session: Session, identity: str) -> StaffUser | None:
    """Return the user named by a session identity ``"<id>:<token>"`` if it is still valid."""
    user_id, _, token = identity.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = session.get(StaffUser, int(user_id))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def revoke_sessions(session: Session, user_id: int) -> None:
    """End every session of a user (logout) by rotating the session token; commit."""
    user = session.get(StaffUser, user_id)
    if user is not None:
        user.session_token = secrets.token_hex(16)
        session.add(user)
        session.commit()


def link_town(session: Session, user_id: int, town_slug: str) -> None:
    """Let an admin work in one more town; commit.

    :raise UserError: unknown user or town, or the user is not an admin.
    """
    user = session.get(StaffUser, user_id)
    town = session.exec(select(Town).where(Town.slug == town_slug)).first()
    if user is None or town is None:
        raise UserError(f"no such user or town {town_slug!r}")
    if user.role is not StaffRole.ADMIN:
        raise UserError("only admins may work in several towns")
    if town.id != user.town_id and session.get(StaffTown, (user_id, town.id)) is None:
        session.add(StaffTown(staff_user_id=user_id, town_id=town.id))
        session.commit()
