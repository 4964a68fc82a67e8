"""Done stops outlive re-planning: riders dropped off or not there stay on the driver's
manifest and the trip page with their recorded times, and a rider on board is never moved or
dropped."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import (
    Plan,
    PlanStatus,
    RequestStatus,
    Resident,
    RideRequest,
    StopKind,
    StopStatus,
    TripEventKind,
)
from carshare.services.driver_manifest import manifest
from carshare.services.driver_trips import Press, TripError, record
from carshare.services.planning import plan_day
from carshare.services.plans import active_plan, routes_of
from carshare.services.quoting import QuoteError, moves, place
from carshare.services.trips import cancel_ride
from carshare.timeutil import TOKYO
from tests.conftest import login
from tests.driver.conftest import book, second_driver, sign_in, tomorrow

K = TripEventKind


@pytest.fixture
def auto(session: Session, town: dict[str, Any]) -> dict[str, Any]:
    """The town with its driver taking riders without being asked (no questions in the way)."""
    town["offer"].auto_accept = True
    session.add(town["offer"])
    session.commit()
    return town


def at(clock: str) -> datetime:
    """Tomorrow at ``clock`` in the town."""
    return datetime.combine(tomorrow(), time.fromisoformat(clock), tzinfo=TOKYO)


def press(session: Session, town: dict[str, Any], kind: TripEventKind,
          ride: RideRequest | None, clock: str, note: str = "") -> None:
    """Press a manifest button as the town's driver at ``clock`` tomorrow."""
    person = session.get(Resident, town["driver"].resident_id)
    rid = ride.id if ride else None
    record(session, town["town"].id, person, Press(town["offer"].id, tomorrow(), kind, rid,
                                                   f"{kind}-{rid}", at(clock), note))


def our_stops(session: Session, town: dict[str, Any]) -> list[tuple[int | None, str, str]]:
    """Return the active plan's stops of the town's offer: (ride, kind, status)."""
    plan = active_plan(session, town["town"].id, tomorrow())
    return [(s.request_id, s.kind.value, s.status.value) for route, stops in
            routes_of(session, plan) if route.offer_id == town["offer"].id for s in stops]


def replan(session: Session, town: dict[str, Any]) -> Plan:
    """Re-plan tomorrow; return the new active plan."""
    before = active_plan(session, town["town"].id, tomorrow())
    plan_day(session, town["town"].id, tomorrow(), TOKYO, time_limit_s=2, deterministic=True)
    session.expire_all()
    after = active_plan(session, town["town"].id, tomorrow())
    assert after.version > before.version
    return after


def test_a_rider_dropped_off_stays_on_the_manifest_after_any_replan(
        session: Session, auto: dict[str, Any]) -> None:
    done = book(session, auto, 0)
    press(session, auto, K.STARTED, None, "07:58")
    press(session, auto, K.PICKED_UP, done, "08:17")
    press(session, auto, K.DROPPED_OFF, done, "09:01")
    assert session.get(RideRequest, done.id).status == RequestStatus.COMPLETED
    other = second_driver(session, auto)
    later = book(session, auto, 1, offer=other["offer"])  # a booking writes a new version
    for _ in range(2):
        kept = our_stops(session, auto)
        assert (done.id, "pickup", "done") in kept and (done.id, "dropoff", "done") in kept
        assert [k for _r, k, _s in kept][0] == "start" and kept[-1][1] == "end"
        replan(session, auto)  # and the whole day re-planned
    person = session.get(Resident, auto["driver"].resident_id)
    [trip] = manifest(session, person, auto["driver"], tomorrow())
    assert [s.request.id for s in trip.riders] == [done.id]
    assert trip.progress.of(done.id)[K.DROPPED_OFF].happened_at == at("09:01")
    assert later.id not in {s.request_id for _r, s in _all_stops(session, auto)
                            if _r.offer_id == auto["offer"].id}
    press(session, auto, K.DROPPED_OFF, done, "09:01")  # the phone sends it again: kept once


def test_the_driver_page_and_the_trip_page_show_the_recorded_times(
        client: FlaskClient, session: Session, auto: dict[str, Any]) -> None:
    done = book(session, auto, 0)
    press(session, auto, K.PICKED_UP, done, "08:17")
    press(session, auto, K.DROPPED_OFF, done, "09:01")
    other = second_driver(session, auto)
    book(session, auto, 1, offer=other["offer"])
    sign_in(client, session)
    page = client.get(f"/driver/day?day={tomorrow().isoformat()}").get_data(as_text=True)
    assert "08:17 乗車" in page and "09:01 降車" in page and "利用" in page and "様" in page
    client.post("/me/logout")
    g.pop("csrf_token", None)  # the test's app context outlives the sign-in's token
    assert login(client, "teshio-staff", "x" * 12).status_code == 302
    plan = active_plan(session, auto["town"].id, tomorrow())
    route = next(r for r, _s in routes_of(session, plan) if r.offer_id == auto["offer"].id)
    html = client.get(f"/trips/{route.id}").get_data(as_text=True)
    assert "08:17 乗車" in html and "09:01 降車" in html
    assert f'action="/requests/{done.id}/cancel"' not in html  # nothing left to change


