"""Actual-cost sharing: the town's split settings, dated fuel prices, trip cost items, gifts.

A trip is one offer on one service date (the same key as the driver's trip events), so the
cost items survive re-planning. Fuel is never stored as an item: it is computed from the
driven kilometres, the dated fuel price and the car's fuel economy.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from carshare.domain.costs import ItemKind, RoundingMode, SplitRule
from carshare.models.base import AwareDateTime, check, enum_type, utcnow


class TownCostSettings(SQLModel, table=True):
    """How a town shares costs: the split rule, the rounding, the optional items it allows."""

    __tablename__ = "town_cost_settings"

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", unique=True)
    split_rule: SplitRule = Field(default=SplitRule.WHOLE_TRIP,
                                  sa_type=enum_type(SplitRule, "split_rule"))
    rounding_unit: int = 10
    rounding_mode: RoundingMode = Field(default=RoundingMode.NEAREST,
                                        sa_type=enum_type(RoundingMode, "rounding_mode"))
    insurance_enabled: bool = False
    rental_enabled: bool = False
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="staff_user.id")

    __table_args__ = (check("rounding_unit IN (1, 10, 100)", "rounding_unit"),)


class FuelPrice(SQLModel, table=True):
    """The town's fuel price per litre from ``valid_from`` until the next entry."""

    __tablename__ = "fuel_price"

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    valid_from: date
    yen_per_litre: Decimal = Field(max_digits=6, decimal_places=1)
    entered_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    entered_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)

    __table_args__ = (
        sa.UniqueConstraint("town_id", "valid_from"),
        check("yen_per_litre BETWEEN 50 AND 500", "price_range"),
    )


class TripCostItem(SQLModel, table=True):
    """A toll, parking fee, insurance share or rental entered for a trip by driver or staff."""

    __tablename__ = "trip_cost_item"

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    offer_id: int = Field(foreign_key="offer.id")
    service_date: date
    kind: ItemKind = Field(sa_type=enum_type(ItemKind, "cost_item_kind"))
    amount_yen: int
    extra: bool = True  # caused only by carrying the riders (counts under the extra-only rule)
    note: str = Field(default="", max_length=200)
    entered_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    entered_by_resident_id: int | None = Field(default=None, foreign_key="resident.id")
    entered_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)

    __table_args__ = (
        check("kind <> 'fuel'", "fuel_is_computed"),
        check("amount_yen BETWEEN 0 AND 30000", "amount_range"),
        sa.Index("ix_trip_cost_item_offer_day", "offer_id", "service_date"),
    )


class TripDistance(SQLModel, table=True):
    """Staff's correction of a trip's driven kilometres (e.g. from the odometer)."""

    __tablename__ = "trip_distance"

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    offer_id: int = Field(foreign_key="offer.id")
    service_date: date
    km: Decimal = Field(max_digits=6, decimal_places=1)
    note: str = Field(default="", max_length=200)
    entered_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    entered_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)

    __table_args__ = (
        sa.UniqueConstraint("offer_id", "service_date"),
        check("km >= 0 AND km <= 1000", "km_range"),
    )


class Gift(SQLModel, table=True):
    """A voluntary thank-you from a rider to a driver: recorded apart, never part of a split."""

    id: int | None = Field(default=None, primary_key=True)
    town_id: int = Field(foreign_key="town.id", index=True)
    driver_id: int = Field(foreign_key="driver.id", index=True)
    rider_id: int | None = Field(default=None, foreign_key="resident.id")
    given_on: date
    description: str = Field(max_length=200)
    value_yen: int | None = None
    recorded_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)

    __table_args__ = (
        check("value_yen IS NULL OR value_yen BETWEEN 0 AND 100000", "value_range"),
        check("length(description) > 0", "description_not_empty"),
    )
