"""The instant answer during the call: options for a stored request, and confirming one."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from carshare import metrics
from carshare.domain.construct import alone_feasible_for
from carshare.domain.convert import nodes_of, routes_from_plan
from carshare.domain.evaluate import feasible
from carshare.domain.model import Model, compile_problem
from carshare.domain.plan import StopKind
from carshare.domain.quote import (
    SHIFTS,
    Alternative,
    Quote,
    QuoteOption,
    keeps_appointment,
    options_for,
    quote,
)
from carshare.domain.solver import plan_from_routes
from carshare.models import Place, RequestStatus, RideRequest, WindowKind
from carshare.services import audit
from carshare.services.audit import Actor
from carshare.services.driver_done import is_on_board
from carshare.services.plans import active_plan, lock_day, save_plan, to_domain
from carshare.services.problem import (
    PLANNED,
    DayData,
    day_data,
    restrict_to_trips,
    to_place,
    to_problem,
    to_request,
)
from carshare.services.quotes import QUOTABLE, take_up
from carshare.services.ride_changes import retire_replaced

OTHER_DAYS = 6


class QuoteError(ValueError):
    """The chosen option can no longer be confirmed; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Offered:
    """One option with what staff read out: who comes, when, with how many others."""

    option: QuoteOption
    pickup_start: datetime
    pickup_end: datetime
    arrival: datetime
    shared_with: int
    day_offset: int = 0
    shift: int = 0  # seconds the caller's time moves, for an alternative that day


@dataclass(frozen=True)
class Answer:
    """Options best first; when there are none, the reason and the nearest alternatives."""

    request: RideRequest
    options: list[Offered]
    reason: str | None
    detail: str
    alternatives: list[Offered]
    data: DayData


def _planned_model(session: Session, request: RideRequest, tz: ZoneInfo,
                   day_offset: int = 0) -> tuple[Model, DayData]:
    day = request.window_start.astimezone(tz).date() + timedelta(days=day_offset)
    data = day_data(session, request.town_id, day, tz)
    if not day_offset:  # a quote is no request of the day: its places may be new to it
        for place_id in (request.pickup_place_id, request.dropoff_place_id):
            data.places.setdefault(place_id, session.get(Place, place_id))
    planned = {r.id for r in data.requests.values() if r.status in PLANNED and r.id != request.id}
    return compile_problem(to_problem(data, planned), data.travel), data


def answer(session: Session, request: RideRequest, tz: ZoneInfo) -> Answer:
    """Quote a stored open request against the day's plan, without moving any promise.

    :raise QuoteError: the request is no longer open (already planned, confirmed or closed).
    """
    if request.status not in QUOTABLE:
        raise QuoteError("not_open")
    started = time.perf_counter()
    m, data = _planned_model(session, request, tz)
    plan = to_domain(session, active_plan(session, request.town_id, data.day), data)
    data.requests.setdefault(request.id, request)
    result: Quote = quote(m, plan, _fitted(data, request))
    options = [_offered(data, o, request.id) for o in result.options]
    alternatives = [_offered(data, a.option, request.id, a, shift=a.shift)
                    for a in result.alternatives]
    if not options and not alternatives:
        alternatives = _other_days(session, request, tz)
    reason = result.reason.value if result.reason else None
    metrics.quote_answered(session, request.town_id, time.perf_counter() - started)
    return Answer(request, options, reason, result.detail, alternatives[:5], data)


def _other_days(session: Session, request: RideRequest, tz: ZoneInfo) -> list[Offered]:
    """The nearest later days with a car: the same time when it fits, else the time nearest
    to it that a driver of that day can do (a call on Sunday night for 21:00 still gets
    Monday's and Tuesday's rides)."""
    found = []
    for offset in range(1, OTHER_DAYS + 1):
        m, data = _planned_model(session, request, tz, offset)
        if not data.offers:
            continue
        plan = to_domain(session, active_plan(session, request.town_id, data.day), data)
        extra = _missing_places(session, data, request)
        fitted = _fitted(data, request, extra)
        for shift in day_shifts(data, request, tz):
            result = quote(m, plan, _moved(fitted, offset, shift), places=extra, shifts=())
            if result.options:
                found.append(_offered(data, result.options[0], request.id, day_offset=offset,
                                      shift=shift))
                break
        if len(found) >= 3:
            break
    return found


def day_shifts(data: DayData, request: RideRequest, tz: ZoneInfo, limit: int = 4) -> list[int]:
    """Return the moves (seconds) of the caller's time to try on another day, nearest first:
    none, then the times that day's drivers keep (their own trip's "there by" and "leaving
    after" times; an hour into an availability window)."""
    arrive = request.window_kind == WindowKind.ARRIVE_BY
    wished = (request.window_end if arrive else request.window_start).astimezone(tz)
    clock = wished.hour * 3600 + wished.minute * 60
    times = set()
    for offer in data.offers.values():
        kept = offer.arrive_by if arrive else offer.leave_after
        if kept is None:
            kept = (datetime.combine(data.day, offer.depart_after)
                    + timedelta(hours=2 if arrive else 1)).time()
        times.add(kept.hour * 3600 + kept.minute * 60)
    shifts = sorted({t - clock for t in times} - {0}, key=abs)
    return [0, *shifts][:limit]


