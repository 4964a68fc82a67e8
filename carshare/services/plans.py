"""Store domain plans as versioned Plan/Route/Stop rows, and read them back."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from carshare.domain import plan as dp
from carshare.models import Plan, PlanStatus, Route, Stop, StopKind
from carshare.services.driver_done import Carried, carried, copy_route
from carshare.services.plan_rows import routes_of
from carshare.services.problem import DayData, seconds

#: First key of the PostgreSQL advisory locks of day plans ("plan"); the second is the day.
PLAN_LOCK_NAMESPACE = 0x706C616E
#: One embedded (SQLite) process queues its own writers here instead of polling the file lock.
_LOCAL_WRITER = threading.Lock()
_LOCAL_WAIT_S = 30


def lock_day(session: Session, town_id: int, day: date, fresh: bool = False) -> None:
    """Make this transaction the only writer of the town's plan for ``day`` until it ends.

    PostgreSQL: a transaction-scoped advisory lock on (town, day), so writers of other days
    and towns do not wait. SQLite: ``BEGIN IMMEDIATE`` (the database's one write lock),
    taken before anything is read so that what follows sees every earlier commit. Call it
    before reading the plan a change is computed from; a second call in the same
    transaction does nothing more.

    :param fresh: flush pending changes first and afterwards expire every loaded row, so
        that what is read next is what others committed while this one waited.
    """
    if fresh:
        session.flush()
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        key = (town_id * 400_000 + day.toordinal()) % 2_147_483_647
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:ns, :key)"),
                     {"ns": PLAN_LOCK_NAMESPACE, "key": key})
    elif conn.dialect.name == "sqlite":
        _begin_immediate(session, conn)
    if fresh:
        session.expire_all()


def _begin_immediate(session: Session, conn: sa.Connection) -> None:
    raw = conn.connection.driver_connection
    if raw is None or raw.in_transaction:
        return  # this transaction already wrote, so it already holds the write lock
    if _LOCAL_WRITER.acquire(timeout=_LOCAL_WAIT_S):
        session.info["carshare.local_writer"] = True
    conn.exec_driver_sql("BEGIN IMMEDIATE")


@sa.event.listens_for(Session, "after_transaction_end")
def _release_local_writer(session: Session, transaction) -> None:  # type: ignore[no-untyped-def]
    if transaction.parent is None and session.info.pop("carshare.local_writer", False):
        _LOCAL_WRITER.release()


def active_plan(session: Session, town_id: int, day: date) -> Plan | None:
    """Return the plan in force for a town and day, if any."""
    return session.exec(select(Plan).where(Plan.town_id == town_id, Plan.service_date == day,
                                           Plan.status == PlanStatus.ACTIVE)).first()


def to_domain(session: Session, plan: Plan | None, data: DayData) -> dp.Plan:
    """Return the stored plan as a domain plan (empty when there is none)."""
    if plan is None:
        return dp.Plan((), (), 0)
    routes = []
    for route, stops in routes_of(session, plan):
        routes.append(dp.Route(route.offer_id, tuple(_stop(s, data) for s in stops),
                               route.distance_m, route.driving_s))
    return dp.Plan(tuple(routes), (), 0)


def _stop(stop: Stop, data: DayData) -> dp.Stop:
    t = lambda when: seconds(data.origin, when)  # noqa: E731
    return dp.Stop(dp.StopKind(stop.kind.value), stop.place_id, stop.request_id,
                   t(stop.arrival_at), t(stop.service_start_at), t(stop.departure_at), 0,
                   stop.load_after)


def save_plan(session: Session, town_id: int, data: DayData, plan: dp.Plan,
              based_on: Plan | None, note: str = "") -> Plan:
    """Store ``plan``, computed from ``based_on``, as the next version; supersede the old one.

    Optimistic concurrency: the new version number is the one after the plan the
    computation started from, so two writers who started from the same plan collide on the
    unique (town, day, version) key; the loser's transaction fails and nothing of it is kept.
    Writers that read the plan under :func:`lock_day` never collide; the key is the last guard.
    """
    lock_day(session, town_id, data.day)
    previous = based_on
    version = based_on.version + 1 if based_on else 1  # a day's first plan is always version 1
    if previous is not None:
        previous.status = PlanStatus.SUPERSEDED
        session.add(previous)
    row = Plan(town_id=town_id, service_date=data.day, version=version,
               status=PlanStatus.ACTIVE, note=note[:500])
    session.add(row)
    session.flush()
    kept = carried(session, based_on, set(data.requests))  # done stops outlive re-planning
    for route in plan.routes:
        _save_route(session, row, route, data, kept.pop(route.vehicle_id, None))
    for old in kept.values():
        if old.kept:
            _save_stops(session, add_row(session, copy_route(old.route, row.id)), old.alone())
    return row


OWN_STOPS = (dp.StopKind.OWN_ARRIVE, dp.StopKind.OWN_LEAVE)  # shown from the offer, not stored


def _save_route(session: Session, plan: Plan, route: dp.Route, data: DayData,
                old: Carried | None = None) -> None:
    offer, car = data.offers[route.vehicle_id], data.cars[route.vehicle_id]
    at = lambda t: data.origin + timedelta(seconds=t)  # noqa: E731
    wheelchairs = _peak_wheelchairs(route, data)
    row = Route(plan_id=plan.id, offer_id=offer.id, vehicle_id=car.id,
                seats=min(offer.seats, car.seats), wheelchair_spaces=car.wheelchair_spaces,
                peak_load=_peak_seats(route, data), peak_wheelchairs=wheelchairs,
                distance_m=route.distance, driving_s=route.duration,
                starts_at=at(route.stops[0].departure), ends_at=at(route.stops[-1].arrival))
    stops = []
    for n, stop in enumerate(s for s in route.stops if s.kind not in OWN_STOPS):
        request = data.requests.get(stop.request_id) if stop.request_id is not None else None
        promised = request is not None and stop.kind is dp.StopKind.PICKUP
        stops.append(Stop(sequence=n, kind=StopKind(stop.kind.value),
                          place_id=stop.place, request_id=stop.request_id,
                          arrival_at=at(stop.arrival), service_start_at=at(stop.service_start),
                          departure_at=at(stop.departure), load_after=stop.load,
                          promised_start=request.promised_pickup_start if promised else None,
                          promised_end=request.promised_pickup_end if promised else None))
    stops = old.merged(stops) if old else stops
    row.starts_at = min(row.starts_at, stops[0].departure_at)
    _save_stops(session, add_row(session, row), stops)


def add_row(session: Session, row: Route) -> Route:
    """Add a route and flush it, so that its stops can name it."""
    session.add(row)
    session.flush()
    return row


def _save_stops(session: Session, route: Route, stops: list[Stop]) -> None:
    for n, stop in enumerate(stops):
        stop.route_id, stop.sequence = route.id, n
        session.add(stop)


def _peak_seats(route: dp.Route, data: DayData) -> int:
    """The most seats taken at once: a wheelchair user rides in a wheelchair space, not a
    seat (the stops' load counts both)."""
    on_board, peak = 0, 0
    for stop in route.stops:
        request = data.requests.get(stop.request_id)
        if request is None or stop.kind not in (dp.StopKind.PICKUP, dp.StopKind.DROPOFF):
            continue
        seats = request.party_size - (1 if request.wheelchair else 0)
        on_board += seats if stop.kind is dp.StopKind.PICKUP else -seats
        peak = max(peak, on_board)
    return peak


def _peak_wheelchairs(route: dp.Route, data: DayData) -> int:
    on_board, peak = 0, 0
    for stop in route.stops:
        request = data.requests.get(stop.request_id)
        if request is not None and request.wheelchair:
            on_board += 1 if stop.kind is dp.StopKind.PICKUP else -1
            peak = max(peak, on_board)
    return peak
