"""A driver's offers on the phone: each kind, the rules, other drivers' offers, withdrawal."""

from __future__ import annotations

import logging
from datetime import time, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import Notification, Offer, OfferStatus, RequestStatus, RideRequest
from carshare.services.problem import day_data
from carshare.timeutil import TOKYO
from tests.conftest import csrf_token
from tests.driver.conftest import book, second_driver, sign_in, tomorrow


def _post(client: FlaskClient, town: dict[str, Any], **fields: object):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/driver/offers/new").get_data(as_text=True))
    data = {"csrf_token": token, "depart_after": "08:00", "return_by": "15:00",
            "start_place_id": town["homes"][2].id, "vehicle_id": town["car"].id, "seats": "2",
            "extra_minutes": "60", "wheelchair_spaces": "0", "destination_place_id": "",
            "weekday": "",
            "service_date": "", "valid_until": ""} | fields
    return client.post("/driver/offers/new", data=data)


def _offers(session: Session, town: dict[str, Any]) -> list[Offer]:
    session.expire_all()
    return list(session.exec(select(Offer).where(Offer.driver_id == town["driver"].id)
                             .order_by(Offer.id)))


def test_each_kind_is_stored_and_becomes_a_vehicle_of_its_days(
        driver_client: FlaskClient, session: Session, town: dict[str, Any]) -> None:
    day = tomorrow() + timedelta(days=7)
    planned = _post(driver_client, town, service_date=day.isoformat(),
                    destination_place_id=town["clinic"].id, arrive_by="10:00",
                    leave_after="11:30")
    weekly = _post(driver_client, town, weekday=str(day.weekday()),
                   valid_until=(day + timedelta(days=28)).isoformat())
    assert planned.status_code == weekly.status_code == 302
    trip, pattern = _offers(session, town)[1:]
    assert trip.destination_place_id == town["clinic"].id
    assert trip.end_place_id == trip.start_place_id
    assert (trip.arrive_by, trip.leave_after, trip.extra_minutes) == (time(10), time(11, 30), 60)
    assert pattern.weekday == day.weekday() and pattern.service_date is None
    for when in (day, day + timedelta(days=21)):
        ids = set(day_data(session, town["town"].id, when, TOKYO).offers)
        assert pattern.id in ids and (trip.id in ids) == (when == day)
    assert "offers" in driver_client.get("/driver/offers").get_data(as_text=True)


@pytest.mark.parametrize(("fields", "message"), [
    ({"return_by": "07:00"}, "戻り時刻は出発時刻より後"),
    ({"seats": "5"}, "1〜2"),
    ({"destination_place_id": "clinic"}, "目的地に何時までに到着するか"),
    ({"destination_place_id": "clinic", "arrive_by": "16:00"}, "出発時刻から戻り時刻までの間"),
    ({"destination_place_id": "clinic", "arrive_by": "10:00", "leave_after": "09:30"},
     "到着時刻以降"),
    ({"arrive_by": "10:00"}, "目的地を選ぶか"),
    ({"leave_after": "12:00"}, "目的地を選ぶか"),
    ({"extra_minutes": "601"}, "0〜600分"),
    ({"extra_minutes": "六十"}, "整数"),
    ({"wheelchair_spaces": "1"}, "車いすスペース"),
    ({"service_date": "2020-01-01"}, "過ぎて"),
])
def test_bad_offers_are_refused_plainly(driver_client: FlaskClient, session: Session,
                                        town: dict[str, Any], fields: dict, message: str) -> None:
    base = {"service_date": (tomorrow() + timedelta(days=3)).isoformat()}
    if fields.get("destination_place_id") == "clinic":
        fields = fields | {"destination_place_id": town["clinic"].id}
    response = _post(driver_client, town, **(base | fields))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert len(_offers(session, town)) == 1


def test_another_drivers_offer_is_a_logged_404(client: FlaskClient, session: Session,
                                               town: dict[str, Any],
                                               caplog: pytest.LogCaptureFixture) -> None:
    other = second_driver(session, town)
    sign_in(client, session)
    with caplog.at_level(logging.WARNING):
        assert client.get(f"/driver/offers/{other['offer'].id}").status_code == 404
    assert any("tried offer" in r.getMessage() for r in caplog.records)
    token = csrf_token(client.get("/driver/offers").get_data(as_text=True))
    assert client.post(f"/driver/offers/{other['offer'].id}/withdraw",
                       data={"csrf_token": token}).status_code == 404
    assert session.get(Offer, other["offer"].id).status == OfferStatus.ACTIVE


