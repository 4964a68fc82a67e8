"""Pure arithmetic of the council report: age bands, shared rides, taxi fares, CO2, months.

No database and no Flask: plain values in, plain values out, so each figure can be checked
by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

#: Lower bounds of the age bands (the last band is open-ended); the council's usual split.
AGE_BANDS = ((0, "0-64"), (65, "65-74"), (75, "75-84"), (85, "85+"))
UNKNOWN = "unknown"


def age_band(birth_year: int | None, on: date) -> str:
    """Return the age band of someone born in ``birth_year`` in the year of ``on``.

    The age is the difference of years (a birthday later in the year is ignored): the report
    counts bands, and residents give only a birth year.
    """
    if birth_year is None or birth_year > on.year:
        return UNKNOWN
    age = on.year - birth_year
    label = AGE_BANDS[0][1]
    for lower, name in AGE_BANDS:
        if age >= lower:
            label = name
    return label


@dataclass(frozen=True)
class RiderStop:
    """A pick-up or drop-off of a rider on a route, in the route's order."""

    request_id: int
    pickup: bool


def shared_requests(stops: Sequence[RiderStop]) -> set[int]:
    """Return the requests that had another rider on board at some point of their ride.

    A rider who gets off at the stop where the next one gets on did not share the car.
    """
    on_board: set[int] = set()
    shared: set[int] = set()
    for stop in stops:
        if not stop.pickup:
            on_board.discard(stop.request_id)
            continue
        if on_board:
            shared |= on_board | {stop.request_id}
        on_board.add(stop.request_id)
    return shared


def taxi_fare_yen(km: float, base_yen: int, yen_per_km: int) -> int:
    """Return a taxi fare for ``km`` under a base fare plus a per-kilometre rate, in whole yen."""
    return round(base_yen + yen_per_km * km) if km > 0 else 0


def per_unit(total: float, units: float) -> float | None:
    """Return ``total / units``, or None when there are no units (no division by zero)."""
    return total / units if units > 0 else None


def repeat_riders(days_by_rider: dict[int, set[date]]) -> int:
    """Return how many riders travelled on two or more different days."""
    return sum(1 for days in days_by_rider.values() if len(days) >= 2)


def month_starts(start: date, end: date) -> list[date]:
    """Return the first day of every calendar month that ``[start, end]`` touches."""
    months = []
    current = start.replace(day=1)
    while current <= end:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def counted(keys: Iterable[str]) -> list[tuple[str, int]]:
    """Return ``(key, count)`` pairs, most frequent first, ties by key."""
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
