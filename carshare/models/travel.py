"""A town's travel-time settings: how the great-circle model reads its roads (issue 17)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, check, utcnow

#: Calibrated on Teshio town office → Wakkanai City Hospital: 59 km straight, 68 km by road,
#: about 70 minutes in summer; winter about a fifth slower.
DEFAULT_CIRCUITY = 1.15
DEFAULT_SPEED_KMH = 58.0
DEFAULT_WINTER_FACTOR = 1.2
DEFAULT_WINTER_MONTHS = "111000000001"  # January..December, 1 = winter (Dec–Mar)


class TownTravelSettings(SQLModel, table=True):
    """A town's road circuity, average speed and winter slowdown; no row: the defaults."""

    __tablename__ = "town_travel_settings"

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", unique=True)
    circuity: float = DEFAULT_CIRCUITY
    speed_kmh: float = DEFAULT_SPEED_KMH
    winter_factor: float = DEFAULT_WINTER_FACTOR
    winter_months: str = Field(default=DEFAULT_WINTER_MONTHS, max_length=12)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="staff_user.id")

    __table_args__ = (
        check("circuity BETWEEN 1.0 AND 2.0", "circuity_range"),
        check("speed_kmh BETWEEN 20 AND 100", "speed_range"),
        check("winter_factor BETWEEN 1.0 AND 2.0", "winter_factor_range"),
        check("length(winter_months) = 12"
              " AND replace(replace(winter_months, '0', ''), '1', '') = ''", "winter_months"),
    )
