"""Consents a resident gave, each with its scope, date, how it was obtained and by whom."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, enum_type, utcnow


class ConsentScope(enum.StrEnum):
    """What a consent covers; each is given (or withdrawn) separately."""

    RIDES = "rides"  # using the personal data to arrange rides
    NEEDS = "needs"  # storing and using mobility or health needs
    PROVIDER_ABROAD = "provider_abroad"  # sending the number to the SMS/voice provider (US)
    CAREGIVER = "caregiver"  # copying messages about rides to the caregiver


class ConsentMethod(enum.StrEnum):
    """How the consent was obtained."""

    PHONE = "phone"
    PAPER = "paper"
    IN_PERSON = "in_person"
    UNRECORDED = "unrecorded"  # given before scoped consents were kept (migrated)


class ResidentConsent(SQLModel, table=True):
    """One scope a resident consented to; withdrawing deletes the row (the audit log keeps
    the history)."""

    __tablename__ = "resident_consent"

    id: int | None = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", index=True, ondelete="CASCADE")
    scope: ConsentScope = Field(sa_type=enum_type(ConsentScope, "consent_scope"))
    given_on: date
    method: ConsentMethod = Field(sa_type=enum_type(ConsentMethod, "consent_method"))
    recorded_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)

    __table_args__ = (sa.UniqueConstraint("resident_id", "scope"),)
