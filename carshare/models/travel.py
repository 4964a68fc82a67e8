"""A town's travel-time settings and its road closures (issues 17 and 20)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, check, enum_type, utcnow

#: Calibrated on Teshio town office → Wakkanai City Hospital: 59 km straight, 68 km by road,
#: about 70 minutes in summer; winter about a fifth slower.
DEFAULT_CIRCUITY = 1.15
DEFAULT_SPEED_KMH = 58.0
#: Travel times × the month's factor, January to December (December–March: snow).
DEFAULT_MONTH_FACTORS = "1.20,1.20,1.20,1.00,1.00,1.00,1.00,1.00,1.00,1.00,1.00,1.20"
MONTH_FACTOR_RANGE = (0.7, 2.0)


class TownTravelSettings(SQLModel, table=True):
    """A town's road circuity, average speed and month factors; no row: the defaults."""

    __tablename__ = "town_travel_settings"

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", unique=True)
    circuity: float = DEFAULT_CIRCUITY
    speed_kmh: float = DEFAULT_SPEED_KMH
    month_factors: str = Field(default=DEFAULT_MONTH_FACTORS, max_length=72)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="staff_user.id")

    __table_args__ = (
        check("circuity BETWEEN 1.0 AND 2.0", "circuity_range"),
        check("speed_kmh BETWEEN 20 AND 100", "speed_range"),
        check("length(month_factors) BETWEEN 23 AND 72", "month_factors_length"),
    )

    @property
    def factors(self) -> tuple[float, ...]:
        """Return the twelve month factors, January first."""
        return tuple(float(v) for v in self.month_factors.split(","))


class ClosureKind(enum.StrEnum):
    """What is closed: a stretch of road between two points, or every road in a circle."""

    SEGMENT = "segment"
    AREA = "area"


class RoadClosure(SQLModel, table=True):
    """A road closure (通行止め) entered by staff for one day."""

    __tablename__ = "road_closure"

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    day: date = Field(index=True)
    kind: ClosureKind = Field(sa_type=enum_type(ClosureKind, "closure_kind"))
    lat: float  # segment: one end; area: the centre
    lon: float
    lat2: float | None = None  # segment: the other end
    lon2: float | None = None
    radius_m: int  # area: its radius; segment: how far either side of the line is closed
    note: str = Field(default="", max_length=200)  # which road, why (shown to staff)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    lifted_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    lifted_by_id: int | None = Field(default=None, foreign_key="staff_user.id")

    __table_args__ = (
        check("lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180", "closure_point"),
        check("(kind = 'area' AND lat2 IS NULL AND lon2 IS NULL) OR (kind = 'segment'"
              " AND lat2 BETWEEN -90 AND 90 AND lon2 BETWEEN -180 AND 180)", "closure_shape"),
        check("radius_m BETWEEN 10 AND 20000", "closure_radius"),
    )