def test_a_rider_on_board_is_never_moved_or_dropped(
        session: Session, auto: dict[str, Any]) -> None:
    aboard, waiting = book(session, auto, 0), book(session, auto, 1)
    press(session, auto, K.PICKED_UP, aboard, "08:10")
    before = [(r, k) for r, k, _s in our_stops(session, auto)]
    times = _times(session, auto)
    other = second_driver(session, auto)
    result = plan_day(session, auto["town"].id, tomorrow(), TOKYO, time_limit_s=2,
                      deterministic=True)
    session.expire_all()
    assert [(r, k) for r, k, _s in our_stops(session, auto)] == before  # the car's route as is
    assert _times(session, auto) == times
    assert (aboard.id, "pickup", "done") in our_stops(session, auto)
    assert {c.request_id for c in result.changes} & {aboard.id, waiting.id} == set()
    assert moves(session, session.get(RideRequest, aboard.id), TOKYO) == []
    with pytest.raises(QuoteError, match="on_board"):
        place(session, auto["staff"], session.get(RideRequest, aboard.id), other["offer"].id,
              TOKYO, "reassign")
    session.rollback()
    press(session, auto, K.DROPPED_OFF, aboard, "09:02")  # on the new version's stop
    assert (aboard.id, "dropoff", "done") in our_stops(session, auto)


def test_a_rider_who_was_not_there_stays_with_a_skipped_dropoff(
        session: Session, auto: dict[str, Any]) -> None:
    absent = book(session, auto, 0)
    press(session, auto, K.NO_SHOW, absent, "08:12", "not at home")
    assert (absent.id, "dropoff", "skipped") in our_stops(session, auto)
    other = second_driver(session, auto)
    book(session, auto, 1, offer=other["offer"])
    replan(session, auto)
    kept = our_stops(session, auto)
    assert (absent.id, "pickup", "no_show") in kept and (absent.id, "dropoff", "skipped") in kept
    with pytest.raises(TripError, match="was_no_show"):
        person = session.get(Resident, auto["driver"].resident_id)
        record(session, auto["town"].id, person, Press(auto["offer"].id, tomorrow(),
                                                       K.PICKED_UP, absent.id, "late", at("08:30")))


def test_cancelled_riders_still_leave_the_route(session: Session, auto: dict[str, Any]) -> None:
    done, gone = book(session, auto, 0), book(session, auto, 1)
    press(session, auto, K.PICKED_UP, done, "08:10")
    press(session, auto, K.DROPPED_OFF, done, "09:00")
    cancel_ride(session, auto["staff"], session.get(RideRequest, gone.id), "rider_cancel",
                "feeling better", TOKYO)
    session.expire_all()
    riders = {r for r, _k, _s in our_stops(session, auto)}
    assert done.id in riders and gone.id not in riders
    plans = session.exec(select(Plan).where(Plan.status == PlanStatus.ACTIVE)).all()
    assert len(plans) == 1


def _all_stops(session: Session, town: dict[str, Any]):  # type: ignore[no-untyped-def]
    plan = active_plan(session, town["town"].id, tomorrow())
    return [(route, s) for route, stops in routes_of(session, plan) for s in stops]


def _times(session: Session, town: dict[str, Any]) -> list[tuple[int | None, StopKind, Any]]:
    return [(s.request_id, s.kind, s.service_start_at) for r, s in _all_stops(session, town)
            if r.offer_id == town["offer"].id and s.status != StopStatus.SKIPPED]


def test_staff_cannot_reassign_a_rider_on_board(client: FlaskClient, session: Session,
                                                auto: dict[str, Any]) -> None:
    from tests.conftest import csrf_token

    aboard = book(session, auto, 0)
    press(session, auto, K.PICKED_UP, aboard, "08:10")
    other = second_driver(session, auto)
    assert login(client, "teshio-staff", "x" * 12).status_code == 302
    g.pop("csrf_token", None)  # the test's app context outlives the sign-in's token
    plan = active_plan(session, auto["town"].id, tomorrow())
    route = next(r for r, _s in routes_of(session, plan) if r.offer_id == auto["offer"].id)
    html = client.get(f"/trips/{route.id}").get_data(as_text=True)
    assert f'id="move-{aboard.id}"' not in html  # no other car is offered
    response = client.post(f"/requests/{aboard.id}/reassign", follow_redirects=True,
                           data={"csrf_token": csrf_token(html), "offer_id": other["offer"].id})
    assert "乗車中のため" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(RideRequest, aboard.id).promised_offer_id == auto["offer"].id
    assert active_plan(session, auto["town"].id, tomorrow()).id == plan.id
