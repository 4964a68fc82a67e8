"""Road closures (通行止め) entered by staff for a day, and what they do to the plan (issue 20).

A closure is checked at the boundary (a day from today within the service horizon, points
near the town, a plausible radius and note), stored, audited and committed; lifting keeps the
row.  Right after either, the day's plan in force is measured against the day's new travel
times (:mod:`closure_risks`): when rides become later than planned, the same background
re-planning as the dashboard's button starts (keeping every promise), and rides that still
cannot keep their promise show as at risk on the dashboard.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from carshare.domain import types as d
from carshare.domain.travel import haversine_m
from carshare.models import (
    ClosureKind,
    Place,
    PlaceKind,
    PlanningRun,
    RequestStatus,
    RideRequest,
    RoadClosure,
    StaffUser,
    utcnow,
)
from carshare.services import audit, replan_runs
from carshare.services.closure_risks import BOOKED, assess, open_on
from carshare.services.plans import active_plan, lock_day
from carshare.services.plausible import DAYS_AHEAD, INVISIBLE, Implausible, check_day
from carshare.services.records.common import RecordError
from carshare.services.timeline import routes_on
from carshare.services.travel import model_info

#: A closure's points must lie this near one of the town's places.
NEAR_TOWN_M = 50_000
RADIUS_M = (10, 20_000)
NOTE_LENGTH = 200
#: The re-planning a closure starts gets as long as the dashboard's button gives it.
REPLAN_SECONDS = 10
WAITING = (RequestStatus.REQUESTED, RequestStatus.WAITING)


class ClosureError(RecordError):
    """A closure that cannot be stored or lifted (``field``, ``code``, ``params``)."""


@dataclass(frozen=True)
class ClosureInput:
    """What staff enter: the day, the shape and where, the width and why."""

    day: date
    kind: ClosureKind
    lat: float | None
    lon: float | None
    radius_m: int | None
    note: str = ""
    lat2: float | None = None
    lon2: float | None = None


@dataclass(frozen=True)
class ClosureRow:
    """A closure as listed for staff: who entered it and, once lifted, who lifted it."""

    closure: RoadClosure
    created_by: str
    lifted_by: str


@dataclass(frozen=True)
class Effect:
    """What a closure (or its lifting) did to its day's plan."""

    planned: bool  # the day has a plan in force
    roads: bool  # detours were computed from road data
    affected: int = 0  # rides later than planned or past their promise
    at_risk: int = 0  # of which past their promise (or on a closed straight leg)
    run: PlanningRun | None = None  # the re-planning started (or already running)
    started: bool = False  # True: a new run that the caller must launch


def add_closure(session: Session, staff: StaffUser, data: ClosureInput,
                today: date) -> RoadClosure:
    """Check, store and audit a closure of the staff member's town; commit.

    :raise ClosureError: on input that cannot be stored (nothing is written).
    """
    checked = _checked(session, staff.town_id, data, today)
    lock_day(session, staff.town_id, checked["day"], fresh=True)
    same = _same_open(session, staff.town_id, checked)
    if same is not None:  # sent twice (a double click, a repeated form): one closure
        session.rollback()
        return same
    row = RoadClosure(town_id=staff.town_id, created_by_id=staff.id, **checked)
    session.add(row)
    session.flush()
    audit.record(session, staff, "create", "road_closure", row.id, None,
                 f"closure {row.kind.value} on {row.day.isoformat()}, {row.radius_m} m")
    session.commit()
    return row


def lift_closure(session: Session, staff: StaffUser, closure_id: int) -> RoadClosure:
    """Lift a closure of the staff member's town (the row stays); audit; commit.

    :raise ClosureError: ``unknown_closure`` or ``already_lifted``.
    """
    row = session.get(RoadClosure, closure_id)
    if row is None or row.town_id != staff.town_id:
        raise ClosureError("closure", "unknown_closure")
    lock_day(session, row.town_id, row.day, fresh=True)  # two lifts at once: one wins
    if row.lifted_at is not None:
        raise ClosureError("closure", "already_lifted")
    row.lifted_at, row.lifted_by_id = utcnow(), staff.id
    session.add(row)
    audit.record(session, staff, "lift", "road_closure", row.id, None,
                 f"closure lifted on {row.day.isoformat()}")
    session.commit()
    return row


def _same_open(session: Session, town_id: int, checked: dict) -> RoadClosure | None:
    """Return the town's open closure with exactly these columns, if one is stored."""
    return session.exec(select(RoadClosure).where(
        RoadClosure.town_id == town_id, RoadClosure.lifted_at.is_(None),  # type: ignore[union-attr]
        *(getattr(RoadClosure, name) == value for name, value in checked.items()
          if value is not None))).first()


def closures_from(session: Session, town_id: int, today: date) -> list[ClosureRow]:
    """Return the town's closures of today and the coming days, lifted ones included."""
    rows = session.exec(select(RoadClosure).where(
        RoadClosure.town_id == town_id, RoadClosure.day >= today)
        .order_by(RoadClosure.day, RoadClosure.id)).all()
    name = lambda staff_id: (session.get(StaffUser, staff_id).display_name  # noqa: E731
                             if staff_id else "")
    return [ClosureRow(r, name(r.created_by_id), name(r.lifted_by_id)) for r in rows]


