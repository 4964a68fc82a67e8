"""The town's travel model, shared by planning, quotes, costs and reports (issue 17).

A town's admin sets the road circuity, the average speed and the winter slowdown; every
use case asks :func:`travel_for` and gets the one great-circle model of those settings, so
its caches of travel times serve every call with the same settings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from sqlmodel import Session, select

from carshare.domain.travel import GreatCircleTravel, TravelConfig, TravelModel
from carshare.models import StaffUser, TownTravelSettings, utcnow
from carshare.services import audit

#: Plausible ranges a town may choose (the database checks the same).
CIRCUITY_RANGE = (1.0, 2.0)
SPEED_RANGE = (20.0, 100.0)
WINTER_FACTOR_RANGE = (1.0, 2.0)

#: Caches of their own for measuring (costs, reports, the corridor fit), so that measuring
#: never pushes the planner's matrices out of its cache.
PLANNING, MEASURING = "planning", "measuring"


class TravelSettingsError(ValueError):
    """A travel setting that cannot be stored; ``field`` names it, ``code`` says why."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(code)
        self.field, self.code = field, code


@dataclass(frozen=True)
class TravelInput:
    """What the admin's form submits."""

    circuity: float
    speed_kmh: float
    winter_factor: float
    winter_months: tuple[int, ...]


def travel_settings(session: Session, town_id: int) -> TownTravelSettings:
    """Return the town's stored settings, or the defaults (not added) when none are saved."""
    row = session.exec(select(TownTravelSettings).where(
        TownTravelSettings.town_id == town_id)).first()
    return row or TownTravelSettings(town_id=town_id)


def config_of(row: TownTravelSettings) -> TravelConfig:
    """Return the domain configuration of stored settings."""
    months = tuple(m for m in range(1, 13) if row.winter_months[m - 1] == "1")
    return TravelConfig(circuity=row.circuity, speed_kmh=row.speed_kmh,
                        winter_factor=row.winter_factor, winter_months=months)


@lru_cache(maxsize=64)
def model_of(config: TravelConfig, pool: str = PLANNING) -> GreatCircleTravel:
    """Return the one shared model of ``config`` in ``pool`` (its caches live with it)."""
    return GreatCircleTravel(config)


def travel_for(session: Session, town_id: int, pool: str = PLANNING) -> TravelModel:
    """Return the travel model of the town's current settings.

    :param pool: ``PLANNING`` for the solver, ``MEASURING`` for single trips and checks.
    """
    return model_of(config_of(travel_settings(session, town_id)), pool)


def save_travel_settings(session: Session, staff: StaffUser,
                         data: TravelInput) -> TownTravelSettings:
    """Check and store the settings of the admin's town; audit; commit.

    :raise TravelSettingsError: a value out of range (nothing is written).
    """
    values = _checked(data)
    row = travel_settings(session, staff.town_id)
    before = {k: getattr(row, k) for k in values}
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at, row.updated_by_id = utcnow(), staff.id
    session.add(row)
    session.flush()
    changes = ", ".join(f"{k}: {before[k]} → {v}" for k, v in values.items() if before[k] != v)
    audit.record(session, staff, "update", "town_travel_settings", row.id, None,
                 "travel settings: " + (changes or "unchanged"))
    session.commit()
    return row


def _checked(data: TravelInput) -> dict[str, object]:
    """Return the values to store, rounded as the form shows them.

    :raise TravelSettingsError: ``out_of_range`` or ``bad_month``.
    """
    values: dict[str, object] = {}
    for name, (low, high), places in (("circuity", CIRCUITY_RANGE, 2),
                                      ("speed_kmh", SPEED_RANGE, 1),
                                      ("winter_factor", WINTER_FACTOR_RANGE, 2)):
        value = getattr(data, name)
        if value is None or not math.isfinite(float(value)) or not low <= float(value) <= high:
            raise TravelSettingsError(name, "out_of_range")
        values[name] = round(float(value), places)
    if set(data.winter_months) - set(range(1, 13)):
        raise TravelSettingsError("winter_months", "bad_month")
    values["winter_months"] = "".join(
        "1" if m in data.winter_months else "0" for m in range(1, 13))
    return values
