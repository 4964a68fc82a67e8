"""An offer becomes the engine's vehicle: own stop, one-way end, whole-trip extra driving."""

from __future__ import annotations

from datetime import time

from sqlmodel import Session

from carshare.domain import types as d
from carshare.models import Offer
from carshare.services.problem import day_data, to_problem
from carshare.timeutil import TOKYO
from tests.factories import FUTURE, small_town

H = 3600


def _vehicles(session: Session, t: dict, **offer: object) -> dict[int, d.Vehicle]:
    """The day's vehicles after the town's offer was changed as ``offer`` says."""
    row: Offer = t["offer"]
    for name, value in offer.items():
        setattr(row, name, value)
    session.add(row)
    session.commit()
    problem = to_problem(day_data(session, t["town"].id, FUTURE, TOKYO))
    return {v.id: v for v in problem.vehicles}


def test_a_round_trip_visits_its_own_stop(session: Session) -> None:
    t = small_town(session, seats=3)
    t["car"].wheelchair_spaces = 1
    clinic, home = t["clinic"].id, t["homes"][2].id
    vehicle = _vehicles(session, t, destination_place_id=clinic, arrive_by=time(9, 30),
                        leave_after=time(10, 15), extra_minutes=45, seats=2,
                        wheelchair_spaces=1)[t["offer"].id]
    assert vehicle.own == d.OwnStop(clinic, int(9.5 * H), int(10.25 * H))
    assert (vehicle.start, vehicle.end, vehicle.window) == (home, home, d.Window(8 * H, 12 * H))
    assert (vehicle.extra_drive, vehicle.seats, vehicle.wheelchair_spaces) == (45 * 60, 2, 1)


def test_a_one_way_trip_ends_there_by_its_arrival(session: Session) -> None:
    t = small_town(session, seats=3)
    clinic = t["clinic"].id
    vehicle = _vehicles(session, t, destination_place_id=clinic, arrive_by=time(9, 30),
                        leave_after=None, end_place_id=clinic, extra_minutes=20,
                        wheelchair_spaces=0)[t["offer"].id]
    assert vehicle.own is None and vehicle.end == clinic
    assert vehicle.window == d.Window(8 * H, int(9.5 * H)) and vehicle.extra_drive == 20 * 60


def test_an_availability_offer_has_extra_driving_and_no_stop(session: Session) -> None:
    t = small_town(session, seats=3)
    vehicle = _vehicles(session, t, extra_minutes=60)[t["offer"].id]
    assert vehicle.own is None and vehicle.extra_drive == 60 * 60
    assert vehicle.wheelchair_spaces == 0  # offered 0, whatever the car has


def test_the_offer_never_gives_more_than_the_car_has(session: Session) -> None:
    t = small_town(session, seats=2)
    vehicle = _vehicles(session, t, seats=2, wheelchair_spaces=2)[t["offer"].id]
    assert (vehicle.seats, vehicle.wheelchair_spaces) == (2, 0)  # the car has no wheelchair space
