"""Vehicles and drivers' offers of seats (availability)."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, check, enum_type, utcnow

MAX_SEATS = 9
MAX_EXTRA_MINUTES = 600  # extra driving a volunteer may accept for riders, whole trip


class Vehicle(SQLModel, table=True):
    """A driver's private car."""

    id: int | None = Field(default=None, primary_key=True)
    driver_id: int = Field(foreign_key="driver.id", index=True)
    seats: int  # passenger seats, the driver excluded
    wheelchair_spaces: int = 0
    fuel_economy_km_per_l: float
    colour: str = Field(max_length=30)
    make_model: str = Field(default="", max_length=60)
    plate: str = Field(max_length=40, unique=True)
    active: bool = True

    __table_args__ = (
        check(f"seats BETWEEN 1 AND {MAX_SEATS}", "seats_range"),
        check("wheelchair_spaces BETWEEN 0 AND seats", "wheelchair_spaces_range"),
        check("fuel_economy_km_per_l > 0 AND fuel_economy_km_per_l < 100", "fuel_economy"),
    )


class OfferStatus(enum.StrEnum):
    """An offer is open until its driver or staff withdraws it."""

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class OfferBase(SQLModel):
    """Fields of an offer that drivers and staff write.

    An offer is either for one ``service_date`` or a weekly pattern (``weekday``, 0 = Monday)
    valid between ``valid_from`` and ``valid_until``. Times of day are in the town's zone.

    A planned trip has a ``destination_place_id`` the driver must reach by ``arrive_by`` and
    leaves after ``leave_after`` (none: a one-way trip ending there). Without a destination
    the offer is availability only ("Tuesdays 8-12 around Teshio"). ``extra_minutes`` is the
    driving the volunteer accepts for riders over the whole trip, not per rider.
    """

    vehicle_id: int = Field(foreign_key="vehicle.id")
    service_date: date | None = None
    weekday: int | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    depart_after: time
    return_by: time
    start_place_id: int = Field(foreign_key="place.id")
    end_place_id: int = Field(foreign_key="place.id")
    destination_place_id: int | None = Field(default=None, foreign_key="place.id")
    arrive_by: time | None = None
    leave_after: time | None = None
    seats: int
    wheelchair_spaces: int = 0
    extra_minutes: int = 60
    auto_accept: bool = False
    note: str = Field(default="", max_length=300)


class Offer(OfferBase, table=True):
    """When and from where to where a driver can take riders along."""

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    driver_id: int = Field(foreign_key="driver.id", index=True)
    status: OfferStatus = Field(
        default=OfferStatus.ACTIVE, sa_type=enum_type(OfferStatus, "offer_status")
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)

    __table_args__ = (
        check(
            "(service_date IS NOT NULL AND weekday IS NULL)"
            " OR (service_date IS NULL AND weekday IS NOT NULL AND weekday BETWEEN 0 AND 6)",
            "date_or_weekday",
        ),
        check("valid_until IS NULL OR valid_from IS NULL OR valid_from <= valid_until", "valid"),
        check("depart_after < return_by", "window"),
        check(f"seats BETWEEN 1 AND {MAX_SEATS}", "seats_range"),
        check(f"wheelchair_spaces BETWEEN 0 AND {MAX_SEATS}", "wheelchair_spaces_range"),
        check(f"extra_minutes BETWEEN 0 AND {MAX_EXTRA_MINUTES}", "extra_range"),
        check(
            "(destination_place_id IS NULL AND arrive_by IS NULL AND leave_after IS NULL)"
            " OR (destination_place_id IS NOT NULL AND arrive_by IS NOT NULL"
            " AND depart_after <= arrive_by AND arrive_by <= return_by"
            " AND (leave_after IS NULL"
            " OR (arrive_by <= leave_after AND leave_after <= return_by))"
            " AND (leave_after IS NOT NULL OR end_place_id = destination_place_id))",
            "own_trip",
        ),
    )


class OfferCreate(OfferBase):
    """Input for a new offer."""


class OfferPublic(OfferBase):
    """An offer as shown to staff and its driver."""

    id: int
    driver_id: int
    status: OfferStatus
