"""API tokens: create one (its secret is shown once), list, revoke, and check a bearer token.

A token works for 90 days (``TOKEN_LIFETIME``) unless created with another lifetime, and
every token a staff member owns is revoked when their password changes.

Only a SHA-256 hash of a token is stored: tokens are 256 random bits, so a fast hash is
enough to make a stolen table useless, and lookups stay one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from carshare.models import ApiScope, ApiToken, StaffRole, StaffUser, Town, utcnow
from carshare.models.api import TOKEN_LIFETIME
from carshare.services import audit
from carshare.services.staff_towns import towns_of

TOKEN_PREFIX = "cs_"
NAME_LIMIT = 80
TOUCH_EVERY = timedelta(minutes=1)  # last-used time is written at most this often


class TokenError(ValueError):
    """A token cannot be created or changed as asked; ``field`` and ``code`` say why."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(code)
        self.field, self.code = field, code


@dataclass(frozen=True)
class NewToken:
    """A freshly created token row and its secret, which is never shown again."""

    token: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    """Return the stored form of a token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(session: Session, town_id: int, name: str, scope: ApiScope,
                 owner: StaffUser | None, created_by: StaffUser | None,
                 lifetime: timedelta = TOKEN_LIFETIME) -> NewToken:
    """Create a named token of a town, for a staff member (``owner``) or an integration; commit.

    The token stops working ``lifetime`` (default 90 days) after now.

    :raise TokenError: empty, too long or taken name; owner of another town.
    """
    name = " ".join(name.split())
    if not name or not name.isprintable():
        raise TokenError("name", "name_missing")
    if len(name) > NAME_LIMIT:
        raise TokenError("name", "too_long")
    if owner is not None and owner.town_id != town_id:
        raise TokenError("owner", "unknown_owner")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(town_id=town_id, staff_user_id=owner.id if owner else None, name=name,
                   prefix=secret[:10], token_hash=hash_token(secret), scope=scope,
                   created_by_id=created_by.id if created_by else None,
                   created_at=utcnow(), expires_at=utcnow() + lifetime)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise TokenError("name", "name_taken") from None
    if created_by is not None:
        audit.record(session, created_by, "create", "api_token", row.id, None, name)
    session.commit()
    return NewToken(row, secret)


def list_tokens(session: Session, town_id: int, staff: StaffUser | None = None) -> list[ApiToken]:
    """Return a town's tokens, newest first; a staff member (not admin) sees only their own."""
    stmt = select(ApiToken).where(ApiToken.town_id == town_id)
    if staff is not None and staff.role != StaffRole.ADMIN:
        stmt = stmt.where(ApiToken.staff_user_id == staff.id)
    return list(session.exec(stmt.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def may_manage(staff: StaffUser, token: ApiToken) -> bool:
    """Admins manage every token of their town; staff only their own."""
    if token.town_id != staff.town_id:
        return False
    return staff.role == StaffRole.ADMIN or token.staff_user_id == staff.id


def revoke_token(session: Session, token: ApiToken, by: StaffUser | None) -> ApiToken:
    """Stop a token from opening the API (kept as history); commit. Revoking twice is harmless."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        if by is not None:
            audit.record(session, by, "revoke", "api_token", token.id, None, token.name)
        session.commit()
    return token


def revoke_owned(session: Session, user_id: int, now: datetime) -> int:
    """Revoke every live token a staff member owns (their password changed); no commit.

    :return: how many were revoked.
    """
    tokens = session.exec(select(ApiToken).where(ApiToken.staff_user_id == user_id,
                                                 ApiToken.revoked_at.is_(None))).all()
    for token in tokens:
        token.revoked_at = now
        session.add(token)
    return len(tokens)


def town_by_slug(session: Session, slug: str) -> Town | None:
    """Return the town with this slug, if any."""
    return session.exec(select(Town).where(Town.slug == slug)).first()


@dataclass(frozen=True)
class Caller:
    """Who calls the API: the token, and the staff member acting (an integration's stand-in)."""

    token: ApiToken
    actor: StaffUser

    def may(self, scope: ApiScope) -> bool:
        """Tell whether the token's scope covers ``scope`` (write includes read)."""
        return self.token.scope == ApiScope.WRITE or scope == ApiScope.READ


def authenticate(session: Session, secret: str, now: datetime) -> Caller | None:
    """Return the caller of a bearer token, or None if it is unknown, revoked, expired or its
    owner gone.

    An integration acts through a stand-in staff record that is never stored: its audit
    entries name the token (``api:<name>``) and no staff account.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = session.exec(select(ApiToken).where(
        ApiToken.token_hash == hash_token(secret))).first()
    if token is None or token.revoked_at is not None or now >= token.expires_at:
        return None
    actor = _actor(session, token)
    if actor is None:
        return None
    _touch(session, token, now)
    return Caller(token, actor)


def _actor(session: Session, token: ApiToken) -> StaffUser | None:
    if token.staff_user_id is None:
        return StaffUser(id=None, town_id=token.town_id, username=f"api:{token.name}"[:80],
                         display_name=token.name, password_hash="!", role=StaffRole.STAFF)
    user = session.get(StaffUser, token.staff_user_id)
    if user is None or not user.active:
        return None
    if user.town_id == token.town_id:
        return user
    if token.town_id not in {t.id for t in towns_of(session, user.id)}:
        return None  # an admin no longer linked to the token's town
    session.expunge(user)  # act in the token's town for this request only, never written back
    user.town_id = token.town_id
    return user


def _touch(session: Session, token: ApiToken, now: datetime) -> None:
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
        session.add(token)
        session.commit()
