"""The town's settings for reports and open data: service hours and days, booking line,
website, taxi tariff and CO2 factor. Admins edit them; every change is audited."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import time

from sqlmodel import Session

from carshare.models import StaffUser, Town
from carshare.services import audit

PHONE = re.compile(r"^[0-9][0-9-]{5,18}[0-9]$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


class SettingsError(ValueError):
    """A setting that cannot be stored; ``field`` names it, ``code`` says why."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(code)
        self.field, self.code = field, code


@dataclass(frozen=True)
class ReportSettings:
    """What the settings form edits."""

    office_phone: str
    website: str
    service_start: time
    service_end: time
    service_days: str
    booking_cutoff: time
    taxi_base_fare_yen: int
    taxi_yen_per_km: int
    co2_g_per_km: int


def current(town: Town) -> ReportSettings:
    """Return the town's settings as the form shows them."""
    return ReportSettings(**{name: getattr(town, name) for name in ReportSettings.__annotations__})


def update_settings(session: Session, staff: StaffUser, data: ReportSettings) -> Town:
    """Check and store the settings of the admin's town; audit; commit.

    :raise SettingsError: a value out of range or inconsistent (nothing is written).
    """
    check(data)
    town = session.get(Town, staff.town_id)
    changed = [k for k, v in asdict(data).items() if getattr(town, k) != v]
    for name, value in asdict(data).items():
        setattr(town, name, value)
    session.add(town)
    audit.record(session, staff, "update", "town", town.id, None,
                 "report settings: " + ", ".join(changed))
    session.commit()
    return town


def check(data: ReportSettings) -> None:
    """Refuse what the database would refuse, with the field to blame.

    :raise SettingsError: see the codes below.
    """
    if data.office_phone and not PHONE.match(data.office_phone):
        raise SettingsError("office_phone", "bad_phone")
    if data.website and (len(data.website) > 200 or not URL.match(data.website)):
        raise SettingsError("website", "bad_url")
    if data.service_start >= data.service_end:
        raise SettingsError("service_end", "hours_inverted")
    if len(data.service_days) != 7 or set(data.service_days) - {"0", "1"} \
            or "1" not in data.service_days:
        raise SettingsError("service_days", "no_day")
    for name, top in (("taxi_base_fare_yen", 100_000), ("taxi_yen_per_km", 10_000),
                      ("co2_g_per_km", 2_000)):
        if not 0 <= getattr(data, name) <= top:
            raise SettingsError(name, "out_of_range")