def _fitted(data: DayData, request: RideRequest, extra: tuple = ()):  # type: ignore[no-untyped-def]
    """The domain request, allowed only the drivers whose own trip it fits."""
    return restrict_to_trips(data, (to_request(data, request),), extra)[0]


def _missing_places(session: Session, data: DayData, request: RideRequest) -> tuple:
    ids = {request.pickup_place_id, request.dropoff_place_id} - set(data.places)
    return tuple(to_place(session.get(Place, i)) for i in sorted(ids))


def _moved(req, days: int, seconds: int = 0):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    # the same clock time on the later day (windows are seen from its origin), moved by seconds
    shift = days * 86400 + seconds
    move = lambda w: None if w is None else w.shifted(shift)  # noqa: E731
    return replace(req, pickup_window=move(req.pickup_window),
                   dropoff_window=move(req.dropoff_window), promise=None)


def _offered(data: DayData, option: QuoteOption, request_id: int,
             alt: Alternative | None = None, day_offset: int = 0, shift: int = 0) -> Offered:
    at = lambda t: data.origin + timedelta(seconds=t)  # noqa: E731
    return Offered(option, at(option.pickup_window.start), at(option.pickup_window.end),
                   at(option.arrival), _shared(option, request_id),
                   alt.day if alt else day_offset, shift)


def _shared(option: QuoteOption, request_id: int) -> int:
    """Count the other riders in the car at some moment of this rider's trip."""
    order = [rid for rid, _ in option.sequence]
    start = option.sequence.index((request_id, StopKind.PICKUP))
    end = option.sequence.index((request_id, StopKind.DROPOFF))
    inside = set(order[start + 1:end])
    before = {rid for rid, kind in option.sequence[:start] if kind is StopKind.PICKUP}
    after = {rid for rid, kind in option.sequence[end + 1:] if kind is StopKind.DROPOFF}
    return len((inside | (before & after)) - {request_id, None})  # None: the driver's own stop


def confirm(session: Session, staff: Actor, request: RideRequest, offer_id: int,
            tz: ZoneInfo) -> RideRequest:
    """Plan the request into the chosen driver's route and record the promise; commit.

    Concurrent confirms of the same day wait for each other (:func:`lock_day`) and each
    re-checks the seats and wheelchair spaces against the plan the one before committed.

    :raise QuoteError: ``full`` (other riders took the car's last places), ``option_gone``
        (the driver can no longer take the ride), or ``not_open`` (booked meanwhile).
    """
    _lock_day_of(session, request, tz)
    if request.status not in QUOTABLE:
        raise QuoteError("not_open")
    take_up(session, request)
    retire_replaced(session, staff, request, tz)  # a change: the old ride frees its seat first
    return place(session, staff, request, offer_id, tz, "confirm")


def take_alternative(session: Session, staff: Actor, request: RideRequest, offer_id: int,
                     day_offset: int, shift: int, tz: ZoneInfo) -> RideRequest:
    """Book an alternative the caller accepted: move the request (and, to another day, its
    quoted return) by ``day_offset`` days and ``shift`` seconds, then confirm it; commit.

    :raise QuoteError: ``bad_alternative`` (not an alternative this quote can offer),
        ``not_open``, or what :func:`confirm` raises; nothing is moved then.
    """
    if request.status not in QUOTABLE:
        raise QuoteError("not_open")
    arrive_by = request.window_kind == WindowKind.ARRIVE_BY
    allowed = {0, *keeps_appointment(arrive_by, SHIFTS)}
    if not 0 <= day_offset <= OTHER_DAYS or (day_offset == 0 and shift not in allowed):
        raise QuoteError("bad_alternative")
    move = timedelta(days=day_offset, seconds=shift)
    day = (request.window_start + timedelta(days=day_offset)).astimezone(tz).date()
    if day_offset and ((request.window_start + move).astimezone(tz).date() != day
                       or (request.window_end + move).astimezone(tz).date() != day):
        raise QuoteError("bad_alternative")  # another day's time stays on that day
    legs = [request]
    inbound = _return_of(session, request)
    if day_offset and inbound is not None and inbound.status == RequestStatus.QUOTED:
        legs.append(inbound)
    for leg, by in zip(legs, (move, timedelta(days=day_offset)), strict=False):
        leg.window_start, leg.window_end = leg.window_start + by, leg.window_end + by
        session.add(leg)  # the return keeps its clock time on the new day
    session.flush()
    return confirm(session, staff, request, offer_id, tz)


def _return_of(session: Session, request: RideRequest) -> RideRequest | None:
    from sqlmodel import select

    return session.exec(select(RideRequest).where(
        RideRequest.outbound_id == request.id)).first()


def _lock_day_of(session: Session, request: RideRequest, tz: ZoneInfo) -> None:
    """Become the only writer of the request's day plan; then read everything afresh."""
    lock_day(session, request.town_id, request.window_start.astimezone(tz).date(), fresh=True)


