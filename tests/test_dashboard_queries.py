"""The dashboard asks the database a fixed number of questions, however busy the day is.

Issue 21 item 4: the dashboard used to load every route's driver, car, stops' places and
riders, and every offer's driver, one row at a time (96 statements for a day of 40 rides).
Two towns of the same shape, one with 5 rides and one with 50, must cost the same number of
statements — counted with a ``before_cursor_execute`` listener, not timed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient
from sqlmodel import Session

from carshare.db import get_engine
from carshare.models import (
    ContactChannel,
    Driver,
    Offer,
    Place,
    PlaceKind,
    RequestStatus,
    Resident,
    RideRequest,
    StaffRole,
    StaffUser,
    Town,
    TripEventKind,
    Vehicle,
    WindowKind,
    utcnow,
)
from carshare.services.booking import BookingInput, create_booking
from carshare.services.driver_trips import Press, record
from carshare.services.planning import plan_day
from carshare.services.plans import active_plan, routes_of
from carshare.services.users import hash_password
from carshare.timeutil import TOKYO, local_today
from tests.conftest import login
from tests.factories import add

PASSWORD = "x" * 12
#: Statements of one dashboard view (two days), sign-in check and audit entries included;
#: 20 on the load town of ``bench/queries.py`` (it was 96 before issue 21).
MOST = 22


def tomorrow() -> date:
    """Tomorrow in the town."""
    return local_today(TOKYO) + timedelta(days=1)


def busy_town(session: Session, slug: str, rides: int) -> str:
    """A town with ``rides`` riders to plan tomorrow on ``rides // 4 + 1`` cars of 4 seats (at
    least two; the first on its own errand to the clinic; one trip started), one more ride
    waiting for a driver, and the same cars offered the day after; return its staff user's
    name."""
    town = add(session, Town(slug=slug, name="混雑町"))
    place = lambda kind, name, lat: add(session, Place(  # noqa: E731
        town_id=town.id, kind=kind, name=name, lat=lat, lon=141.75, settlement="本町"))
    hall = place(PlaceKind.OTHER, "集会所", 44.885)
    clinic = place(PlaceKind.CLINIC, "診療所", 45.25)
    staff = add(session, StaffUser(town_id=town.id, username=f"{slug}-staff", display_name="職員",
                                   password_hash=hash_password(PASSWORD), role=StaffRole.STAFF,
                                   session_token=slug))
    offers = []
    for n in range(max(2, rides // 4 + 1)):
        person = add(session, Resident(town_id=town.id, family_name=f"運転{n}", given_name="太郎",
                                       family_name_kana="ウンテン", given_name_kana="タロウ",
                                       home_place_id=hall.id, contact_channel=ContactChannel.SMS))
        driver = add(session, Driver(resident_id=person.id,
                                     licence_expiry=tomorrow() + timedelta(400),
                                     insurance_expiry=tomorrow() + timedelta(400)))
        car = add(session, Vehicle(driver_id=driver.id, seats=4, fuel_economy_km_per_l=18,
                                   colour="白", plate=f"{slug} {n}"))
        errand = {"destination_place_id": clinic.id, "arrive_by": time(10, 30),
                  "leave_after": time(12)} if n == 0 else {}
        for day in (tomorrow(), tomorrow() + timedelta(days=1)):
            offers.append(add(session, Offer(
                town_id=town.id, driver_id=driver.id, vehicle_id=car.id, service_date=day,
                depart_after=time(7), return_by=time(13), start_place_id=hall.id,
                end_place_id=hall.id, seats=4, extra_minutes=360, auto_accept=True, **errand)))
    riders = [add(session, Resident(town_id=town.id, family_name=f"住民{n}", given_name="花",
                                    family_name_kana="ジュウミン", given_name_kana="ハナ",
                                    home_place_id=hall.id, contact_channel=ContactChannel.VOICE))
              for n in range(rides + 1)]
    session.commit()
    ask = lambda rider: create_booking(session, staff, BookingInput(  # noqa: E731
        rider_id=rider.id, pickup_place_id=hall.id, dropoff_place_id=clinic.id, day=tomorrow(),
        window_kind=WindowKind.ARRIVE_BY, clock=time(10)), utcnow(), TOKYO)
    for rider in riders[:-1]:
        ask(rider)
    session.commit()
    plan_day(session, town.id, tomorrow(), TOKYO, time_limit_s=1)
    ask(riders[-1])  # after the plan: nobody carries it yet (at risk)
    route, _stops = routes_of(session, active_plan(session, town.id, tomorrow()))[0]
    offer = session.get(Offer, route.offer_id)
    first = session.get(Resident, session.get(Driver, offer.driver_id).resident_id)
    record(session, town.id, first, Press(offer.id, tomorrow(), TripEventKind.STARTED, None,
                                          slug[0] * 32, utcnow()))
    session.commit()
    return staff.username


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """Collect every statement the app's engine sends inside the block."""
    statements: list[str] = []
    seen = lambda *args: statements.append(args[2])  # noqa: E731
    with app.app_context():
        engine = get_engine()
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)


def statements_of(app: Flask, client: FlaskClient, path: str) -> tuple[int, str]:
    """How many statements one view of ``path`` sends, and the page."""
    with counted(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/dashboard?day={day}", "/dashboard/days?day={day}"])
def test_the_dashboard_costs_the_same_for_5_rides_and_for_50(
        app: Flask, session: Session, path: str) -> None:
    small, large = busy_town(session, "small", 5), busy_town(session, "large", 50)
    planned = session.exec(sa.select(sa.func.count()).select_from(RideRequest).join(
        StaffUser, StaffUser.town_id == RideRequest.town_id).where(
        StaffUser.username == large, RideRequest.status.in_(
            (RequestStatus.PLANNED, RequestStatus.CONFIRMED)))).one()[0]
    assert planned >= 40, "the solver carries most riders of the busy town"
    counts = {}
    for name, rides in ((small, 5), (large, 50)):
        client = app.test_client()
        g.pop("csrf_token", None)  # the held app context would give every client one token
        assert login(client, name, PASSWORD).status_code == 302
        counts[rides], html = statements_of(app, client, path.format(day=tomorrow().isoformat()))
        assert html.count("住民") >= rides  # every rider is listed
        assert 'class="progress"' in html and 'class="risks"' in html, rides
    assert counts[5] == counts[50], counts
    assert counts[50] <= MOST, counts


def test_production_compiles_each_template_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Templates are never checked for changes on disk in production (each render would
    stat every template file it uses)."""
    from carshare import create_app

    app = create_app("production", DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}",
                     SECRET_KEY="p9Xk2vQ7Lm3Rt8Wz1Hy6Ja4Ns0Bc5Df2Gk")
    assert app.jinja_env.auto_reload is False and not app.debug
