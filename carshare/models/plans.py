"""Plans: which driver carries whom, in which order, at which times."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, check, enum_type, json_type, utcnow


class PlanStatus(enum.StrEnum):
    """Only one plan per town and day is active; older versions are kept as history."""

    DRAFT = "draft"
    ACTIVE = "active"
    SUPERSEDED = "superseded"


class StopKind(enum.StrEnum):
    """What happens at a stop."""

    START = "start"
    PICKUP = "pickup"
    DROPOFF = "dropoff"
    END = "end"


class StopStatus(enum.StrEnum):
    """Progress of a stop as the driver reports it."""

    PLANNED = "planned"
    ARRIVED = "arrived"
    DONE = "done"
    NO_SHOW = "no_show"
    SKIPPED = "skipped"


class Plan(SQLModel, table=True):
    """One version of the plan for a town and a service day."""

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id")
    service_date: date
    version: int = 1
    status: PlanStatus = Field(
        default=PlanStatus.DRAFT, sa_type=enum_type(PlanStatus, "plan_status")
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    note: str = Field(default="", max_length=500)

    __table_args__ = (
        sa.UniqueConstraint("town_id", "service_date", "version"),
        check("version >= 1", "version_positive"),
    )


class Route(SQLModel, table=True):
    """One driver's trip in a plan, with the capacity it must never exceed."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    offer_id: int = Field(foreign_key="offer.id")
    vehicle_id: int = Field(foreign_key="vehicle.id")
    seats: int
    wheelchair_spaces: int = 0
    peak_load: int = 0
    peak_wheelchairs: int = 0
    distance_m: int = 0
    driving_s: int = 0
    starts_at: datetime = Field(sa_type=AwareDateTime)
    ends_at: datetime = Field(sa_type=AwareDateTime)

    __table_args__ = (
        sa.UniqueConstraint("plan_id", "offer_id"),
        check("peak_load BETWEEN 0 AND seats", "peak_within_seats"),
        check("peak_wheelchairs BETWEEN 0 AND wheelchair_spaces", "wheelchairs_within_spaces"),
        check("starts_at <= ends_at", "times"),
        check("distance_m >= 0 AND driving_s >= 0", "non_negative"),
    )


class Stop(SQLModel, table=True):
    """A visit to a place on a route, with its planned and promised times."""

    id: int | None = Field(default=None, primary_key=True)
    route_id: int = Field(foreign_key="route.id", index=True, ondelete="CASCADE")
    sequence: int
    kind: StopKind = Field(sa_type=enum_type(StopKind, "stop_kind"))
    place_id: int = Field(foreign_key="place.id")
    request_id: int | None = Field(default=None, foreign_key="ride_request.id", index=True)
    arrival_at: datetime = Field(sa_type=AwareDateTime)
    service_start_at: datetime = Field(sa_type=AwareDateTime)
    departure_at: datetime = Field(sa_type=AwareDateTime)
    promised_start: datetime | None = Field(default=None, sa_type=AwareDateTime)
    promised_end: datetime | None = Field(default=None, sa_type=AwareDateTime)
    load_after: int = 0
    status: StopStatus = Field(
        default=StopStatus.PLANNED, sa_type=enum_type(StopStatus, "stop_status")
    )

    __table_args__ = (
        sa.UniqueConstraint("route_id", "sequence"),
        check("sequence >= 0", "sequence_non_negative"),
        check("load_after >= 0", "load_non_negative"),
        check("arrival_at <= service_start_at AND service_start_at <= departure_at", "times"),
        check(
            "(kind IN ('pickup', 'dropoff')) = (request_id IS NOT NULL)", "request_for_rider_stops"
        ),
    )


class RunStatus(enum.StrEnum):
    """A re-planning run in the background."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class PlanningRun(SQLModel, table=True):
    """One re-planning of a day started by staff, so any web worker can show its progress."""

    __tablename__ = "planning_run"

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    service_date: date
    requested_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    status: RunStatus = Field(default=RunStatus.RUNNING, sa_type=enum_type(RunStatus, "run_status"))
    time_limit_s: int
    started_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    served: int | None = None
    waiting: int | None = None
    changes: list[dict[str, Any]] = Field(default_factory=list, sa_type=json_type())
    error: str = Field(default="", max_length=300)

    __table_args__ = (
        check("time_limit_s BETWEEN 1 AND 600", "time_limit_range"),
        check("served IS NULL OR served >= 0", "served_non_negative"),
    )