def moves(session: Session, request: RideRequest, tz: ZoneInfo) -> list[Offered]:
    """Return the feasible ways to carry a planned ride in another driver's car."""
    if is_on_board(session, request.id):
        return []  # a rider in a car stays in it
    mm, routes, data, based_on = _without(session, request, tz)
    current = _carrying(session, based_on, request.id) or request.promised_offer_id
    return [_offered(data, o, request.id)
            for o in options_for(mm, routes, limit=len(routes)) if o.vehicle_id != current]


def _carrying(session: Session, plan, request_id: int) -> int | None:  # type: ignore[no-untyped-def]
    """Return the offer whose route in ``plan`` carries the request."""
    if plan is None:
        return None
    from sqlmodel import select

    from carshare.models import Route, Stop

    return session.exec(select(Route.offer_id).join(Stop, Stop.route_id == Route.id).where(
        Route.plan_id == plan.id, Stop.request_id == request_id)).first()


def place(session: Session, staff: Actor, request: RideRequest, offer_id: int,
          tz: ZoneInfo, action: str) -> RideRequest:
    """Put the request (taken out of any route) into ``offer_id``'s route; new promise; commit.

    :raise QuoteError: that driver can no longer take it (``full`` or ``option_gone``), or
        the rider is already in a car (``on_board``).
    """
    _lock_day_of(session, request, tz)
    if is_on_board(session, request.id):
        raise QuoteError("on_board")
    mm, routes, data, based_on = _without(session, request, tz)
    chosen = next((o for o in options_for(mm, routes, limit=len(routes))
                   if o.vehicle_id == offer_id), None)
    if chosen is None:
        raise QuoteError(_why_not(mm, offer_id))
    v = [veh.id for veh in mm.problem.vehicles].index(offer_id)
    routes[v] = _nodes(mm, chosen)
    assert feasible(mm, v, routes[v])  # the shared evaluator's verdict, as for the quote
    old_offer = request.promised_offer_id
    _promise(request, data, chosen)
    try:
        saved = save_plan(session, request.town_id, data, plan_from_routes(mm, routes),
                          based_on, note=f"{action} request {request.id}")
        audit.record(session, staff, action, "ride_request", request.id, request.rider_id,
                     f"{action}: driver offer {offer_id}")
        _notify(session, request, old_offer, data, saved.version)
        session.commit()
    except IntegrityError:
        session.rollback()
        raise QuoteError("option_gone") from None
    return request


def _why_not(m: Model, offer_id: int) -> str:
    """``full`` when the car alone could carry the rider but not with the riders it has."""
    ids = [veh.id for veh in m.problem.vehicles]
    r = m.riders - 1
    if offer_id in ids and ids.index(offer_id) in alone_feasible_for(m, r):
        return "full"
    return "option_gone"


def _without(session: Session, request: RideRequest, tz: ZoneInfo):  # type: ignore[no-untyped-def]
    """Return (model with the request last, routes without it, day data, the active plan)."""
    m, data = _planned_model(session, request, tz)
    data.requests.setdefault(request.id, request)
    based_on = active_plan(session, request.town_id, data.day)
    mm = m.with_request(_fitted(data, _unpromised(request)))
    r = mm.riders - 1  # node indices of the model with the request (own stops come after it)
    routes = [[x for x in seq if x >> 1 != r]
              for seq in routes_from_plan(mm, to_domain(session, based_on, data))]
    return mm, routes, data, based_on


def _unpromised(request: RideRequest) -> RideRequest:
    """A copy of the request without its promise, so it may move to another car."""
    return RideRequest.model_validate(request.model_dump(
        exclude={"promised_offer_id", "promised_pickup_start", "promised_pickup_end"}))


def _notify(session: Session, request: RideRequest, old_offer: int | None, data: DayData,
            version: int) -> None:
    """Ask the driver to accept when the offer is not auto-accept; tell the rider (the
    confirmation, or what changed, held until the driver accepts) and every driver whose
    day changed."""
    from carshare.services.driver_assignments import ask_all
    from carshare.services.notify_changes import notify_plan_change
    from carshare.services.notify_driver import enqueue_driver_change

    ask_all(session, [request], again=old_offer != request.promised_offer_id)  # moved here
    notify_plan_change(session, request.id)
    for offer_id in {old_offer, request.promised_offer_id} - {None}:
        enqueue_driver_change(session, offer_id, data.day, f"plan:v{version}")


def _nodes(m: Model, option: QuoteOption) -> list[int]:
    v = [veh.id for veh in m.problem.vehicles].index(option.vehicle_id)
    return nodes_of(m, v, option.sequence)


def _promise(request: RideRequest, data: DayData, option: QuoteOption) -> None:
    request.status = RequestStatus.CONFIRMED
    request.promised_offer_id = option.vehicle_id
    request.promised_pickup_start = data.origin + timedelta(seconds=option.pickup_window.start)
    # a pick-up pinned to one moment (a driver leaving their own appointment exactly then)
    # is still a window of a minute: a promise is stored as start < end
    end = max(option.pickup_window.end, option.pickup_window.start + 60)
    request.promised_pickup_end = data.origin + timedelta(seconds=end)
