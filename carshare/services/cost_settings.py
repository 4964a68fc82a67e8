"""A town's cost-sharing settings and its dated fuel prices, as staff edit them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from carshare.domain.costs import (
    FUEL_PRICE_RANGE,
    ROUNDING_UNITS,
    CostError,
    Rounding,
    RoundingMode,
    SplitRule,
)
from carshare.models import FuelPrice, StaffUser, TownCostSettings, utcnow
from carshare.services import audit

#: A fuel price older than this is not used: staff must enter a current one.
FUEL_PRICE_MAX_AGE_DAYS = 92
PRICE_HISTORY_LIMIT = 100


@dataclass(frozen=True)
class SettingsInput:
    """What staff choose on the town's cost settings page (strings as submitted)."""

    split_rule: str
    rounding_unit: int
    rounding_mode: str
    insurance_enabled: bool = False
    rental_enabled: bool = False


def flush_or_conflict(session: Session) -> None:
    """Flush; when another request wrote the same row at the same moment, roll back.

    :raise CostError: ``conflict`` (the person can simply try again).
    """
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise CostError("conflict") from None


def cost_settings(session: Session, town_id: int) -> TownCostSettings:
    """Return the town's settings, or the defaults (whole trip, nearest ¥10) if none saved."""
    row = session.exec(select(TownCostSettings).where(
        TownCostSettings.town_id == town_id)).first()
    return row or TownCostSettings(town_id=town_id)


def rounding_of(settings: TownCostSettings) -> Rounding:
    """Return the domain rounding of the settings."""
    return Rounding(settings.rounding_unit, RoundingMode(settings.rounding_mode))


def save_cost_settings(session: Session, staff: StaffUser, data: SettingsInput) -> TownCostSettings:
    """Validate and store the staff member's town settings; audit; commit.

    :raise CostError: ``bad_split_rule``, ``bad_rounding_unit`` or ``bad_rounding_mode``.
    """
    values = _settings_values(data)
    row = cost_settings(session, staff.town_id)
    before = {k: getattr(row, k) for k in values}
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at, row.updated_by_id = utcnow(), staff.id
    session.add(row)
    flush_or_conflict(session)
    changes = ", ".join(f"{k}: {before[k]} → {v}" for k, v in values.items() if before[k] != v)
    audit.record(session, staff, "update", "town_cost_settings", row.id, None, changes)
    session.commit()
    return row


def _settings_values(data: SettingsInput) -> dict[str, object]:
    if data.split_rule not in {r.value for r in SplitRule}:
        raise CostError("bad_split_rule")
    if data.rounding_unit not in ROUNDING_UNITS:
        raise CostError("bad_rounding_unit")
    if data.rounding_mode not in {m.value for m in RoundingMode}:
        raise CostError("bad_rounding_mode")
    return {"split_rule": SplitRule(data.split_rule), "rounding_unit": data.rounding_unit,
            "rounding_mode": RoundingMode(data.rounding_mode),
            "insurance_enabled": bool(data.insurance_enabled),
            "rental_enabled": bool(data.rental_enabled)}


def fuel_prices(session: Session, town_id: int) -> list[FuelPrice]:
    """Return the town's fuel prices, newest first (at most 100)."""
    return list(session.exec(select(FuelPrice).where(FuelPrice.town_id == town_id)
                             .order_by(FuelPrice.valid_from.desc()).limit(PRICE_HISTORY_LIMIT)))


def parse_price(text: object) -> Decimal:
    """Read a price per litre (¥, one decimal at most) from form or API input.

    :raise CostError: ``bad_fuel_price`` when it is not a number within ¥50–¥500.
    """
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise CostError("bad_fuel_price") from None
    low, high = FUEL_PRICE_RANGE
    if not value.is_finite() or not low <= value <= high or value != round(value, 1):
        raise CostError("bad_fuel_price")
    return value


def save_fuel_price(session: Session, staff: StaffUser, valid_from: date,
                    yen_per_litre: object) -> FuelPrice:
    """Store the price valid from ``valid_from`` (replacing that date's entry); audit; commit.

    :raise CostError: ``bad_fuel_price``.
    """
    price = parse_price(yen_per_litre)
    row = session.exec(select(FuelPrice).where(FuelPrice.town_id == staff.town_id,
                                               FuelPrice.valid_from == valid_from)).first()
    before = row.yen_per_litre if row else None
    row = row or FuelPrice(town_id=staff.town_id, valid_from=valid_from, yen_per_litre=price)
    row.yen_per_litre, row.entered_by_id, row.entered_at = price, staff.id, utcnow()
    session.add(row)
    flush_or_conflict(session)
    audit.record(session, staff, "update" if before else "create", "fuel_price", row.id, None,
                 f"{valid_from.isoformat()}: {before} → {price} yen/L")
    session.commit()
    return row


def delete_fuel_price(session: Session, staff: StaffUser, price_id: int) -> None:
    """Remove one of the town's fuel prices; audit; commit. :raise CostError: ``no_price``."""
    row = session.get(FuelPrice, price_id)
    if row is None or row.town_id != staff.town_id:
        raise CostError("no_price")
    audit.record(session, staff, "delete", "fuel_price", row.id, None,
                 f"{row.valid_from.isoformat()}: {row.yen_per_litre} yen/L")
    session.delete(row)
    session.commit()


def fuel_price_on(session: Session, town_id: int, day: date) -> FuelPrice:
    """Return the price in force on ``day``: the newest entry at most 92 days before it.

    :raise CostError: ``fuel_price_missing`` — never a silent zero.
    """
    row = session.exec(select(FuelPrice).where(
        FuelPrice.town_id == town_id, FuelPrice.valid_from <= day,
        FuelPrice.valid_from > day - timedelta(days=FUEL_PRICE_MAX_AGE_DAYS))
        .order_by(FuelPrice.valid_from.desc())).first()
    if row is None:
        raise CostError("fuel_price_missing")
    return row
