"""Actual-cost sharing of a volunteer trip: fuel, tolls, parking, insurance share, rental.

A volunteer ride needs no transport licence only while riders pay nothing but the trip's
**actual costs** (MLIT guideline, 2024): fuel, tolls, parking, and where the town allows it an
insurance share and vehicle rental — never a fare, never a fee for the driver's time. This
module computes the split; it knows nothing of Flask or the database. Amounts are ``Decimal``
yen until the town's rounding turns the whole into integer yen; the riders' parts then add up
exactly to that whole (largest-remainder apportionment).

Two readings of "actual cost" are supported (:class:`SplitRule`):

* ``whole_trip`` — every cost of the trip is divided among the riders (Teshio's practice);
* ``extra_only`` — only what carrying the riders added: the fuel of the detour (driven km minus
  the driver's own direct trip) and the items marked as caused by the riders.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

ZERO = Decimal(0)


class SplitRule(enum.StrEnum):
    """Which costs the riders share."""

    WHOLE_TRIP = "whole_trip"
    EXTRA_ONLY = "extra_only"


class RoundingMode(enum.StrEnum):
    """How the trip's total is rounded to the town's unit."""

    UP = "up"
    DOWN = "down"
    NEAREST = "nearest"


class ItemKind(enum.StrEnum):
    """The kinds of actual cost the guideline allows."""

    FUEL = "fuel"
    TOLL = "toll"
    PARKING = "parking"
    INSURANCE = "insurance"
    RENTAL = "rental"


#: Kinds that exist only when the town enables them.
OPTIONAL_KINDS = (ItemKind.INSURANCE, ItemKind.RENTAL)
#: Kinds entered by hand (fuel is always computed).
ENTERED_KINDS = (ItemKind.TOLL, ItemKind.PARKING, ItemKind.INSURANCE, ItemKind.RENTAL)
#: The largest sane amount of one entered item, in yen; more is a typing error.
MAX_ITEM_YEN = {ItemKind.TOLL: 30_000, ItemKind.PARKING: 10_000,
                ItemKind.INSURANCE: 10_000, ItemKind.RENTAL: 30_000}
#: Sane bounds of the other inputs.
FUEL_PRICE_RANGE = (Decimal(50), Decimal(500))  # yen per litre
MAX_TRIP_KM = Decimal(1000)
ROUNDING_UNITS = (1, 10, 100)
MAX_WEIGHT = 8  # a party of eight at most


class CostError(ValueError):
    """An input is missing or out of bounds; ``code`` names it for a translated message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Rounding:
    """The town's rounding: to ``unit`` yen (1, 10 or 100), up, down or to the nearest."""

    unit: int = 10
    mode: RoundingMode = RoundingMode.NEAREST

    def __post_init__(self) -> None:
        if self.unit not in ROUNDING_UNITS:
            raise CostError("bad_rounding_unit")

    def apply(self, yen: Decimal) -> int:
        """Return ``yen`` rounded to a multiple of the unit (halves round up)."""
        how = {RoundingMode.UP: ROUND_CEILING, RoundingMode.DOWN: ROUND_FLOOR,
               RoundingMode.NEAREST: ROUND_HALF_UP}[self.mode]
        units = (yen / self.unit).quantize(Decimal(1), rounding=how)
        return int(units) * self.unit


@dataclass(frozen=True)
class Item:
    """One cost of the trip, unrounded; ``extra`` when only carrying the riders caused it."""

    kind: ItemKind
    amount: Decimal
    extra: bool = True


@dataclass(frozen=True)
class Rider:
    """Someone who shares: a ride request (``key``) carrying ``weight`` people."""

    key: int
    weight: int = 1


@dataclass(frozen=True)
class Part:
    """One rider's part in integer yen, with its breakdown per kind (adds up to ``total``)."""

    key: int
    total: int
    items: dict[ItemKind, int]


@dataclass(frozen=True)
class Split:
    """The result: the items counted under the rule, the rounded whole and each rider's part."""

    rule: SplitRule
    counted: tuple[Item, ...]
    exact: Decimal
    whole: int
    parts: tuple[Part, ...]


