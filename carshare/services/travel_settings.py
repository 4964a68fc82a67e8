"""The admin's travel settings: check, store and audit them, and show what they mean for the
town's main drive (town office → its regional hospital) month by month."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from carshare.domain import types as d
from carshare.models import Place, PlaceKind, StaffUser, Town, TownTravelSettings, utcnow
from carshare.models.travel import MONTH_FACTOR_RANGE
from carshare.services import audit
from carshare.services.travel import MEASURING, travel_for, travel_settings

#: Plausible ranges a town may choose (the database checks the first two).
RANGES = {"circuity": (1.0, 2.0, 2), "speed_kmh": (20.0, 100.0, 1),
          "month_factor": (*MONTH_FACTOR_RANGE, 2)}  # low, high, decimals kept


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
    month_factors: tuple[float, ...]  # January to December


@dataclass(frozen=True)
class SampleDrive:
    """The town's main drive as the model times it (minutes rounded, January first)."""

    origin: str
    target: str
    km: int
    minutes: tuple[int, ...]


def save_travel_settings(session: Session, staff: StaffUser, data: TravelInput,
                         why: str = "") -> TownTravelSettings:
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
                 "travel settings: " + (changes or "unchanged") + (f" ({why})" if why else ""))
    session.commit()
    return row


def checked(data: TravelInput) -> dict[str, object]:
    """Return the values to store, rounded as the form shows them.

    :raise TravelSettingsError: ``out_of_range`` or ``bad_month``.
    """
    values: dict[str, object] = {}
    for name in ("circuity", "speed_kmh"):
        low, high, places = RANGES[name]
        value = getattr(data, name)
        if value is None or not math.isfinite(float(value)) or not low <= float(value) <= high:
            raise TravelSettingsError(name, "out_of_range")
        values[name] = round(float(value), places)
    if len(data.month_factors) != 12:
        raise TravelSettingsError("month_factors", "bad_month")
    low, high, places = RANGES["month_factor"]
    factors = []
    for month, value in enumerate(data.month_factors, start=1):
        if value is None or not math.isfinite(float(value)) or not low <= float(value) <= high:
            raise TravelSettingsError(f"month_{month}", "out_of_range")
        factors.append(f"{round(float(value), places):.2f}")
    values["month_factors"] = ",".join(factors)
    return values


def set_month_factor(session: Session, staff: StaffUser, month: int, factor: float,
                     why: str) -> TownTravelSettings:
    """Change one month's factor of the admin's town (an accepted suggestion); audit; commit.

    :param why: what the change rests on, kept in the audit log.
    :raise TravelSettingsError: ``out_of_range`` or ``bad_month`` (nothing is written).
    """
    row = travel_settings(session, staff.town_id)
    if not 1 <= month <= 12:
        raise TravelSettingsError("month_factors", "bad_month")
    factors = list(row.factors)
    factors[month - 1] = factor
    data = TravelInput(row.circuity, row.speed_kmh, tuple(factors))
    return save_travel_settings(session, staff, data, why)


def sample_drive(session: Session, town_id: int, year: int) -> SampleDrive | None:
    """Time the town's main drive in each month with its current model and settings
    (None: no such places)."""
    ends = _main_drive(session, town_id)
    if ends is None:
        return None
    travel = travel_for(session, town_id, MEASURING)
    a, b = (d.Place(p.id, p.name, p.lat, p.lon) for p in ends)
    minutes, metres = [], 0
    for month in range(1, 13):
        times, dists = travel.matrix([a], [b], date(year, month, 15))
        minutes.append(round(times[0][0] / 60))
        metres = dists[0][0]
    return SampleDrive(ends[0].name, ends[1].name, round(metres / 1000), tuple(minutes))


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
