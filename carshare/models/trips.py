"""What happens on the road: drivers' answers to assignments and their trip progress."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, check, enum_type, utcnow


class AssignmentState(enum.StrEnum):
    """A driver is asked to take a rider: they accept, decline, or let the deadline pass."""

    ASKED = "asked"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


class Assignment(SQLModel, table=True):
    """The matching engine put a rider on an offer that is not auto-accept: ask the driver."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="ride_request.id", index=True)
    offer_id: int = Field(foreign_key="offer.id", index=True)
    state: AssignmentState = Field(default=AssignmentState.ASKED,
                                   sa_type=enum_type(AssignmentState, "assignment_state"))
    asked_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    deadline: datetime = Field(sa_type=AwareDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=AwareDateTime)

    __table_args__ = (sa.UniqueConstraint("request_id", "offer_id"),
                      check("asked_at < deadline", "deadline_after_ask"))


class TripEventKind(enum.StrEnum):
    """Buttons on the driver's manifest."""

    STARTED = "started"
    PICKED_UP = "picked_up"
    DROPPED_OFF = "dropped_off"
    NO_SHOW = "no_show"


class TripEvent(SQLModel, table=True):
    """One button press on a trip, kept once even when an offline phone sends it twice."""

    __tablename__ = "trip_event"

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    offer_id: int = Field(foreign_key="offer.id")
    service_date: date
    request_id: int | None = Field(default=None, foreign_key="ride_request.id", index=True)
    kind: TripEventKind = Field(sa_type=enum_type(TripEventKind, "trip_event_kind"))
    happened_at: datetime = Field(sa_type=AwareDateTime)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    client_event_id: str = Field(max_length=64, unique=True)
    by_resident_id: int | None = Field(default=None, foreign_key="resident.id")
    by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    note: str = Field(default="", max_length=300)

    __table_args__ = (
        sa.UniqueConstraint("offer_id", "service_date", "request_id", "kind"),
        check("(kind = 'started') = (request_id IS NULL)", "rider_events_name_a_rider"),
        sa.Index("ix_trip_event_offer_day", "offer_id", "service_date"),
    )
