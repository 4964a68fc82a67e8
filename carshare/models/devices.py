"""Password-less sign-in for riders and drivers: one-time codes and trusted-phone sessions."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, check, utcnow


class SigninCode(SQLModel, table=True):
    """One code sign-in: a code sent to a resident's phone, known only by a keyed hash.

    A number nobody has gets a row too (``resident_id`` empty, nothing sent), so that tries,
    limits and lockout answer the same for known and unknown numbers. ``phone_key`` (a keyed
    hash of the town and the number) is what per-number limits and lockout count.
    """

    __tablename__ = "signin_code"

    id: int | None = Field(default=None, primary_key=True)
    resident_id: int | None = Field(default=None, foreign_key="resident.id", index=True)
    phone_key: str = Field(default="", max_length=64, index=True)
    nonce: str = Field(max_length=64, unique=True)
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    expires_at: datetime = Field(sa_type=AwareDateTime)
    used_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    attempts: int = 0

    __table_args__ = (check("attempts >= 0", "attempts_non_negative"),
                      check("created_at < expires_at", "expiry"))


class DeviceSession(SQLModel, table=True):
    """A signed-in phone; the cookie holds a token whose hash is stored here. Staff revoke."""

    __tablename__ = "device_session"

    id: int | None = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    expires_at: datetime = Field(sa_type=AwareDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    label: str = Field(default="", max_length=120)
