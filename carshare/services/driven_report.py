"""Planned against driven: the drivers' presses against the plan in force, per corridor and
month, and the month factor the town's travel settings should have (accepted by an admin).

Definitions (the arithmetic is in :mod:`carshare.domain.driven`):

- the rides are those with a pick-up or drop-off stop in the plan in force of a service day
  of the range and at least one of the two presses ("picked up", "dropped off");
- a *corridor* is the settlement of the pick-up place → the settlement of the drop-off place
  (``Place.settlement``; the report has no other notion of district);
- the *month* is that of the service day (the day of the plan);
- the *planned* time of a stop is its service start in the plan in force;
- the *promised pick-up window* is the one told to the rider (``promised_pickup_start`` …
  ``_end`` of the ride, else of its stop); the *drop-off window* is the requested window of an
  "arrive by" ride; other rides count in neither share;
- a leg is *planned under the current settings* when its plan was made after the town's
  travel settings were last saved (always, when the town never saved any): only those legs
  can say whether the factor now in force is right, and accepting a suggestion saves the
  settings, so the evidence behind it is spent and the suggestion disappears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from carshare.domain import driven as dd
from carshare.models import (
    Place,
    Plan,
    PlanStatus,
    RideRequest,
    Route,
    StaffRole,
    StaffUser,
    Stop,
    StopKind,
    Town,
    TownTravelSettings,
    TripEvent,
    TripEventKind,
    WindowKind,
)
from carshare.services.report_data import by_id
from carshare.services.reports import ReportError, check_range
from carshare.services.travel import travel_settings
from carshare.services.travel_settings import set_month_factor

PRESSES = {StopKind.PICKUP: TripEventKind.PICKED_UP, StopKind.DROPOFF: TripEventKind.DROPPED_OFF}


class DrivenError(ValueError):
    """A suggestion cannot be accepted; ``code``: ``forbidden`` or ``stale``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class DrivenReport:
    """Planned against driven for one town and range (both days included)."""

    town_id: int
    start: date
    end: date
    groups: list[dd.GroupFigures]
    evidence: list[dd.Evidence]

    @property
    def suggestions(self) -> list[dd.Evidence]:
        """Return the months whose factor should change."""
        return [e for e in self.evidence if e.suggested is not None]


@dataclass(frozen=True)
class _Planned:
    """A rider stop of a plan in force, with its plan's day and making time."""

    stop: Stop
    offer_id: int
    day: date
    planned_at: datetime


def driven_report(session: Session, town_id: int, start: date, end: date) -> DrivenReport:
    """Compute planned against driven for ``town_id`` from ``start`` to ``end``.

    :raise ReportError: unknown town, or a bad range (see ``reports.check_range``).
    """
    check_range(start, end)
    town = session.get(Town, town_id)
    if town is None:
        raise ReportError("unknown_town")
    settings = travel_settings(session, town_id)
    rides = _rides(session, town_id, start, end, _since(settings))
    legs = dd.legs_by_month(rides)
    evidence = [dd.evidence(m, legs[m], settings.factors[m - 1]) for m in sorted(legs)]
    return DrivenReport(town_id, start, end, dd.summarise(rides), evidence)


def accept_suggestion(session: Session, staff: StaffUser, start: date, end: date, month: int,
                      factor: float) -> TownTravelSettings:
    """Put the suggested factor of ``month`` in force (admins); audit with its evidence; commit.

    :param factor: the factor the admin was shown; it must still be the one suggested.
    :raise DrivenError: ``forbidden`` (not an admin) or ``stale`` (no such suggestion now).
    :raise ReportError: a bad range.
    """
    if staff.role is not StaffRole.ADMIN:
        raise DrivenError("forbidden")
    report = driven_report(session, staff.town_id, start, end)
    found = next((e for e in report.suggestions if e.month == month), None)
    if found is None or found.suggested is None or abs(found.suggested - factor) > 1e-9:
        raise DrivenError("stale")
    why = (f"planned vs driven {start}..{end}: {found.legs} legs, median driven/planned "
           f"{found.median_ratio:.3f}, factor {found.current:.2f} → {found.suggested:.2f}")
    return set_month_factor(session, staff, month, found.suggested, why)


def _since(settings: TownTravelSettings) -> datetime | None:
    """Return when the settings in force were saved (None: the defaults, never saved)."""
    return settings.updated_at if settings.id is not None else None


