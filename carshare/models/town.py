"""Towns (service areas) and the places riders travel between."""

from __future__ import annotations

import enum
from datetime import datetime, time

from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, check, enum_type, utcnow


class PlaceKind(enum.StrEnum):
    """What a place is; homes are private, the rest are facilities."""

    HOME = "home"
    HOSPITAL = "hospital"
    CLINIC = "clinic"
    SHOP = "shop"
    TOWN_OFFICE = "town_office"
    STATION = "station"
    OTHER = "other"


class Town(SQLModel, table=True):
    """A municipality that runs the service; the unit of data separation."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=80)
    name_kana: str = Field(default="", max_length=120)
    timezone: str = Field(default="Asia/Tokyo", max_length=40)
    retention_days: int = Field(default=1095)  # three years
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    # Reports and open data (issue 7): the office's booking line and service hours, and the
    # figures the council report compares the service with.
    office_phone: str = Field(default="", max_length=20)  # empty: CARSHARE_OFFICE_PHONE
    service_start: time = Field(default=time(8), sa_column_kwargs={"server_default": "08:00:00"})
    service_end: time = Field(default=time(18), sa_column_kwargs={"server_default": "18:00:00"})
    booking_cutoff: time = Field(default=time(17),
                                 sa_column_kwargs={"server_default": "17:00:00"})
    taxi_base_fare_yen: int = Field(default=670, sa_column_kwargs={"server_default": "670"})
    taxi_yen_per_km: int = Field(default=400, sa_column_kwargs={"server_default": "400"})
    co2_g_per_km: int = Field(default=150, sa_column_kwargs={"server_default": "150"})
    service_days: str = Field(default="1111100", max_length=7,  # Monday..Sunday, 1 = runs
                              sa_column_kwargs={"server_default": "1111100"})
    website: str = Field(default="", max_length=200)  # agency_url of the open data

    __table_args__ = (
        check("retention_days >= 30", "retention_min"),
        check("service_start < service_end", "service_hours"),
        check("taxi_base_fare_yen BETWEEN 0 AND 100000", "taxi_base_range"),
        check("taxi_yen_per_km BETWEEN 0 AND 10000", "taxi_per_km_range"),
        check("co2_g_per_km BETWEEN 0 AND 2000", "co2_range"),
        check("length(service_days) = 7 AND service_days <> '0000000'"
              " AND replace(replace(service_days, '0', ''), '1', '') = ''", "service_days"),
    )


class PlaceBase(SQLModel):
    """Fields of a place that the web and API read and write."""

    kind: PlaceKind = Field(sa_type=enum_type(PlaceKind, "place_kind"))
    name: str = Field(max_length=120)
    kana: str = Field(default="", max_length=160)
    lat: float
    lon: float
    settlement: str = Field(default="", max_length=80)


class Place(PlaceBase, table=True):
    """A named point with coordinates: a home, a facility or a settlement centre."""

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    active: bool = True

    __table_args__ = (
        check("lat BETWEEN -90 AND 90", "lat_range"),
        check("lon BETWEEN -180 AND 180", "lon_range"),
        check("length(name) > 0", "name_not_empty"),
    )


class PlaceCreate(PlaceBase):
    """Input for a new place."""


class PlacePublic(PlaceBase):
    """A place as shown to staff and the API."""

    id: int
    town_id: int
