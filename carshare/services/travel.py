"""The town's travel model, shared by planning, quotes, costs and reports (issue 17).

A town's admin sets the road circuity, the average speed and the winter slowdown; every
use case asks :func:`travel_for` and gets the one great-circle model of those settings, so
its caches of travel times serve every call with the same settings.
"""

from __future__ import annotations

from functools import lru_cache

from sqlmodel import Session, select

from carshare.domain.travel import GreatCircleTravel, TravelConfig, TravelModel
from carshare.models import TownTravelSettings

#: Caches of their own for measuring (costs, reports, the demo history), so that measuring
#: never pushes the planner's matrices out of its cache.
PLANNING, MEASURING = "planning", "measuring"


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
