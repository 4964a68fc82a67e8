"""No double booking: many staff confirm the same car at once; the database lets in exactly
as many riders as there are seats (or wheelchair spaces), and tells the rest "full"."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlmodel import Session

from carshare.db import get_engine
from carshare.models import Offer, Plan, PlanStatus, RideRequest, Route, StaffUser
from carshare.services.quoting import QuoteError, confirm
from carshare.timeutil import TOKYO
from tests.factories import FUTURE
from tests.reliability.crowd import Crowd, crowd_town, stored


def confirm_all(app: Flask, crowd: Crowd, request_ids: list[int]) -> Counter[str]:
    """Confirm every request in its own thread and session, all released at one moment."""
    barrier, outcomes = threading.Barrier(len(request_ids), timeout=60), Counter[str]()

    def one(request_id: int) -> None:
        with app.app_context(), Session(get_engine(), expire_on_commit=False) as own:
            staff = own.exec(sa.select(StaffUser).where(
                StaffUser.username == crowd.usernames[0])).scalar_one()
            request = own.get(RideRequest, request_id)
            barrier.wait()
            try:
                confirm(own, staff, request, crowd.offer_id, TOKYO)
                outcomes["confirmed"] += 1
            except QuoteError as error:
                outcomes[error.code] += 1

    threads = [threading.Thread(target=one, args=(i,)) for i in request_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    return outcomes


def test_three_seats_twelve_callers(app: Flask, session: Session) -> None:
    crowd = crowd_town(session, riders=12, seats=3)
    outcomes = confirm_all(app, crowd, crowd.request_ids)
    assert outcomes == {"confirmed": 3, "full": 9}
    session.expire_all()
    after = stored(session, crowd)
    assert (after.confirmed, after.riders_in_plan, after.peak_load, after.active_plans) == (
        3, 3, 3, 1)


def test_one_wheelchair_space(app: Flask, session: Session) -> None:
    crowd = crowd_town(session, riders=6, seats=4, wheelchair_spaces=1, wheelchairs=True)
    outcomes = confirm_all(app, crowd, crowd.request_ids)
    assert outcomes == {"confirmed": 1, "full": 5}
    session.expire_all()
    assert stored(session, crowd).confirmed == 1


def test_the_same_request_confirmed_twice_at_once(app: Flask, session: Session) -> None:
    crowd = crowd_town(session, riders=1, seats=3)
    outcomes = confirm_all(app, crowd, crowd.request_ids * 2)
    assert outcomes == {"confirmed": 1, "not_open": 1}
    session.expire_all()
    after = stored(session, crowd)
    assert (after.confirmed, after.riders_in_plan) == (1, 1)


def test_the_database_refuses_a_route_over_its_seats(session: Session) -> None:
    """Even a writer that skips the service cannot store more riders than seats."""
    crowd = crowd_town(session, riders=1, seats=3)
    session.add(Route(plan_id=_plan(session, crowd), offer_id=crowd.offer_id,
                      vehicle_id=_vehicle(session, crowd), seats=3, peak_load=4,
                      starts_at=sa.func.now(), ends_at=sa.func.now()))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


def _plan(session: Session, crowd: Crowd) -> int:
    plan = Plan(town_id=crowd.town_id, service_date=FUTURE, status=PlanStatus.ACTIVE)
    session.add(plan)
    session.flush()
    return plan.id


def _vehicle(session: Session, crowd: Crowd) -> int:
    return session.get(Offer, crowd.offer_id).vehicle_id
