"""The demo town: a plausible live week, loaded idempotently."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import phonenumbers
from flask import Flask
from sqlmodel import Session, func, select

from carshare.db import get_engine
from carshare.models import (
    Driver,
    Offer,
    Place,
    PlaceKind,
    Resident,
    ResidentPhone,
    RideRequest,
    StaffUser,
    Town,
    Vehicle,
    utcnow,
)
from carshare.services.demo import next_weekday, seed_demo
from carshare.services.offers import offers_on
from carshare.timeutil import TOKYO, local_today

COUNTED = (Town, Place, Resident, ResidentPhone, Driver, Vehicle, Offer, RideRequest, StaffUser)


def _counts(session: Session) -> dict[str, int]:
    return {m.__name__: session.exec(select(func.count()).select_from(m)).one() for m in COUNTED}


def test_seed_is_idempotent(app: Flask) -> None:
    with app.app_context(), Session(get_engine()) as session:
        first = seed_demo(session, utcnow(), TOKYO)
        counts = _counts(session)
        second = seed_demo(session, utcnow(), TOKYO)
        assert first.created and not second.created
        assert _counts(session) == counts
        assert counts["Town"] == 1


def test_demo_town_looks_like_a_real_week(session: Session, demo: None) -> None:
    residents = session.exec(select(Resident)).all()
    assert 38 <= len(residents) <= 50
    assert all(r.family_name_kana and r.given_name_kana for r in residents)
    assert len({(r.family_name, r.given_name) for r in residents}) == len(residents)
    assert session.exec(select(func.count()).select_from(Driver)).one() == 10
    vehicles = session.exec(select(Vehicle)).all()
    assert sum(1 for v in vehicles if v.wheelchair_spaces) == 1
    kinds = Counter(p.kind for p in session.exec(select(Place)))
    assert kinds[PlaceKind.HOME] == len(residents)
    assert {PlaceKind.HOSPITAL, PlaceKind.TOWN_OFFICE, PlaceKind.STATION, PlaceKind.SHOP,
            PlaceKind.CLINIC} <= set(kinds)
    names = {p.name for p in session.exec(select(Place))}
    assert {"天塩町役場", "市立稚内病院", "JR稚内駅"} <= names


def test_phones_are_valid_japanese_numbers_in_e164(session: Session, demo: None) -> None:
    phones = session.exec(select(ResidentPhone)).all()
    assert phones
    for phone in phones:
        number = phonenumbers.parse(phone.e164, None)
        assert phonenumbers.is_valid_number(number) and number.country_code == 81


def test_tuesday_and_friday_teshio_to_wakkanai_round_trips(session: Session, demo: None) -> None:
    town = session.exec(select(Town)).one()
    hospital = session.exec(select(Place).where(Place.name == "市立稚内病院")).one()
    today = local_today(TOKYO)
    week = [today + timedelta(days=n) for n in range(7)]
    for weekday in (1, 4):  # Tuesday, Friday
        day = next(d for d in week if d.weekday() == weekday)
        trips = [o for o in offers_on(session, town.id, day)
                 if o.destination_place_id == hospital.id]
        assert trips, f"no Teshio→Wakkanai trip on {day}"
        start = session.get(Place, trips[0].start_place_id)
        assert start.settlement == "天塩" and trips[0].start_place_id == trips[0].end_place_id
    assert all(offers_on(session, town.id, day) for day in week)


def test_requests_are_dated_from_the_load_day(session: Session, demo: None) -> None:
    requests = session.exec(select(RideRequest)).all()
    today = local_today(TOKYO)
    days = {r.window_start.astimezone(TOKYO).date() for r in requests}
    assert days <= {today + timedelta(days=n) for n in range(8)}
    assert {d.weekday() for d in days if d > today} == set(range(7)), "a week after the load day"
    returns = [r for r in requests if r.outbound_id]
    assert returns, "demo has return legs"
    for ret in returns:
        outbound = session.get(RideRequest, ret.outbound_id)
        assert (ret.pickup_place_id, ret.dropoff_place_id) == (outbound.dropoff_place_id,
                                                               outbound.pickup_place_id)
        assert ret.window_start > outbound.window_end


def test_friday_riders_go_the_way_of_the_friday_trip(session: Session, demo: None) -> None:
    friday = next_weekday(local_today(TOKYO), 4)
    town = session.exec(select(Town)).one()
    trip = next(o for o in offers_on(session, town.id, friday) if o.note.startswith("金曜"))
    assert (trip.depart_after.isoformat("minutes"), trip.arrive_by.isoformat("minutes"),
            trip.leave_after.isoformat("minutes"), trip.return_by.isoformat("minutes"),
            trip.seats, trip.extra_minutes) == ("08:00", "10:00", "13:00", "15:00", 3, 20)
    rides = [r for r in session.exec(select(RideRequest))
             if r.window_start.astimezone(TOKYO).date() == friday
             and trip.destination_place_id in (r.pickup_place_id, r.dropoff_place_id)]
    names = {session.get(Resident, r.rider_id).family_name for r in rides}
    assert names == {"鈴木", "山本"} and len(rides) == 4
    assert sum(r.party_size for r in rides if r.outbound_id is None) == trip.seats


def test_next_weekday_is_after_the_load_day() -> None:
    today = local_today(TOKYO)
    days = [next_weekday(today, w) for w in range(7)]
    assert sorted(days) == [today + timedelta(days=n) for n in range(1, 8)]
    assert [d.weekday() for d in days] == list(range(7))
