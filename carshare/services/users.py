"""Staff accounts: creation, password checks and sign-in sessions."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from carshare.models import StaffRole, StaffUser, Town, utcnow

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()  # Argon2id with the library's recommended parameters


class UserError(ValueError):
    """A staff account cannot be created as asked; the message says why."""


def hash_password(password: str) -> str:
    """Return an Argon2id hash of ``password``."""
    return _hasher.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """Tell whether ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(
    session: Session, town_slug: str, username: str, display_name: str, password: str,
    role: StaffRole = StaffRole.STAFF,
) -> StaffUser:
    """Create a staff or admin account in a town and commit it.

    :raise UserError: unknown town, taken username or too short a password.
    """
    town = session.exec(select(Town).where(Town.slug == town_slug)).first()
    if town is None:
        raise UserError(f"no town {town_slug!r}; load one first (flask --app app seed-demo)")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise UserError(f"the username {username!r} is taken")
    user = StaffUser(town_id=town.id, username=username, display_name=display_name,
                     password_hash=hash_password(password), role=role,
                     session_token=secrets.token_hex(16))
    session.add(user)
    session.commit()
    return user


def authenticate(session: Session, username: str, password: str) -> StaffUser | None:
    """Return the active user with these credentials and record the sign-in, else None."""
    user = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
    if user is None or not user.active or not check_password(user.password_hash, password):
        return None
    user.last_login_at = utcnow()
    session.add(user)
    session.commit()
    return user


def user_for_session(session: Session, identity: str) -> StaffUser | None:
    """Return the user named by a session identity ``"<id>:<token>"`` if it is still valid."""
    user_id, _, token = identity.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = session.get(StaffUser, int(user_id))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def revoke_sessions(session: Session, user: StaffUser) -> None:
    """End every session of ``user`` (logout) by rotating the session token."""
    user.session_token = secrets.token_hex(16)
    session.add(user)
    session.commit()
