"""Towns (service areas) and the places riders travel between."""

from __future__ import annotations

import enum
from datetime import datetime

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
    retention_days: int = Field(default=730)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)

    __table_args__ = (check("retention_days >= 30", "retention_min"),)


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