def facilities(session: Session, town_id: int) -> list[Place]:
    """Return the town's places other than homes (a shortcut for a closure's point)."""
    return list(session.exec(select(Place).where(
        Place.town_id == town_id, Place.active.is_(True), Place.kind != PlaceKind.HOME)
        .order_by(Place.name, Place.id)))


def facility_point(session: Session, town_id: int, place_id: int) -> tuple[float, float]:
    """Return the point of one of the town's facilities.

    :raise ClosureError: ``closure_unknown_place``.
    """
    place = session.get(Place, place_id)
    if place is None or place.town_id != town_id or place.kind == PlaceKind.HOME:
        raise ClosureError("place", "closure_unknown_place")
    return place.lat, place.lon


def after_change(session: Session, staff: StaffUser, day: date, today: date,
                 lifted: bool = False) -> Effect:
    """Measure the day's plan in force against the day's travel times now; start the
    re-planning when rides became later (or, after a lifting, when rides wait for a car).

    Call it after the closure was committed.  The caller launches a new run
    (:func:`replan_runs.launch`) when ``started``.
    """
    roads = model_info().roads
    if day < today or active_plan(session, staff.town_id, day) is None:
        return Effect(False, roads)
    requests = _day_requests(session, staff.town_id, day)
    routes = routes_on(session, staff.town_id, day)
    closures = open_on(session, staff.town_id, day)
    found = assess(session, staff.town_id, day, routes, requests, closures)
    effect = Effect(True, roads, len(found.affected), len(found.broken))
    waiting = lifted and _left_without_car(requests, routes)
    if not roads or not (found.affected or waiting):
        return effect
    run, started = replan_runs.start(session, staff, day, REPLAN_SECONDS)
    return Effect(True, roads, effect.affected, effect.at_risk, run, started)


def _left_without_car(requests: list[RideRequest], routes: list) -> bool:
    """Tell whether a ride of the day waits for a car or is booked but on no route."""
    carried = {s.stop.request_id for r in routes for s in r.stops}
    return any(r.status in WAITING or r.id not in carried for r in requests)


def _day_requests(session: Session, town_id: int, day: date) -> list[RideRequest]:
    """The day's rides that are booked or wait for a car (by the planned routes' day)."""
    from zoneinfo import ZoneInfo

    from carshare.models import Town
    from carshare.timeutil import day_bounds

    start, end = day_bounds(day, ZoneInfo(session.get(Town, town_id).timezone))
    return list(session.exec(select(RideRequest).where(
        RideRequest.town_id == town_id, RideRequest.status.in_((*BOOKED, *WAITING)),
        RideRequest.window_start >= start, RideRequest.window_start < end)))


def _checked(session: Session, town_id: int, data: ClosureInput, today: date) -> dict:
    """Return the columns to store, or raise :class:`ClosureError`."""
    if data.day < today:
        raise ClosureError("day", "closure_day_past")
    try:
        check_day(data.day, today, "day", DAYS_AHEAD)
    except Implausible as error:
        raise ClosureError(error.field, error.code, **error.params) from None
    places = _town_points(session, town_id)
    first = _point(data.lat, data.lon, "lat", places)
    second = None
    if data.kind is ClosureKind.SEGMENT:
        second = _point(data.lat2, data.lon2, "lat2", places)
        if haversine_m(d.Place(0, "", *first), d.Place(0, "", *second)) < 10:
            raise ClosureError("lat2", "closure_same_point")
    radius = data.radius_m
    if radius is None or not RADIUS_M[0] <= radius <= RADIUS_M[1]:
        raise ClosureError("radius_m", "closure_radius")
    return {"day": data.day, "kind": data.kind, "lat": first[0], "lon": first[1],
            "lat2": second[0] if second else None, "lon2": second[1] if second else None,
            "radius_m": int(radius), "note": _note(data.note)}


def _point(lat: float | None, lon: float | None, field: str,
           places: list[d.Place]) -> tuple[float, float]:
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        raise ClosureError(field, "closure_point_missing")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ClosureError(field, "closure_point_far")
    here = d.Place(0, "", round(lat, 6), round(lon, 6))
    if places and min(haversine_m(here, p) for p in places) > NEAR_TOWN_M:
        raise ClosureError(field, "closure_point_far")
    return here.lat, here.lon


def _town_points(session: Session, town_id: int) -> list[d.Place]:
    rows = session.exec(select(Place).where(Place.town_id == town_id)).all()
    return [d.Place(p.id, "", p.lat, p.lon) for p in rows]


def _note(text: str) -> str:
    note = (text or "").strip()
    if len(note) > NOTE_LENGTH:
        raise ClosureError("note", "closure_note_long")
    if any(c in INVISIBLE or unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in note):
        raise ClosureError("note", "closure_note_characters")
    return note
