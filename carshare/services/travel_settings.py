"""The admin's travel settings: check, store and audit them, and show what they mean for the
town's main drive (town office → its regional hospital) in summer and in winter."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from carshare.domain import types as d
from carshare.domain.travel import TravelConfig
from carshare.models import Place, PlaceKind, StaffUser, Town, TownTravelSettings, utcnow
from carshare.services import audit
from carshare.services.travel import MEASURING, config_of, model_of, travel_settings

#: Plausible ranges a town may choose (the database checks the same).
RANGES = {"circuity": (1.0, 2.0, 2), "speed_kmh": (20.0, 100.0, 1),
          "winter_factor": (1.0, 2.0, 2)}  # low, high, decimals kept


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


@dataclass(frozen=True)
class SampleDrive:
    """The town's main drive as the model times it (minutes rounded)."""

    origin: str
    target: str
    km: int
    summer_minutes: int | None  # None: every month is a winter month
    winter_minutes: int | None  # None: the town has no winter months


def save_travel_settings(session: Session, staff: StaffUser,
                         data: TravelInput) -> TownTravelSettings:
    """Check and store the settings of the admin's town; audit; commit.

    :raise TravelSettingsError: ``out_of_range`` or ``bad_month`` (nothing is written).
    """
    values = checked(data)
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


def checked(data: TravelInput) -> dict[str, object]:
    """Return the values to store, rounded as the form shows them.

    :raise TravelSettingsError: ``out_of_range`` or ``bad_month``.
    """
    values: dict[str, object] = {}
    for name, (low, high, places) in RANGES.items():
        value = getattr(data, name)
        if value is None or not math.isfinite(float(value)) or not low <= float(value) <= high:
            raise TravelSettingsError(name, "out_of_range")
        values[name] = round(float(value), places)
    if set(data.winter_months) - set(range(1, 13)):
        raise TravelSettingsError("winter_months", "bad_month")
    values["winter_months"] = "".join(
        "1" if m in data.winter_months else "0" for m in range(1, 13))
    return values


def sample_drive(session: Session, town_id: int, year: int) -> SampleDrive | None:
    """Time the town's main drive with its current settings (None: no such places)."""
    ends = _main_drive(session, town_id)
    return _timed(config_of(travel_settings(session, town_id)), *ends, year) if ends else None


def _main_drive(session: Session, town_id: int) -> tuple[Place, Place] | None:
    """Return the town's own office and the hospital farthest from it (the regional one)."""
    town = session.get(Town, town_id)
    places = list(session.exec(select(Place).where(
        Place.town_id == town_id, Place.active, Place.kind != PlaceKind.HOME).order_by(Place.id)))
    offices = [p for p in places if p.kind is PlaceKind.TOWN_OFFICE]
    origin = next((p for p in offices if town and p.name.startswith(town.name)),
                  offices[0] if offices else None)
    targets = [p for p in places if p.kind is PlaceKind.HOSPITAL] or places
    targets = [p for p in targets if origin and p.id != origin.id]
    if origin is None or not targets:
        return None
    return origin, max(targets, key=lambda p: (p.lat - origin.lat) ** 2 + (p.lon - origin.lon) ** 2)


def _timed(config: TravelConfig, origin: Place, target: Place, year: int) -> SampleDrive:
    travel = model_of(config, MEASURING)
    a, b = (d.Place(p.id, p.name, p.lat, p.lon) for p in (origin, target))
    summer = next((m for m in (7, 8, 6, 9, 5, 10, 4, 11) if m not in config.winter_months), None)
    minutes, metres = {}, [[0]]
    for season, month in (("summer", summer), ("winter", min(config.winter_months, default=None))):
        if month is not None:
            times, metres = travel.matrix([a], [b], date(year, month, 15))
            minutes[season] = round(times[0][0] / 60)
    return SampleDrive(origin.name, target.name, round(metres[0][0] / 1000),
                       minutes.get("summer"), minutes.get("winter"))
