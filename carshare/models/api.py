"""Tokens for the JSON API: one per staff member or integration, stored only as a hash."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, check, enum_type, utcnow


class ApiScope(enum.StrEnum):
    """What a token may do: ``read`` only, or ``write`` (which includes reading)."""

    READ = "read"
    WRITE = "write"


#: How long a token works unless its creator chooses otherwise.
TOKEN_LIFETIME = timedelta(days=90)


def _token_expiry() -> datetime:
    return utcnow() + TOKEN_LIFETIME


class ApiToken(SQLModel, table=True):
    """A bearer token of a town; shown once when created, then known only by its hash."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id")
    name: str = Field(max_length=80)
    prefix: str = Field(max_length=12)  # the first characters, to recognise a token in lists
    token_hash: str = Field(max_length=64, unique=True)  # SHA-256 hex of the whole token
    scope: ApiScope = Field(default=ApiScope.READ, sa_type=enum_type(ApiScope, "api_scope"))
    created_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    expires_at: datetime = Field(default_factory=_token_expiry, sa_type=AwareDateTime)

    __table_args__ = (
        sa.UniqueConstraint("town_id", "name"),
        check("length(name) > 0", "name_not_empty"),
    )

    @property
    def active(self) -> bool:
        """Whether the token still opens the API (neither revoked nor expired)."""
        return self.revoked_at is None and utcnow() < self.expires_at
