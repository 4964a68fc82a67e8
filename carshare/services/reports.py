"""The council report: how the service was used in a date range, for one town.

Definitions (the README's "Reports and open data" repeats them for the council):

- a *ride* is one leg (an outbound and its return are two rides), counted on the local day of
  its requested window;
- *served*: completed (dropped off); *unmet*: closed without a driver, by outcome code;
  *cancelled*: cancelled or no-show, by outcome code; *open*: not yet closed;
- *km driven* and *volunteer hours*: routes of the day's plan in force that went to fetch at
  least one rider (served or no-show): their planned distance and start-to-end time;
- *ride time*: picked-up to dropped-off as the driver pressed it, else as planned; *direct time*
  and *direct km*: the travel model from pick-up to drop-off place;
- *shared ride*: a served ride with another rider on board at some point;
- *taxi fares*: one taxi per served ride over its direct km at the town's tariff;
- *CO2*: km driven x the town's factor, against every served ride's direct km driven alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from carshare.domain import report_math as rm
from carshare.models import RequestStatus, RideRequest, Town
from carshare.services.report_data import RideFacts, load_period

#: The longest range one report may cover, and the earliest day it may start.
MAX_DAYS = 3 * 366
EARLIEST = date(2000, 1, 1)


class ReportError(ValueError):
    """The report cannot be made; ``code`` says why (unknown_town, inverted, too_long, ...)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class MonthFigures:
    """Counts of one calendar month, for the trend chart."""

    month: date
    requested: int
    served: int
    unmet: int
    cancelled: int