def _rides(session: Session, town_id: int, start: date, end: date,
           since: datetime | None) -> list[dd.DrivenRide]:
    planned = _planned_stops(session, town_id, start, end)
    requests = by_id(session, RideRequest, set(planned))
    places = by_id(session, Place, {p for r in requests.values()
                                    for p in (r.pickup_place_id, r.dropoff_place_id)})
    pressed = _presses(session, planned)
    rides = []
    for request_id, stops in planned.items():
        presses = pressed.get(request_id, {})
        if presses:
            rides.append(_ride(requests[request_id], stops, presses, places, since))
    return rides


def _planned_stops(session: Session, town_id: int, start: date,
                   end: date) -> dict[int, dict[StopKind, _Planned]]:
    """Return the rider stops of the plans in force of the range: request -> kind -> stop."""
    rows = session.exec(
        select(Stop, Route.offer_id, Plan.service_date, Plan.created_at)
        .join(Route, Route.id == Stop.route_id).join(Plan, Plan.id == Route.plan_id)
        .where(Plan.town_id == town_id, Plan.status == PlanStatus.ACTIVE,
               Plan.service_date >= start, Plan.service_date <= end,
               col(Stop.kind).in_(tuple(PRESSES)))
        .order_by(Plan.service_date, Route.id, Stop.sequence))
    found: dict[int, dict[StopKind, _Planned]] = {}
    for stop, offer_id, day, made in rows:
        found.setdefault(stop.request_id, {})[stop.kind] = _Planned(stop, offer_id, day, made)
    return found


def _presses(session: Session, planned: dict[int, dict[StopKind, _Planned]]
             ) -> dict[int, dict[StopKind, datetime]]:
    """Return the presses of the planned stops; a press of the planned car wins over another."""
    if not planned:
        return {}
    events = session.exec(select(TripEvent).where(
        col(TripEvent.request_id).in_(list(planned)),
        col(TripEvent.kind).in_(tuple(PRESSES.values()))).order_by(TripEvent.id))
    kinds = {press: kind for kind, press in PRESSES.items()}
    found: dict[int, dict[StopKind, tuple[bool, datetime]]] = {}
    for event in events:
        kind = kinds[event.kind]
        stop = planned[event.request_id].get(kind)  # type: ignore[index]
        if stop is None or event.service_date != stop.day:
            continue
        own = event.offer_id == stop.offer_id
        held = found.setdefault(event.request_id, {}).get(kind)  # type: ignore[arg-type]
        if held is None or (own and not held[0]):
            found[event.request_id][kind] = (own, event.happened_at)  # type: ignore[index]
    return {r: {k: at for k, (_own, at) in v.items()} for r, v in found.items()}


def _ride(request: RideRequest, stops: dict[StopKind, _Planned],
          presses: dict[StopKind, datetime], places: dict[int, Place],
          since: datetime | None) -> dd.DrivenRide:
    pickup, dropoff = stops.get(StopKind.PICKUP), stops.get(StopKind.DROPOFF)
    on, off = presses.get(StopKind.PICKUP), presses.get(StopKind.DROPOFF)
    first = pickup or dropoff
    assert first is not None  # a planned ride has one of its stops
    late = lambda at, s: (  # noqa: E731
        None if at is None or s is None else _seconds(at - s.stop.service_start_at))
    both = pickup is not None and dropoff is not None and on is not None and off is not None
    origin, target = places.get(request.pickup_place_id), places.get(request.dropoff_place_id)
    return dd.DrivenRide(
        month=first.day.replace(day=1),
        corridor=dd.corridor(origin.settlement if origin else "",
                             target.settlement if target else ""),
        pickup_late_s=late(on, pickup),
        pickup_in_window=None if on is None else _promised(request, pickup, on),
        dropoff_late_s=late(off, dropoff),
        dropoff_in_window=None if off is None or request.window_kind is not WindowKind.ARRIVE_BY
        else dd.within(off, request.window_start, request.window_end),
        planned_leg_s=_seconds(dropoff.stop.service_start_at - pickup.stop.service_start_at)
        if both else None,  # type: ignore[union-attr]
        driven_leg_s=_seconds(off - on) if both else None,  # type: ignore[operator]
        under_current_settings=since is None or first.planned_at >= since)


def _promised(request: RideRequest, pickup: _Planned | None, at: datetime) -> bool | None:
    """Whether the pick-up press lies in the window told to the rider (None: no promise)."""
    if request.promised_pickup_start is not None:
        return dd.within(at, request.promised_pickup_start, request.promised_pickup_end)
    if pickup is not None:
        return dd.within(at, pickup.stop.promised_start, pickup.stop.promised_end)
    return None


def _seconds(delta) -> int:  # type: ignore[no-untyped-def]
    return round(delta.total_seconds())
