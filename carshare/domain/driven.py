"""Planned against driven: lateness of the drivers' presses and a month factor suggestion.

Pure arithmetic (no database, no Flask), so every figure can be checked by hand:

- *lateness* of a stop: the driver's press ("picked up", "dropped off") minus the stop's
  planned service start, in seconds (negative: early);
- *median*: the middle value, or the mean of the two middle values of an even count;
- *90th percentile* (p90): nearest rank, the ``ceil(0.9 n)``-th smallest value (with ten
  values the ninth, with one value that value) — always a lateness that really happened;
- *share within the promised window*: of the stops that had a promise, those pressed inside
  it (both ends included);
- *leg*: a served ride's pick-up to drop-off, planned (the two stops' service starts) and
  driven (the two presses); its *ratio* is driven / planned.

A month's factor is suggested when the town's legs of that month, planned under the travel
settings in force, are consistently slower or faster than planned: at least
:data:`MIN_LEGS` legs of at least :data:`MIN_PLANNED_S` planned seconds, and their median
ratio more than :data:`TOLERANCE` away from 1 (so at least half of the legs are off by more
than that, in the same direction; a few outliers cannot move a median). The suggestion is
the current factor times the median ratio, rounded to :data:`STEP` and kept in the
allowed range; none when that equals the current factor.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

#: A suggestion needs this many legs in the month (a week of service in a small town).
MIN_LEGS = 20
#: Legs planned shorter than this are left out of the ratio (a minute's noise is 20 % of them).
MIN_PLANNED_S = 300
#: The median ratio must be off by more than this (10 %) for a suggestion.
TOLERANCE = 0.10
#: Suggested factors are rounded to this step.
STEP = 0.05
#: The range a month factor may take (as ``carshare.models.travel.MONTH_FACTOR_RANGE``).
FACTOR_RANGE = (0.7, 2.0)
#: The corridor of a place without a settlement.
UNKNOWN = "unknown"


@dataclass(frozen=True)
class DrivenRide:
    """One ride's stops as planned and as the driver pressed them (seconds; None: unknown)."""

    month: date  # first day of the month of its service day
    corridor: str  # "origin settlement → destination settlement"
    pickup_late_s: int | None
    pickup_in_window: bool | None  # None: no promised pick-up window
    dropoff_late_s: int | None
    dropoff_in_window: bool | None  # None: no drop-off window (not an "arrive by" ride)
    planned_leg_s: int | None
    driven_leg_s: int | None
    under_current_settings: bool  # planned after the travel settings last changed


@dataclass(frozen=True)
class Lateness:
    """How late a set of stops was: count, median and 90th percentile in seconds."""

    n: int
    median_s: float | None
    p90_s: int | None


@dataclass(frozen=True)
class GroupFigures:
    """The figures of one month and corridor ("" : every corridor of the month)."""

    month: date
    corridor: str
    rides: int
    pickup: Lateness
    pickup_in_window: float | None  # share 0..1 of the promised pick-ups
    pickup_promised: int
    dropoff: Lateness
    dropoff_in_window: float | None
    dropoff_promised: int


@dataclass(frozen=True)
class Evidence:
    """A calendar month's legs against its factor, and the factor suggested (if any)."""

    month: int  # 1..12
    legs: int
    median_ratio: float | None
    current: float
    suggested: float | None


def median(values: Sequence[float]) -> float | None:
    """Return the median (mean of the two middle values for an even count); None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    half = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[half])
    return (ordered[half - 1] + ordered[half]) / 2


def p90(values: Sequence[int]) -> int | None:
    """Return the nearest-rank 90th percentile: the ``ceil(0.9 n)``-th smallest value."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(len(ordered) * 9 / 10) - 1]


def lateness(values: Iterable[int | None]) -> Lateness:
    """Return the count, median and p90 of the known latenesses."""
    known = [v for v in values if v is not None]
    return Lateness(len(known), median(known), p90(known))


def share(flags: Iterable[bool | None]) -> tuple[float | None, int]:
    """Return the share of True among the known flags, and how many were known."""
    known = [f for f in flags if f is not None]
    return (sum(known) / len(known) if known else None), len(known)


def within(at: datetime, start: datetime | None, end: datetime | None) -> bool | None:
    """Tell whether ``at`` lies in ``[start, end]``; None when there is no window."""
    if start is None or end is None:
        return None
    return start <= at <= end


def corridor(origin: str, destination: str) -> str:
    """Return the corridor label of two settlements (empty: :data:`UNKNOWN`)."""
    return f"{origin or UNKNOWN} → {destination or UNKNOWN}"


def summarise(rides: Sequence[DrivenRide]) -> list[GroupFigures]:
    """Return per month its corridors (by name) after the month's total (corridor "")."""
    groups: dict[tuple[date, str], list[DrivenRide]] = {}
    for ride in rides:
        groups.setdefault((ride.month, ""), []).append(ride)
        groups.setdefault((ride.month, ride.corridor), []).append(ride)
    return [_figures(month, name, groups[(month, name)]) for month, name in sorted(groups)]


def _figures(month: date, name: str, rides: list[DrivenRide]) -> GroupFigures:
    on_time, promised = share(r.pickup_in_window for r in rides)
    off_time, arrive_by = share(r.dropoff_in_window for r in rides)
    return GroupFigures(month, name, len(rides), lateness(r.pickup_late_s for r in rides),
                        on_time, promised, lateness(r.dropoff_late_s for r in rides),
                        off_time, arrive_by)


def legs_by_month(rides: Iterable[DrivenRide]) -> dict[int, list[tuple[int, int]]]:
    """Return, per calendar month, the (planned, driven) seconds of the usable legs: both
    presses known, planned under the settings in force, planned at least
    :data:`MIN_PLANNED_S`."""
    legs: dict[int, list[tuple[int, int]]] = {}
    for r in rides:
        if (r.under_current_settings and r.planned_leg_s is not None
                and r.driven_leg_s is not None and r.planned_leg_s >= MIN_PLANNED_S):
            legs.setdefault(r.month.month, []).append((r.planned_leg_s, r.driven_leg_s))
    return legs


def evidence(month: int, legs: Sequence[tuple[int, int]], current: float) -> Evidence:
    """Return the month's evidence and, when the rule above holds, the suggested factor."""
    ratio = median([driven / planned for planned, driven in legs])
    return Evidence(month, len(legs), ratio, current, suggested_factor(current, ratio, len(legs)))


def suggested_factor(current: float, ratio: float | None, legs: int) -> float | None:
    """Return the factor to suggest for ``legs`` legs of median ``ratio``, or None."""
    if ratio is None or legs < MIN_LEGS or abs(ratio - 1) <= TOLERANCE + 1e-9:
        return None
    low, high = FACTOR_RANGE
    factor = min(max(round(round(current * ratio / STEP) * STEP, 2), low), high)
    return None if math.isclose(factor, current) else factor