def test_booked_offer_keeps_its_times(driver_client: FlaskClient, session: Session,
                                      town: dict[str, Any]) -> None:
    book(session, town, 0)
    offer = town["offer"]
    token = csrf_token(driver_client.get(f"/driver/offers/{offer.id}").get_data(as_text=True))
    response = driver_client.post(f"/driver/offers/{offer.id}", data={
        "csrf_token": token, "service_date": tomorrow().isoformat(), "weekday": "",
        "valid_until": "", "depart_after": "09:00", "return_by": "12:00",
        "start_place_id": offer.start_place_id, "destination_place_id": "",
        "vehicle_id": offer.vehicle_id, "seats": "2", "extra_minutes": "30",
        "wheelchair_spaces": "0"})
    assert response.status_code == 400
    session.expire_all()
    assert session.get(Offer, offer.id).depart_after.hour == 8


def test_withdrawal_moves_riders_or_alerts_staff_first(driver_client: FlaskClient,
                                                       session: Session,
                                                       town: dict[str, Any]) -> None:
    ride = book(session, town, 0)
    other = second_driver(session, town)
    stuck = book(session, town, 1, day=tomorrow() + timedelta(days=2),
                 offer=_weekly(session, town))
    for offer in _offers(session, town):
        token = csrf_token(driver_client.get(f"/driver/offers/{offer.id}").get_data(as_text=True))
        response = driver_client.post(f"/driver/offers/{offer.id}/withdraw",
                                      data={"csrf_token": token}, follow_redirects=True)
        assert response.status_code == 200
    session.expire_all()
    assert session.get(RideRequest, ride.id).promised_offer_id == other["offer"].id
    assert session.get(RideRequest, ride.id).status == RequestStatus.CONFIRMED
    assert {o.status for o in _offers(session, town)} == {OfferStatus.WITHDRAWN}
    alerts = session.exec(select(Notification).where(Notification.template == "staff_alert",
                                                     Notification.ride_request_id == stuck.id))
    assert len(list(alerts)) == 1


def _weekly(session: Session, town: dict[str, Any]) -> Offer:
    day = tomorrow() + timedelta(days=2)
    offer = Offer(town_id=town["town"].id, driver_id=town["driver"].id,
                  vehicle_id=town["car"].id, weekday=day.weekday(),
                  depart_after=town["offer"].depart_after, return_by=town["offer"].return_by,
                  start_place_id=town["homes"][2].id, end_place_id=town["homes"][2].id, seats=2,
                  extra_minutes=240)
    session.add(offer)
    session.commit()
    return offer


def test_edit_an_offer_without_riders(driver_client: FlaskClient, session: Session,
                                      town: dict[str, Any]) -> None:
    offer = town["offer"]
    html = driver_client.get(f"/driver/offers/{offer.id}").get_data(as_text=True)
    assert 'value="08:00"' in html
    response = driver_client.post(f"/driver/offers/{offer.id}", data={
        "csrf_token": csrf_token(html), "service_date": tomorrow().isoformat(), "weekday": "",
        "valid_until": "", "depart_after": "09:00", "return_by": "13:00",
        "start_place_id": offer.start_place_id, "destination_place_id": town["clinic"].id,
        "arrive_by": "10:00", "leave_after": "12:00",
        "vehicle_id": offer.vehicle_id, "seats": "1", "extra_minutes": "10",
        "wheelchair_spaces": "0"})
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Offer, offer.id)
    assert (stored.depart_after.hour, stored.seats, stored.destination_place_id) == (
        9, 1, town["clinic"].id)


def test_a_one_way_trip_ends_where_the_driver_goes(driver_client: FlaskClient, session: Session,
                                                   town: dict[str, Any]) -> None:
    day = tomorrow() + timedelta(days=7)
    response = _post(driver_client, town, service_date=day.isoformat(),
                     destination_place_id=town["clinic"].id, arrive_by="10:30",
                     extra_minutes="20")
    assert response.status_code == 302
    trip = _offers(session, town)[-1]
    assert (trip.end_place_id, trip.arrive_by, trip.leave_after) == (
        town["clinic"].id, time(10, 30), None)
    assert "片道" in driver_client.get("/driver/offers").get_data(as_text=True)


def test_the_form_shows_the_trip_fields(driver_client: FlaskClient) -> None:
    html = driver_client.get("/driver/offers/new").get_data(as_text=True)
    for name in ("arrive_by", "leave_after", "wheelchair_spaces", "extra_minutes"):
        assert f'id="{name}"' in html
    assert "までに到着" in html and "以降に出発" in html