@dataclass(frozen=True)
class ReportFigures:
    """Every figure of the report for one town and range (both days included)."""

    town_id: int
    town_name: str
    start: date
    end: date
    requested: int
    served: int
    unmet: int
    cancelled: int
    open: int
    unmet_by_reason: list[tuple[str, int]]
    cancelled_by_outcome: list[tuple[str, int]]
    unique_riders: int
    repeat_riders: int
    repeat_rate: float | None
    riders_by_settlement: list[tuple[str, int]]
    riders_by_age_band: list[tuple[str, int]]
    routes_driven: int
    km_driven: float
    volunteer_hours: float
    avg_ride_minutes: float | None
    avg_direct_minutes: float | None
    shared_rides: int
    rider_km: float
    taxi_fares_yen: int
    co2_service_kg: float
    co2_alone_kg: float
    co2_service_g_per_rider_km: float | None
    co2_alone_g_per_rider_km: float | None
    months: list[MonthFigures] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether no ride was requested in the range."""
        return self.requested == 0


def check_range(start: date, end: date) -> None:
    """Refuse an inverted or absurd range.

    :raise ReportError: ``inverted``, ``too_early`` or ``too_long``.
    """
    if end < start:
        raise ReportError("inverted")
    if start < EARLIEST:
        raise ReportError("too_early")
    if (end - start).days >= MAX_DAYS:
        raise ReportError("too_long")


def monthly_report(session: Session, town_id: int, start: date, end: date) -> ReportFigures:
    """Compute the report of ``town_id`` from ``start`` to ``end`` (both included).

    An empty range gives a report of zeros, not an error.

    :raise ReportError: unknown town, or a bad range (see :func:`check_range`).
    """
    check_range(start, end)
    town = session.get(Town, town_id)
    if town is None:
        raise ReportError("unknown_town")
    tz = ZoneInfo(town.timezone)
    period = load_period(session, town.id, start, end, tz)
    served = [r for r in period.requests if r.status is RequestStatus.COMPLETED]
    facts = [period.facts[r.id] for r in served]
    return ReportFigures(
        town_id=town.id, town_name=town.name, start=start, end=end,
        **_outcomes(period.requests), **_riders(served, period, end),
        routes_driven=len(period.driven_routes),
        km_driven=sum(r.distance_m for r in period.driven_routes) / 1000,
        volunteer_hours=sum(_hours(r.starts_at, r.ends_at) for r in period.driven_routes),
        **_times(facts), shared_rides=sum(1 for f in facts if f.shared),
        **_savings(town, facts, sum(r.distance_m for r in period.driven_routes) / 1000),
        months=_months(period.requests, start, end, tz),
    )


def _outcomes(requests: list[RideRequest]) -> dict:
    by_status = lambda *s: [r for r in requests if r.status in s]  # noqa: E731
    unmet = by_status(RequestStatus.UNMET)
    cancelled = by_status(RequestStatus.CANCELLED, RequestStatus.NO_SHOW)
    closed = len(unmet) + len(cancelled)
    served = len(by_status(RequestStatus.COMPLETED))
    return {
        "requested": len(requests), "served": served, "unmet": len(unmet),
        "cancelled": len(cancelled), "open": len(requests) - served - closed,
        "unmet_by_reason": rm.counted(r.outcome_code or "unmet" for r in unmet),
        "cancelled_by_outcome": rm.counted(_outcome(r) for r in cancelled),
    }


def _outcome(request: RideRequest) -> str:
    if request.outcome_code:
        return request.outcome_code
    return "no_show" if request.status is RequestStatus.NO_SHOW else "cancelled"


def _riders(served: list[RideRequest], period, end: date) -> dict:  # type: ignore[no-untyped-def]
    days: dict[int, set[date]] = {}
    for request in served:
        days.setdefault(request.rider_id, set()).add(period.facts[request.id].day)
    repeat = rm.repeat_riders(days)
    riders = [period.riders[rider_id] for rider_id in days]
    return {
        "unique_riders": len(days), "repeat_riders": repeat,
        "repeat_rate": rm.per_unit(repeat, len(days)),
        "riders_by_settlement": rm.counted(period.settlement_of(r) or rm.UNKNOWN for r in riders),
        "riders_by_age_band": rm.counted(rm.age_band(r.birth_year, end) for r in riders),
    }


def _times(facts: list[RideFacts]) -> dict:
    timed = [f for f in facts if f.ride_s is not None]
    return {
        "avg_ride_minutes": rm.per_unit(sum(f.ride_s for f in timed) / 60, len(timed)),
        "avg_direct_minutes": rm.per_unit(sum(f.direct_s for f in timed) / 60, len(timed)),
    }


def _savings(town: Town, facts: list[RideFacts], km_driven: float) -> dict:
    rider_km = sum(f.party * f.direct_km for f in facts)
    service_g = km_driven * town.co2_g_per_km
    alone_g = sum(f.direct_km for f in facts) * town.co2_g_per_km
    return {
        "rider_km": rider_km,
        "taxi_fares_yen": sum(rm.taxi_fare_yen(f.direct_km, town.taxi_base_fare_yen,
                                               town.taxi_yen_per_km) for f in facts),
        "co2_service_kg": service_g / 1000, "co2_alone_kg": alone_g / 1000,
        "co2_service_g_per_rider_km": rm.per_unit(service_g, rider_km),
        "co2_alone_g_per_rider_km": rm.per_unit(alone_g, rider_km),
    }


def _months(requests: list[RideRequest], start: date, end: date,
            tz: ZoneInfo) -> list[MonthFigures]:
    by_month: dict[date, list[RequestStatus]] = {m: [] for m in rm.month_starts(start, end)}
    for request in requests:
        by_month[request.window_start.astimezone(tz).date().replace(day=1)].append(request.status)
    return [MonthFigures(month, len(statuses), statuses.count(RequestStatus.COMPLETED),
                         statuses.count(RequestStatus.UNMET),
                         statuses.count(RequestStatus.CANCELLED)
                         + statuses.count(RequestStatus.NO_SHOW))
            for month, statuses in by_month.items()]


def _hours(starts_at: datetime, ends_at: datetime) -> float:
    return (ends_at - starts_at) / timedelta(hours=1)
