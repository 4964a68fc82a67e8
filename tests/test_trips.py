"""Day re-planning, cancelling with an outcome, reassigning, weather days and the call list."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from carshare.models import (
    AuditLog,
    ContactChannel,
    Notification,
    RequestStatus,
    RideRequest,
    WindowKind,
    utcnow,
)
from carshare.services.booking import BookingInput, create_booking
from carshare.services.call_list import call_list, mark_informed
from carshare.services.planning import plan_day
from carshare.services.quoting import confirm
from carshare.services.timeline import at_risk, routes_on
from carshare.services.trips import TripError, cancel_ride, declare_weather_day
from carshare.timeutil import TOKYO
from tests.factories import FUTURE, small_town


def _book(session: Session, t: dict[str, Any], n: int, clock: time = time(10)) -> RideRequest:
    rider = t["riders"][n]
    data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=t["clinic"].id, day=FUTURE,
                        window_kind=WindowKind.ARRIVE_BY, clock=clock)
    return create_booking(session, t["staff"], data, utcnow(), TOKYO).outbound


@pytest.fixture
def town(session: Session) -> dict[str, Any]:
    return small_town(session, seats=2)


def test_plan_day_plans_open_requests_and_keeps_promises(session: Session,
                                                         town: dict[str, Any]) -> None:
    promised = _book(session, town, 0)
    confirm(session, town["staff"], promised, town["offer"].id, TOKYO)
    waiting = _book(session, town, 1)
    result = plan_day(session, town["town"].id, FUTURE, TOKYO, time_limit_s=2,
                      deterministic=True)
    assert result.served == 2 and result.unserved == {}
    session.expire_all()
    assert session.get(RideRequest, waiting.id).status == RequestStatus.PLANNED
    kept = session.get(RideRequest, promised.id)
    assert kept.status == RequestStatus.CONFIRMED
    routes = routes_on(session, town["town"].id, FUTURE)
    pickup = next(s.stop for r in routes for s in r.stops
                  if s.stop.request_id == promised.id and s.stop.kind == "pickup")
    assert kept.promised_pickup_start <= pickup.service_start_at <= kept.promised_pickup_end


def test_unserved_requests_wait_with_a_reason(session: Session) -> None:
    t = small_town(session, seats=1)
    first, second = _book(session, t, 0), _book(session, t, 1)
    result = plan_day(session, t["town"].id, FUTURE, TOKYO, time_limit_s=2, deterministic=True)
    assert result.served == 1 and len(result.unserved) == 1
    session.expire_all()
    statuses = {session.get(RideRequest, r.id).status for r in (first, second)}
    assert statuses == {RequestStatus.PLANNED, RequestStatus.WAITING}
    left = session.get(RideRequest, next(iter(result.unserved)))
    assert left.outcome_code in {"capacity", "time"}


def test_cancel_with_outcome_replans_audits_and_tells_the_driver(
    session: Session, town: dict[str, Any]
) -> None:
    request = _book(session, town, 0)
    confirm(session, town["staff"], request, town["offer"].id, TOKYO)
    cancel_ride(session, town["staff"], request, "no_show", "not at home", TOKYO)
    session.expire_all()
    stored = session.get(RideRequest, request.id)
    assert (stored.status, stored.outcome_code) == (RequestStatus.NO_SHOW, "no_show")
    assert routes_on(session, town["town"].id, FUTURE) == []
    assert session.exec(select(AuditLog).where(AuditLog.action == "cancel")).one()
    templates = {n.template for n in session.exec(select(Notification))}
    assert {"driver_change", "cancellation"} <= templates
    with pytest.raises(TripError, match="not_open"):
        cancel_ride(session, town["staff"], stored, "rider_cancel", "again", TOKYO)


def test_unknown_outcome_is_refused(session: Session, town: dict[str, Any]) -> None:
    request = _book(session, town, 0)
    with pytest.raises(TripError, match="unknown_outcome"):
        cancel_ride(session, town["staff"], request, "bored", "", TOKYO)


def test_weather_day_cancels_as_weather_never_as_no_show(session: Session,
                                                         town: dict[str, Any]) -> None:
    first, second = _book(session, town, 0), _book(session, town, 1, time(11))
    confirm(session, town["staff"], first, town["offer"].id, TOKYO)
    result = declare_weather_day(session, town["staff"], FUTURE, None, "吹雪", TOKYO)
    assert result.cancelled == 2
    session.expire_all()
    for request in (first, second):
        stored = session.get(RideRequest, request.id)
        assert (stored.status, stored.outcome_code) == (RequestStatus.CANCELLED, "weather")


def test_weather_day_for_one_area_only(session: Session, town: dict[str, Any]) -> None:
    _book(session, town, 0)
    assert declare_weather_day(session, town["staff"], FUTURE, "別町", "通行止め",
                               TOKYO).cancelled == 0


def test_at_risk_when_the_driver_withdraws(session: Session, town: dict[str, Any]) -> None:
    request = _book(session, town, 0)
    confirm(session, town["staff"], request, town["offer"].id, TOKYO)
    town["offer"].status = "withdrawn"
    session.add(town["offer"])
    session.commit()
    routes = routes_on(session, town["town"].id, FUTURE)
    risks = at_risk(session, [session.get(RideRequest, request.id)], routes, FUTURE)
    assert [r.reason for r in risks] == ["driver_declined"]


def test_call_list_and_informed_tick(session: Session, town: dict[str, Any]) -> None:
    rider = town["riders"][0]
    rider.contact_channel = ContactChannel.STAFF_CALL
    session.add(rider)
    request = _book(session, town, 0)
    confirm(session, town["staff"], request, town["offer"].id, TOKYO)
    items = call_list(session, town["town"].id, FUTURE, TOKYO)
    assert [(i.request.id, i.why, i.informed) for i in items] == [(request.id, "staff_call", None)]
    mark_informed(session, town["staff"], request)
    item = call_list(session, town["town"].id, FUTURE, TOKYO)[0]
    assert item.informed.actor == town["staff"].username
    assert call_list(session, town["town"].id, FUTURE + timedelta(days=1), TOKYO) == []


def test_planning_tomorrow_promises_every_planned_ride_and_alerts_unmet(session: Session) -> None:
    from carshare.models import NotificationState
    from carshare.timeutil import local_today

    t = small_town(session, seats=1)
    tomorrow = local_today(TOKYO) + timedelta(days=1)
    t["offer"].service_date = tomorrow
    session.add(t["offer"])
    session.commit()
    requests = []
    for n in (0, 1):
        rider = t["riders"][n]
        data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                            dropoff_place_id=t["clinic"].id, day=tomorrow,
                            window_kind=WindowKind.ARRIVE_BY, clock=time(11))
        requests.append(create_booking(session, t["staff"], data, utcnow(), TOKYO).outbound)
    result = plan_day(session, t["town"].id, tomorrow, TOKYO, time_limit_s=2,
                      deterministic=True)
    assert result.served == 1 and len(result.unserved) == 1
    session.expire_all()
    planned = [session.get(RideRequest, r.id) for r in requests]
    served = next(r for r in planned if r.status == RequestStatus.PLANNED)
    assert served.promised_offer_id == t["offer"].id and served.promised_pickup_start
    alerts = session.exec(select(Notification).where(
        Notification.state == NotificationState.NEEDS_ATTENTION)).all()
    assert [a.ride_request_id for a in alerts] == list(result.unserved)
    plan_day(session, t["town"].id, tomorrow, TOKYO, time_limit_s=1, deterministic=True)
    assert len(session.exec(select(Notification).where(
        Notification.state == NotificationState.NEEDS_ATTENTION)).all()) == 1


def test_background_replanning_records_its_outcome(app, session: Session,  # type: ignore[no-untyped-def]
                                                   town: dict[str, Any]) -> None:
    from carshare.models import PlanningRun, RunStatus
    from carshare.services import replan_runs

    request = _book(session, town, 0)
    run, created = replan_runs.start(session, town["staff"], FUTURE, 2)
    again, created_again = replan_runs.start(session, town["staff"], FUTURE, 2)
    assert created and not created_again and again.id == run.id
    replan_runs.launch(app, run.id).join(60)
    session.expire_all()
    done = session.get(PlanningRun, run.id)
    assert done.status == RunStatus.DONE and done.served == 1
    assert done.changes == [{"request_id": request.id, "kind": "added"}]
    assert 0 < replan_runs.elapsed_share(done) <= 1
