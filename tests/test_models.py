"""The database itself rejects rows that break the domain's invariants (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from carshare.models import (
    Driver,
    Notification,
    NotificationChannel,
    Offer,
    PhoneKind,
    Place,
    PlaceKind,
    Plan,
    Resident,
    ResidentPhone,
    RideRequest,
    Route,
    StaffUser,
    Stop,
    StopKind,
    Town,
    Vehicle,
    WindowKind,
)
from carshare.timeutil import TOKYO

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=TOKYO)


@pytest.fixture
def rows(session: Session) -> dict[str, Any]:
    """A town with two places, a rider, a driver and a car."""
    town = _add(session, Town(slug="t", name="テスト町"))
    home = _add(session, Place(town_id=town.id, kind=PlaceKind.HOME, name="宅", lat=44.9,
                               lon=141.7))
    clinic = _add(session, Place(town_id=town.id, kind=PlaceKind.CLINIC, name="診療所", lat=45.0,
                                 lon=141.8))
    rider = _add(session, Resident(town_id=town.id, family_name="佐藤", given_name="花",
                                   family_name_kana="サトウ", given_name_kana="ハナ"))
    driver_res = _add(session, Resident(town_id=town.id, family_name="鈴木", given_name="一",
                                        family_name_kana="スズキ", given_name_kana="ハジメ"))
    driver = _add(session, Driver(resident_id=driver_res.id, licence_expiry=date(2030, 1, 1),
                                  insurance_expiry=date(2027, 1, 1)))
    car = _add(session, Vehicle(driver_id=driver.id, seats=3, fuel_economy_km_per_l=20,
                                colour="白", plate="旭川 500 あ 12-34"))
    session.commit()
    return {"town": town, "home": home, "clinic": clinic, "rider": rider, "driver": driver,
            "car": car}


def _add(session: Session, row: Any) -> Any:
    session.add(row)
    session.flush()
    return row


def _rejected(session: Session, row: Any) -> None:
    session.add(row)
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()


def _request(r: dict[str, Any], **changes: Any) -> RideRequest:
    fields = dict(town_id=r["town"].id, rider_id=r["rider"].id, pickup_place_id=r["home"].id,
                  dropoff_place_id=r["clinic"].id, window_kind=WindowKind.ARRIVE_BY,
                  window_start=T0, window_end=T0 + timedelta(hours=1))
    return RideRequest(**{**fields, **changes})


def _offer(r: dict[str, Any], **changes: Any) -> Offer:
    fields = dict(town_id=r["town"].id, driver_id=r["driver"].id, vehicle_id=r["car"].id,
                  service_date=date(2026, 12, 1), depart_after=time(8), return_by=time(15),
                  start_place_id=r["home"].id, end_place_id=r["home"].id, seats=3)
    return Offer(**{**fields, **changes})


def test_valid_rows_are_accepted(session: Session, rows: dict[str, Any]) -> None:
    session.add(_request(rows))
    session.add(_offer(rows))
    session.add(_offer(rows, service_date=None, weekday=1))
    session.commit()


@pytest.mark.parametrize("changes", [
    {"party_size": 0}, {"party_size": 9}, {"window_end": T0},
    {"dropoff_place_id": "home"}, {"rider_id": 999_999}, {"pickup_place_id": 999_999},
    {"promised_pickup_start": T0},
    {"promised_pickup_start": T0, "promised_pickup_end": T0 - timedelta(minutes=5)},
])
def test_bad_ride_requests_are_rejected(session: Session, rows: dict[str, Any],
                                        changes: dict[str, Any]) -> None:
    if changes.get("dropoff_place_id") == "home":
        changes = {"dropoff_place_id": rows["home"].id}
    _rejected(session, _request(rows, **changes))


@pytest.mark.parametrize("changes", [
    {"weekday": 1}, {"service_date": None}, {"service_date": None, "weekday": 7},
    {"depart_after": time(15), "return_by": time(8)}, {"seats": 0}, {"seats": 10},
    {"extra_minutes": -1}, {"extra_minutes": 601}, {"wheelchair_spaces": -1},
    {"valid_from": date(2027, 1, 2), "valid_until": date(2027, 1, 1)},
    {"vehicle_id": 999_999}, {"arrive_by": time(9)}, {"leave_after": time(9)},
    {"destination_place_id": "clinic"},
    {"destination_place_id": "clinic", "arrive_by": time(7), "leave_after": time(9)},
    {"destination_place_id": "clinic", "arrive_by": time(10), "leave_after": time(9)},
    {"destination_place_id": "clinic", "arrive_by": time(10), "leave_after": time(16)},
    {"destination_place_id": "clinic", "arrive_by": time(10)},  # one way must end there
])
def test_bad_offers_are_rejected(session: Session, rows: dict[str, Any],
                                 changes: dict[str, Any]) -> None:
    if changes.get("destination_place_id") == "clinic":
        changes = changes | {"destination_place_id": rows["clinic"].id}
    _rejected(session, _offer(rows, **changes))


def test_own_trips_are_accepted(session: Session, rows: dict[str, Any]) -> None:
    clinic = rows["clinic"].id
    session.add(_offer(rows, destination_place_id=clinic, arrive_by=time(8),
                       leave_after=time(15), extra_minutes=600))
    session.add(_offer(rows, destination_place_id=clinic, arrive_by=time(10),
                       end_place_id=clinic, wheelchair_spaces=1))
    session.commit()


@pytest.mark.parametrize("changes", [
    {"seats": 0}, {"seats": 10}, {"wheelchair_spaces": 5}, {"wheelchair_spaces": -1},
    {"fuel_economy_km_per_l": 0}, {"plate": "旭川 500 あ 12-34"},
])
def test_bad_vehicles_are_rejected(session: Session, rows: dict[str, Any],
                                   changes: dict[str, Any]) -> None:
    fields = dict(driver_id=rows["driver"].id, seats=4, fuel_economy_km_per_l=15, colour="黒",
                  plate="旭川 300 な 99-99")
    _rejected(session, Vehicle(**{**fields, **changes}))


def test_phone_numbers_must_be_e164_and_unique_per_resident(session: Session,
                                                            rows: dict[str, Any]) -> None:
    rider_id = rows["rider"].id
    _rejected(session, ResidentPhone(resident_id=rider_id, e164="0163221234",
                                     kind=PhoneKind.LANDLINE))
    session.add(ResidentPhone(resident_id=rider_id, e164="+81163221234", kind=PhoneKind.LANDLINE))
    session.commit()
    _rejected(session, ResidentPhone(resident_id=rider_id, e164="+81163221234",
                                     kind=PhoneKind.MOBILE))


def test_a_driver_role_is_unique_per_resident(session: Session, rows: dict[str, Any]) -> None:
    _rejected(session, Driver(resident_id=rows["driver"].resident_id,
                              licence_expiry=date(2030, 1, 1), insurance_expiry=date(2030, 1, 1)))


def test_route_load_can_never_exceed_its_seats(session: Session, rows: dict[str, Any]) -> None:
    plan = _add(session, Plan(town_id=rows["town"].id, service_date=date(2026, 12, 1)))
    offer = _add(session, _offer(rows))
    session.commit()
    fields = dict(plan_id=plan.id, offer_id=offer.id, vehicle_id=rows["car"].id, seats=3,
                  starts_at=T0, ends_at=T0 + timedelta(hours=3))
    _rejected(session, Route(**fields, peak_load=4))
    _rejected(session, Route(**fields, peak_wheelchairs=1))
    _rejected(session, Route(**{**fields, "ends_at": T0 - timedelta(hours=1)}))
    session.add(Route(**fields, peak_load=3))
    session.commit()
    _rejected(session, Plan(town_id=rows["town"].id, service_date=date(2026, 12, 1)))


def test_stops_need_a_request_exactly_when_they_pick_up_or_drop_off(
    session: Session, rows: dict[str, Any]
) -> None:
    plan = _add(session, Plan(town_id=rows["town"].id, service_date=date(2026, 12, 1)))
    offer = _add(session, _offer(rows))
    route = _add(session, Route(plan_id=plan.id, offer_id=offer.id, vehicle_id=rows["car"].id,
                                seats=3, starts_at=T0, ends_at=T0 + timedelta(hours=2)))
    request = _add(session, _request(rows))
    session.commit()
    times = dict(arrival_at=T0, service_start_at=T0, departure_at=T0)
    _rejected(session, Stop(route_id=route.id, sequence=1, kind=StopKind.PICKUP,
                            place_id=rows["home"].id, **times))
    _rejected(session, Stop(route_id=route.id, sequence=1, kind=StopKind.START,
                            place_id=rows["home"].id, request_id=request.id, **times))
    _rejected(session, Stop(route_id=route.id, sequence=1, kind=StopKind.START,
                            place_id=rows["home"].id, arrival_at=T0, service_start_at=T0,
                            departure_at=T0 - timedelta(minutes=1)))
    session.add(Stop(route_id=route.id, sequence=1, kind=StopKind.PICKUP,
                     place_id=rows["home"].id, request_id=request.id, load_after=1, **times))
    session.commit()
    _rejected(session, Stop(route_id=route.id, sequence=1, kind=StopKind.END,
                            place_id=rows["home"].id, **times))


def test_notification_idempotency_key_is_unique(session: Session, rows: dict[str, Any]) -> None:
    fields = dict(town_id=rows["town"].id, recipient="+819012345678",
                  channel=NotificationChannel.SMS, template="reminder", due_at=T0,
                  idempotency_key="reminder:1:evening:1")
    session.add(Notification(**fields))
    session.commit()
    _rejected(session, Notification(**fields))
    _rejected(session, Notification(**{**fields, "idempotency_key": "k2", "recipient": "090"}))
    _rejected(session, Notification(**{**fields, "idempotency_key": "k3", "attempts": -1}))


def test_staff_usernames_are_unique(session: Session, rows: dict[str, Any]) -> None:
    fields = dict(town_id=rows["town"].id, username="yamada", display_name="山田",
                  password_hash="x")
    session.add(StaffUser(**fields))
    session.commit()
    _rejected(session, StaffUser(**fields))


def test_unknown_enum_values_are_rejected_by_the_database(session: Session,
                                                          rows: dict[str, Any]) -> None:
    statement = sa.text("INSERT INTO place (town_id, kind, name, kana, lat, lon, settlement, "
                        "active) VALUES (:t, 'castle', 'x', '', 45, 141, '', true)")
    with pytest.raises(sa.exc.IntegrityError):
        session.execute(statement, {"t": rows["town"].id})
    session.rollback()


def test_places_must_lie_on_earth(session: Session, rows: dict[str, Any]) -> None:
    _rejected(session, Place(town_id=rows["town"].id, kind=PlaceKind.SHOP, name="x", lat=91,
                             lon=141))


def test_times_are_stored_aware_and_come_back_in_utc(session: Session,
                                                      rows: dict[str, Any]) -> None:
    request = _add(session, _request(rows))
    session.commit()
    session.expire_all()
    loaded = session.get(RideRequest, request.id)
    assert loaded.window_start.tzinfo is not None
    assert loaded.window_start == T0
    assert loaded.window_start.utcoffset() == timedelta(0)
    assert loaded.window_start.astimezone(TOKYO).hour == 9


def test_naive_times_are_refused(session: Session, rows: dict[str, Any]) -> None:
    session.add(_request(rows, window_start=datetime(2026, 12, 1, 9),
                         window_end=datetime(2026, 12, 1, 10)))
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        session.flush()
    session.rollback()
    assert datetime.now(UTC).tzinfo is UTC
