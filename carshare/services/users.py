"""Staff accounts: creation, password rules and checks, sign-in sessions and towns of work."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from carshare.models import StaffRole, StaffTown, StaffUser, Town, utcnow
from carshare.services.passwords import MIN_PASSWORD_LENGTH, password_problem

__all__ = ["MIN_PASSWORD_LENGTH", "UserError", "authenticate", "change_password",
           "check_password", "create_user", "hash_password", "link_town", "password_problem",
           "revoke_sessions", "towns_of", "user_for_session"]

_hasher = PasswordHasher()  # Argon2id with the library's recommended parameters
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))  # verified for unknown names: same timing


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


def authenticate(session: Session, username: str, password: str) -> StaffUser | None:
    """Return the active user with these credentials and record the sign-in, else None.

    A hash made with older Argon2 parameters is replaced by one with the current parameters.
    """
    user = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
    if user is None:
        check_password(_DUMMY_HASH, password)
        return None
    if not user.active or not check_password(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    session.commit()
    return user


def change_password(session: Session, user_id: int, current: str, new: str) -> None:
    """Replace a user's password and end their other sessions; commit.

    :raise UserError: the current password is wrong or the new one is refused.
    """
    user = session.get(StaffUser, user_id)
    if user is None or not check_password(user.password_hash, current):
        raise UserError("the current password is not correct")
    _require_good_password(new, user.username, user.display_name)
    user.password_hash = hash_password(new)
    user.session_token = secrets.token_hex(16)
    session.add(user)
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


def towns_of(session: Session, user_id: int) -> list[Town]:
    """Return the towns a user may work in: their own, and for an admin the linked ones."""
    user = session.get(StaffUser, user_id)
    if user is None:
        return []
    ids = {user.town_id}
    if user.role is StaffRole.ADMIN:
        ids |= set(session.exec(select(StaffTown.town_id).where(
            StaffTown.staff_user_id == user_id)).all())
    return list(session.exec(select(Town).where(Town.id.in_(ids)).order_by(Town.id)).all())


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
