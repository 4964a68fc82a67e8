"""The notification outbox: every SMS or voice call to send, with its state."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, check, enum_type, json_type, utcnow


class NotificationChannel(enum.StrEnum):
    """Where a message goes."""

    SMS = "sms"
    VOICE = "voice"
    STAFF = "staff"


class NotificationState(enum.StrEnum):
    """pending -> sending -> sent -> delivered / failed / expired; or cancelled / attention."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    NEEDS_ATTENTION = "needs_attention"


class Notification(SQLModel, table=True):
    """One message to send at ``due_at``; the idempotency key makes it unique."""

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    resident_id: int | None = Field(default=None, foreign_key="resident.id", index=True)
    ride_request_id: int | None = Field(default=None, foreign_key="ride_request.id")
    recipient: str = Field(max_length=16)
    channel: NotificationChannel = Field(
        sa_type=enum_type(NotificationChannel, "notification_channel")
    )
    template: str = Field(max_length=60)
    language: str = Field(default="ja", max_length=5)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=json_type())
    due_at: datetime = Field(sa_type=AwareDateTime, index=True)
    state: NotificationState = Field(
        default=NotificationState.PENDING,
        sa_type=enum_type(NotificationState, "notification_state"),
    )
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    provider_id: str | None = Field(default=None, max_length=64, unique=True)
    last_error: str = Field(default="", max_length=500)
    idempotency_key: str = Field(max_length=160, unique=True)
    sent_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    anonymised_at: datetime | None = Field(default=None, sa_type=AwareDateTime)

    __table_args__ = (
        check("attempts >= 0", "attempts_non_negative"),
        check("substr(recipient, 1, 1) = '+' OR channel = 'staff'", "recipient_e164"),
        check("length(idempotency_key) > 0", "key_not_empty"),
        sa.Index("ix_notification_state_due_at", "state", "due_at"),  # the dispatcher's claim
    )
