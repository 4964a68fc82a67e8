"""Rows of the rides export: each leg with its rider, places, outcome, driver and times."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from carshare.models import (
    Driver,
    Offer,
    Place,
    Plan,
    PlanStatus,
    Resident,
    RideRequest,
    Route,
    Stop,
    StopKind,
    Vehicle,
)
from carshare.services.report_data import by_id

TRIP_COLUMNS = ("id", "day", "rider", "rider_kana", "from", "to", "window_kind",
                "window_start", "window_end", "party_size", "status", "outcome_code",
                "outcome_reason", "driver", "vehicle", "planned_pickup", "planned_dropoff",
                "route_km")


def trip_rows(session: Session, requests: list[RideRequest],
              tz: ZoneInfo) -> list[list[object]]:
    """Return the export rows of ``requests`` (already limited to one town and range)."""
    riders = by_id(session, Resident, {r.rider_id for r in requests})
    places = by_id(session, Place, {p for r in requests
                                     for p in (r.pickup_place_id, r.dropoff_place_id)})
    planned = _planned(session, [r.id for r in requests])
    rows = []
    for r in requests:
        rider, (route, pickup, dropoff, driver, car) = riders[r.rider_id], planned.get(
            r.id, (None, None, None, "", ""))
        rows.append([
            r.id, r.window_start.astimezone(tz).date(), f"{rider.family_name} {rider.given_name}",
            f"{rider.family_name_kana} {rider.given_name_kana}",
            places[r.pickup_place_id].name, places[r.dropoff_place_id].name,
            r.window_kind.value, _local(r.window_start, tz), _local(r.window_end, tz),
            r.party_size, r.status.value, r.outcome_code or "", r.outcome_reason, driver, car,
            _local(pickup, tz), _local(dropoff, tz),
            round(route.distance_m / 1000, 1) if route else None])
    return rows


def _planned(session: Session, ids: list[int]) -> dict[int, tuple]:
    """Return, per request in a plan in force: route, pick-up, drop-off, driver, car."""
    if not ids:
        return {}
    rows = session.exec(
        select(Stop, Route, Offer, Vehicle, Resident)
        .join(Route, Route.id == Stop.route_id).join(Plan, Plan.id == Route.plan_id)
        .join(Offer, Offer.id == Route.offer_id).join(Vehicle, Vehicle.id == Route.vehicle_id)
        .join(Driver, Driver.id == Offer.driver_id)
        .join(Resident, Resident.id == Driver.resident_id)
        .where(col(Stop.request_id).in_(ids), Plan.status == PlanStatus.ACTIVE))
    found: dict[int, dict] = {}
    for stop, route, _offer, car, person in rows:
        entry = found.setdefault(stop.request_id, {"route": route, "car": car.plate,
                                                   "driver": f"{person.family_name} "
                                                             f"{person.given_name}"})
        entry[stop.kind] = stop.departure_at if stop.kind is StopKind.PICKUP else stop.arrival_at
    return {rid: (e["route"], e.get(StopKind.PICKUP), e.get(StopKind.DROPOFF), e["driver"],
                  e["car"]) for rid, e in found.items()}


def _local(when: datetime | None, tz: ZoneInfo) -> str:
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M") if when else ""
