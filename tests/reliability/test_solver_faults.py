"""The solver hits its time limit or raises: staff read a clear message, the plan in force and
every confirmed ride stay as they were, and the next run works again by itself."""

from __future__ import annotations

import time
from datetime import time as clock
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from carshare.domain.fast_search import warm_up
from carshare.models import PlanningRun, RequestStatus, RideRequest, RunStatus, WindowKind, utcnow
from carshare.services import replan_runs
from carshare.services.booking import BookingInput, create_booking
from carshare.services.planning import plan_day
from carshare.services.plans import active_plan
from carshare.services.quoting import confirm
from carshare.timeutil import TOKYO
from tests.conftest import login
from tests.factories import FUTURE, small_town

FAILED_TEXT = "見直しは完了しませんでした"  # "The re-planning did not finish; ... unchanged."


def _town_with_a_promise(session: Session) -> tuple[dict[str, Any], RideRequest, RideRequest]:
    t = small_town(session, seats=2)
    booked = [create_booking(session, t["staff"], BookingInput(
        rider_id=r.id, pickup_place_id=r.home_place_id, dropoff_place_id=t["clinic"].id,
        day=FUTURE, window_kind=WindowKind.ARRIVE_BY, clock=clock(10)), utcnow(),
        TOKYO).outbound for r in t["riders"]]
    confirmed = confirm(session, t["staff"], booked[0], t["offer"].id, TOKYO)
    return t, confirmed, booked[1]


def _promise(session: Session, request_id: int) -> tuple:
    session.expire_all()
    r = session.get(RideRequest, request_id)
    return r.status, r.promised_offer_id, r.promised_pickup_start, r.promised_pickup_end


def test_a_solver_that_raises_changes_nothing_and_says_so(
        app: Flask, session: Session, client: FlaskClient,
        monkeypatch: pytest.MonkeyPatch) -> None:
    t, confirmed, _open = _town_with_a_promise(session)
    before, promise = active_plan(session, t["town"].id, FUTURE).version, _promise(
        session, confirmed.id)

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("solver crashed")

    monkeypatch.setattr("carshare.services.planning.replan", broken)
    run, created = replan_runs.start(session, t["staff"], FUTURE, 5)
    assert created
    replan_runs.execute(app, run.id)
    session.expire_all()
    failed = session.get(PlanningRun, run.id)
    assert failed.status == RunStatus.FAILED and "solver crashed" in failed.error
    assert active_plan(session, t["town"].id, FUTURE).version == before
    assert _promise(session, confirmed.id) == promise
    assert login(client, "mini-staff", "x" * 12).status_code == 302
    page = client.get(f"/dashboard/replan/{run.id}/status").get_data(as_text=True)
    assert FAILED_TEXT in page

    monkeypatch.undo()  # the next run (e.g. the evening job) works again by itself
    again, _ = replan_runs.start(session, t["staff"], FUTURE, 5)
    replan_runs.execute(app, again.id)
    session.expire_all()
    assert session.get(PlanningRun, again.id).status == RunStatus.DONE


def test_the_time_limit_keeps_every_promise(session: Session) -> None:
    t, confirmed, open_request = _town_with_a_promise(session)
    promise = _promise(session, confirmed.id)
    warm_up()  # compiling the kernel (once per installation) is not part of the search
    started = time.monotonic()
    result = plan_day(session, t["town"].id, FUTURE, TOKYO, time_limit_s=1)
    assert time.monotonic() - started < 30  # bounded (1 s search on a busy 2-core machine)
    assert _promise(session, confirmed.id) == promise
    assert confirmed.id in {s.request_id for s in _stops(session, result.plan)}
    assert _promise(session, open_request.id)[0] in (RequestStatus.PLANNED, RequestStatus.WAITING)


def _stops(session: Session, plan) -> list:  # type: ignore[no-untyped-def]
    from carshare.services.plans import routes_of

    return [s for _route, stops in routes_of(session, plan) for s in stops]


def test_a_quote_that_raises_keeps_the_request(session: Session, client: FlaskClient,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    t, _confirmed, open_request = _town_with_a_promise(session)

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("quote crashed")

    monkeypatch.setattr("carshare.services.quoting.quote", broken)
    assert login(client, "mini-staff", "x" * 12).status_code == 302
    page = client.get(f"/requests/{open_request.id}/options")
    assert page.status_code == 500
    assert "システムで問題が起きました。もう一度お試しください。" in page.get_data(as_text=True)
    assert _promise(session, open_request.id)[0] == RequestStatus.REQUESTED  # still there
    monkeypatch.undo()
    assert client.get(f"/requests/{open_request.id}/options").status_code == 200