def fuel_cost(km: Decimal, yen_per_litre: Decimal, km_per_litre: Decimal) -> Decimal:
    """Return the fuel cost of ``km`` kilometres: km × price ÷ km per litre (unrounded).

    :raise CostError: a negative or absurd distance, price or fuel economy.
    """
    if not ZERO <= km <= MAX_TRIP_KM:
        raise CostError("bad_distance")
    low, high = FUEL_PRICE_RANGE
    if not low <= yen_per_litre <= high:
        raise CostError("bad_fuel_price")
    if not 0 < km_per_litre < 100:
        raise CostError("bad_fuel_economy")
    return km * yen_per_litre / km_per_litre


def check_item(kind: ItemKind, amount: Decimal) -> None:
    """Refuse a negative entered amount or one above the sane bound of its kind.

    :raise CostError: ``negative_amount``, ``amount_too_large`` or ``fuel_is_computed``.
    """
    if kind is ItemKind.FUEL:
        raise CostError("fuel_is_computed")
    if amount < 0:
        raise CostError("negative_amount")
    if amount > MAX_ITEM_YEN[kind]:
        raise CostError("amount_too_large")


def counted_items(rule: SplitRule, driven_km: Decimal, direct_km: Decimal,
                  yen_per_litre: Decimal, km_per_litre: Decimal,
                  entered: Sequence[Item]) -> tuple[Item, ...]:
    """Return the items the riders share under ``rule``: fuel first, then the entered items.

    Under ``extra_only`` fuel covers only the detour (never below zero) and an entered item
    counts only when marked ``extra``.
    """
    for item in entered:
        check_item(item.kind, item.amount)
    if rule is SplitRule.WHOLE_TRIP:
        km, kept = driven_km, list(entered)
    else:
        km, kept = max(ZERO, driven_km - direct_km), [i for i in entered if i.extra]
    fuel = Item(ItemKind.FUEL, fuel_cost(km, yen_per_litre, km_per_litre))
    return (fuel, *kept)


def apportion(total: int, weights: Sequence[Decimal]) -> list[int]:
    """Divide the integer ``total`` in proportion to ``weights`` so the parts add up exactly.

    Largest-remainder (Hamilton) method: everyone gets the floor of their quota, the units
    left over go to the largest remainders, ties to the earlier position. With all weights
    zero the total is shared equally the same way.
    """
    if total < 0 or any(w < 0 for w in weights):
        raise CostError("negative_amount")
    if not weights:
        return []
    if sum(weights) == 0:
        weights = [Decimal(1)] * len(weights)
    scale = sum(weights)
    quotas = [Decimal(total) * w / scale for w in weights]
    parts = [int(q.to_integral_value(rounding=ROUND_FLOOR)) for q in quotas]
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def split(rule: SplitRule, items: Sequence[Item], riders: Sequence[Rider],
          rounding: Rounding) -> Split:
    """Round the items' sum to the town's unit and divide it among the riders by weight.

    Each part is a multiple of the unit; each part's breakdown per kind is in whole yen and
    adds up to the part. :raise CostError: no riders, a bad weight or a negative item.
    """
    if not riders:
        raise CostError("no_riders")
    if any(not 1 <= r.weight <= MAX_WEIGHT for r in riders):
        raise CostError("bad_weight")
    if any(i.amount < 0 for i in items):
        raise CostError("negative_amount")
    exact = sum((i.amount for i in items), ZERO)
    whole = rounding.apply(exact)
    units = apportion(whole // rounding.unit, [Decimal(r.weight) for r in riders])
    parts = tuple(_part(r, u * rounding.unit, items) for r, u in zip(riders, units, strict=True))
    return Split(rule, tuple(items), exact, whole, parts)


def _part(rider: Rider, total: int, items: Sequence[Item]) -> Part:
    by_kind: dict[ItemKind, Decimal] = {}
    for item in items:
        by_kind[item.kind] = by_kind.get(item.kind, ZERO) + item.amount
    kinds = list(by_kind)
    yen = apportion(total, [by_kind[k] for k in kinds])
    return Part(rider.key, total, dict(zip(kinds, yen, strict=True)))
