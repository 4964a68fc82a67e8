"""Ride requests: who wants to go from where to where, and when."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, check, enum_type, utcnow


class WindowKind(enum.StrEnum):
    """Arrive-by gives a drop-off window; pick-up-after gives a pick-up window."""

    ARRIVE_BY = "arrive_by"
    PICKUP_AFTER = "pickup_after"


class RequestChannel(enum.StrEnum):
    """How the request reached the town office."""

    PHONE = "phone"
    WEB = "web"
    API = "api"


class RequestStatus(enum.StrEnum):
    """Life of a request, from the call to the end of the trip.

    ``QUOTED`` is a request whose options are being read out during a call: nobody but the
    person asking sees it (no plan, dashboard, call list, rider's page, export or report),
    and it becomes ``REQUESTED``, ``CONFIRMED`` or ``WAITING`` only when the caller takes an
    option or the waiting list; an abandoned one is deleted after :data:`QUOTE_MINUTES`.
    """

    QUOTED = "quoted"
    REQUESTED = "requested"
    WAITING = "waiting"
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    UNMET = "unmet"


#: Minutes an abandoned quote is kept (the call may go on while the options are read out).
QUOTE_MINUTES = 30

OPEN_STATUSES = (RequestStatus.REQUESTED, RequestStatus.WAITING, RequestStatus.PLANNED,
                 RequestStatus.CONFIRMED)


class RideRequestBase(SQLModel):
    """Fields of a ride request that staff, riders and the API write."""

    rider_id: int = Field(foreign_key="resident.id", index=True)
    pickup_place_id: int = Field(foreign_key="place.id")
    dropoff_place_id: int = Field(foreign_key="place.id")
    window_kind: WindowKind = Field(sa_type=enum_type(WindowKind, "window_kind"))
    window_start: datetime = Field(sa_type=AwareDateTime)
    window_end: datetime = Field(sa_type=AwareDateTime)
    party_size: int = 1
    wheelchair: bool = False
    walker: bool = False
    boarding_help: bool = False
    return_open: bool = False  # return leg wanted, time not yet known ("rider will call")
    note: str = Field(default="", max_length=500)


class RideRequest(RideRequestBase, table=True):
    """A request for one leg; a return leg is another request linked to its outbound one."""

    __tablename__ = "ride_request"

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    outbound_id: int | None = Field(default=None, foreign_key="ride_request.id", unique=True)
    #: The booked ride this one replaces: taking this one up cancels that one ("changed").
    replaces_id: int | None = Field(default=None, foreign_key="ride_request.id")
    channel: RequestChannel = Field(
        default=RequestChannel.PHONE, sa_type=enum_type(RequestChannel, "request_channel")
    )
    status: RequestStatus = Field(
        default=RequestStatus.REQUESTED, sa_type=enum_type(RequestStatus, "request_status")
    )
    outcome_code: str | None = Field(default=None, max_length=40)
    outcome_reason: str = Field(default="", max_length=500)
    promised_offer_id: int | None = Field(default=None, foreign_key="offer.id")
    promised_pickup_start: datetime | None = Field(default=None, sa_type=AwareDateTime)
    promised_pickup_end: datetime | None = Field(default=None, sa_type=AwareDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    anonymised_at: datetime | None = Field(default=None, sa_type=AwareDateTime)

    __table_args__ = (
        check("window_start < window_end", "window"),
        check("party_size BETWEEN 1 AND 8", "party_size_range"),
        check("pickup_place_id <> dropoff_place_id", "distinct_places"),
        check("outbound_id IS NULL OR outbound_id <> id", "not_own_return"),
        check(
            "(promised_pickup_start IS NULL) = (promised_pickup_end IS NULL)"
            " AND (promised_pickup_start IS NULL OR promised_pickup_start < promised_pickup_end)",
            "promise_window",
        ),
        sa.Index("ix_ride_request_town_window", "town_id", "window_start"),
    )


class RideRequestCreate(RideRequestBase):
    """Input for a new request."""


class RideRequestPublic(RideRequestBase):
    """A request as shown to staff and to its rider."""

    id: int
    status: RequestStatus
    outbound_id: int | None
