"""Whose trip a rider joins, and the driver's own stop among the riders' stops (issue 17)."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlmodel import Session

from carshare.models import Offer, StopKind
from carshare.services.driver_manifest import manifest
from carshare.services.legs import driver_label
from tests.conftest import login
from tests.driver.conftest import book, sign_in, tomorrow

LABEL = "運転様の車（本町診療所へ、10:00着）"
OWN_ROW = "ご自身の用事：本町診療所（10:00までに到着・11:00以降に出発）"
STAFF_ROW = "ドライバーの用事：本町診療所（10:00までに到着・11:00以降に出発）"
RIDER_PHONE = "01632-2-1000"  # rider 0's landline: the code is read out


def _plan_trip(session: Session, town: dict[str, Any], leave_after: time | None = time(11),
               auto_accept: bool = True) -> Offer:
    """Make the town's offer a planned trip to the clinic, there by 10:00."""
    offer = town["offer"]
    offer.destination_place_id, offer.arrive_by = town["clinic"].id, time(10)
    offer.leave_after, offer.auto_accept = leave_after, auto_accept
    if leave_after is None:
        offer.end_place_id = town["clinic"].id  # one way: the trip ends there
    session.add(offer)
    session.commit()
    return offer


def _staff(client: FlaskClient) -> FlaskClient:
    assert login(client, "teshio-staff", "x" * 12).status_code == 302
    return client


def test_the_label_carries_the_trip_only_for_planned_trips(session: Session,
                                                           town: dict[str, Any]) -> None:
    assert driver_label(session, town["offer"].id).trip is None
    _plan_trip(session, town)
    label = driver_label(session, town["offer"].id)
    assert (label.family_name, label.trip.destination.id) == ("運転", town["clinic"].id)
    assert (label.trip.arrive_by, label.trip.leave_after) == (time(10), time(11))


def test_the_own_stop_comes_after_the_drop_off_and_before_the_end(
        session: Session, town: dict[str, Any]) -> None:
    _plan_trip(session, town)
    book(session, town, 0)
    trip, = manifest(session, town["riders"][0], town["driver"], tomorrow())
    assert trip.own.destination.id == town["clinic"].id
    kinds = [s.stop.kind for s in trip.stops]
    assert kinds[trip.own_at - 1] == StopKind.DROPOFF and kinds[trip.own_at] == StopKind.END


def test_the_driver_sees_the_own_stop_on_the_manifest(
        driver_client: FlaskClient, session: Session, town: dict[str, Any]) -> None:
    _plan_trip(session, town)
    book(session, town, 0)
    html = driver_client.get(f"/driver/day?day={tomorrow().isoformat()}").get_data(as_text=True)
    assert html.count(OWN_ROW) == 1
    assert html.index("本町診療所 ·") < html.index(OWN_ROW)  # after the drop-off there


def test_a_one_way_trip_says_so(driver_client: FlaskClient, session: Session,
                                town: dict[str, Any]) -> None:
    _plan_trip(session, town, leave_after=None)
    book(session, town, 0)
    html = driver_client.get(f"/driver/day?day={tomorrow().isoformat()}").get_data(as_text=True)
    assert "ご自身の用事：本町診療所（10:00までに到着・片道）" in html


def test_the_accept_card_shows_the_own_stop(driver_client: FlaskClient, session: Session,
                                            town: dict[str, Any]) -> None:
    _plan_trip(session, town, auto_accept=False)
    book(session, town, 0)
    html = driver_client.get(f"/driver/day?day={tomorrow().isoformat()}").get_data(as_text=True)
    start = html.index('id="questions-h"')
    card = html[start:html.index("</section>", start)]
    assert OWN_ROW in card


def test_the_rider_sees_whose_trip_they_join(client: FlaskClient, session: Session,
                                             town: dict[str, Any]) -> None:
    _plan_trip(session, town)
    book(session, town, 0)
    sign_in(client, session, RIDER_PHONE)
    assert LABEL in client.get("/me/rides").get_data(as_text=True)


def test_staff_see_the_label_and_the_own_stop(client: FlaskClient, session: Session,
                                              town: dict[str, Any]) -> None:
    _plan_trip(session, town)
    ride = book(session, town, 0)
    staff = _staff(client)
    assert LABEL in staff.get(f"/requests/{ride.id}").get_data(as_text=True)
    assert LABEL in staff.get(f"/requests/{ride.id}/slip").get_data(as_text=True)
    board = staff.get(f"/dashboard?day={tomorrow().isoformat()}").get_data(as_text=True)
    assert board.count(STAFF_ROW) == 1


def test_availability_offers_name_only_the_car(client: FlaskClient, session: Session,
                                               town: dict[str, Any]) -> None:
    town["offer"].auto_accept = True
    session.add(town["offer"])
    session.commit()
    ride = book(session, town, 0)
    staff = _staff(client)
    summary = staff.get(f"/requests/{ride.id}").get_data(as_text=True)
    assert "運転様の車" in summary and "運転様の車（" not in summary
    board = staff.get(f"/dashboard?day={tomorrow().isoformat()}").get_data(as_text=True)
    assert "ドライバーの用事" not in board


def test_place_names_are_escaped(client: FlaskClient, session: Session,
                                 town: dict[str, Any]) -> None:
    town["clinic"].name = "<b>診療所</b>"
    session.add(town["clinic"])
    _plan_trip(session, town)
    ride = book(session, town, 0)
    html = _staff(client).get(f"/requests/{ride.id}").get_data(as_text=True)
    assert "&lt;b&gt;診療所&lt;/b&gt;へ" in html and "<b>診療所</b>" not in html


@pytest.mark.parametrize("language", ["en"])
def test_english_names_the_driver_in_romaji(client: FlaskClient, session: Session,
                                            town: dict[str, Any], language: str) -> None:
    _plan_trip(session, town)
    ride = book(session, town, 0)
    staff = _staff(client)
    refresh()  # the test's app context would otherwise keep the Japanese of the sign-in
    html = staff.get(f"/requests/{ride.id}?lang={language}").get_data(as_text=True)
    assert "Unten&#39;s car (to 本町診療所, arriving 10:00)" in html


def test_a_ride_back_says_where_the_car_comes_from(client: FlaskClient, session: Session,
                                                   town: dict[str, Any]) -> None:
    from carshare.models import WindowKind, utcnow
    from carshare.services.booking import BookingInput, create_booking
    from carshare.services.quoting import confirm
    from carshare.timeutil import TOKYO

    town["offer"].return_by = time(14)  # time to drive the rider home after 11:00
    _plan_trip(session, town)
    rider = town["riders"][0]
    data = BookingInput(rider_id=rider.id, pickup_place_id=town["clinic"].id,
                        dropoff_place_id=rider.home_place_id, day=tomorrow(),
                        window_kind=WindowKind.PICKUP_AFTER, clock=time(11))
    back = create_booking(session, town["staff"], data, utcnow(), TOKYO).outbound
    back = confirm(session, town["staff"], back, town["offer"].id, TOKYO)
    html = _staff(client).get(f"/requests/{back.id}").get_data(as_text=True)
    assert "運転様の車（本町診療所から、11:00以降に出発）" in html and LABEL not in html
