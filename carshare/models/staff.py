"""Town office staff accounts and the audit log of who did what."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, check, enum_type, utcnow


class StaffRole(enum.StrEnum):
    """Admins manage accounts and may see several towns; staff work in one town."""

    ADMIN = "admin"
    STAFF = "staff"


class StaffUser(UserMixin, SQLModel, table=True):
    """A person at the town office who signs in with a password."""

    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    username: str = Field(max_length=40, unique=True)
    display_name: str = Field(max_length=80)
    password_hash: str = Field(max_length=200)
    role: StaffRole = Field(default=StaffRole.STAFF, sa_type=enum_type(StaffRole, "staff_role"))
    active: bool = True
    session_token: str = Field(default="", max_length=64)
    last_login_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    failed_logins: int = 0  # wrong passwords since ``failed_since`` (counted before checking)
    failed_since: datetime | None = Field(default=None, sa_type=AwareDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=AwareDateTime)

    __table_args__ = (check("length(username) >= 3", "username_length"),
                      check("failed_logins >= 0", "failed_logins_non_negative"))

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        """Deactivated accounts cannot sign in."""
        return self.active

    def get_id(self) -> str:
        """Return the session identity: id plus a token that logout rotates."""
        return f"{self.id}:{self.session_token}"


class AuditLog(SQLModel, table=True):
    """Who did what to which record, when and why; written in the same transaction."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
    town_id: int | None = Field(default=None, foreign_key="town.id")
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id")
    actor: str = Field(max_length=80)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    resident_id: int | None = Field(default=None, foreign_key="resident.id")
    reason: str = Field(default="", max_length=300)

    __table_args__ = (
        check("length(action) > 0", "action_not_empty"),
        sa.Index("ix_audit_log_resident", "resident_id", "at"),
    )
