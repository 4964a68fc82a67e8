"""Residents (riders and drivers), their phones and the driver role."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, check, enum_type, utcnow


class ContactChannel(enum.StrEnum):
    """How a resident wants to hear from the service."""

    SMS = "sms"
    VOICE = "voice"
    STAFF_CALL = "staff_call"
    NONE = "none"


class PhoneKind(enum.StrEnum):
    """Landlines can take voice calls only; mobiles take SMS too."""

    LANDLINE = "landline"
    MOBILE = "mobile"


class ResidentBase(SQLModel):
    """Fields of a resident that staff read and write."""

    family_name: str = Field(max_length=40)
    given_name: str = Field(max_length=40)
    family_name_kana: str = Field(max_length=80)
    given_name_kana: str = Field(max_length=80)
    home_place_id: int | None = Field(default=None, foreign_key="place.id")
    wheelchair: bool = False
    walker: bool = False
    boarding_help: bool = False
    contact_channel: ContactChannel = Field(
        default=ContactChannel.STAFF_CALL, sa_type=enum_type(ContactChannel, "contact_channel")
    )
    language: str = Field(default="ja", max_length=5)
    caregiver_name: str = Field(default="", max_length=80)
    caregiver_phone: str | None = Field(default=None, max_length=16)
    birth_year: int | None = None  # optional, only for the age bands of the council report
    staff_notes: str = Field(default="", max_length=2000)
    driver_notes: str = Field(default="", max_length=500)


class Resident(ResidentBase, table=True):
    """A person known to the town office: a rider, a driver, or both."""

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    active: bool = True
    left_at: date | None = None
    anonymised_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)

    __table_args__ = (
        check("language IN ('ja', 'en')", "language"),
        check("birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100", "birth_year_range"),
        check("length(family_name) > 0 AND length(given_name) > 0", "name_not_empty"),
        check("caregiver_phone IS NULL OR substr(caregiver_phone, 1, 1) = '+'", "caregiver_e164"),
        sa.Index("ix_resident_town_kana", "town_id", "family_name_kana", "given_name_kana"),
    )


class ResidentCreate(ResidentBase):
    """Input for registering a resident."""


class ResidentPublic(ResidentBase):
    """A resident as shown to staff (never to drivers or other riders)."""

    id: int
    town_id: int


class ResidentPhone(SQLModel, table=True):
    """One phone number of a resident, in E.164 form."""

    __tablename__ = "resident_phone"

    id: int | None = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", index=True, ondelete="CASCADE")
    e164: str = Field(max_length=16, index=True)
    kind: PhoneKind = Field(sa_type=enum_type(PhoneKind, "phone_kind"))
    is_primary: bool = False

    __table_args__ = (
        sa.UniqueConstraint("resident_id", "e164"),
        check(
            "substr(e164, 1, 1) = '+' AND length(e164) BETWEEN 8 AND 16", "e164_format"
        ),
    )


class Driver(SQLModel, table=True):
    """The driver role of a resident, with the documents that allow them to drive others."""

    id: int | None = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", unique=True)
    licence_expiry: date
    insurance_expiry: date
    active: bool = True
    calendar_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
