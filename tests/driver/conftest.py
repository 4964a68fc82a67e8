"""Driver fixtures: a small town on the configured slug, riders booked onto its driver."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import (
    Driver,
    Notification,
    Offer,
    PhoneKind,
    Resident,
    ResidentPhone,
    RideRequest,
    Vehicle,
    WindowKind,
    utcnow,
)
from carshare.services.booking import BookingInput, create_booking
from carshare.services.notify_codes import code_of
from carshare.services.quoting import confirm
from carshare.timeutil import TOKYO, local_today
from tests.conftest import csrf_token, in_calling_hours
from tests.factories import add, consent_all, small_town

DRIVER_PHONE = "090-1111-2222"


def tomorrow() -> date:
    """Tomorrow in the town."""
    return local_today(TOKYO) + timedelta(days=1)


@pytest.fixture
def town(session: Session) -> dict[str, Any]:
    """The small town (slug of the test config) with its offer moved to tomorrow, 2 seats."""
    t = small_town(session, seats=2, slug="teshio")
    t["offer"].service_date = tomorrow()
    session.add(t["offer"])
    session.commit()
    return t


def book(session: Session, t: dict[str, Any], n: int, day: date | None = None,
         offer: Offer | None = None) -> RideRequest:
    """Book rider ``n`` to the clinic (arrive by 10:00) and confirm them on the offer."""
    rider = t["riders"][n]
    data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=t["clinic"].id, day=day or tomorrow(),
                        window_kind=WindowKind.ARRIVE_BY, clock=time(10))
    request = create_booking(session, t["staff"], data, utcnow(), TOKYO).outbound
    return confirm(session, t["staff"], request, (offer or t["offer"]).id, TOKYO)


def second_driver(session: Session, t: dict[str, Any], day: date | None = None) -> dict:
    """Another driver of the town with a car and an offer like the first one's."""
    person = add(session, Resident(town_id=t["town"].id, family_name="別", given_name="次郎",
                                   family_name_kana="ベツ", given_name_kana="ジロウ",
                                   home_place_id=t["homes"][2].id))
    add(session, ResidentPhone(resident_id=person.id, e164="+819033334444",
                               kind=PhoneKind.MOBILE, is_primary=True))
    consent_all(session, person.id)  # messages (sign-in codes too) need the resident's consent
    driver = add(session, Driver(resident_id=person.id, licence_expiry=t["driver"].licence_expiry,
                                 insurance_expiry=t["driver"].insurance_expiry))
    car = add(session, Vehicle(driver_id=driver.id, seats=3, fuel_economy_km_per_l=18,
                               colour="青", plate="teshio 2"))
    offer = add(session, Offer(town_id=t["town"].id, driver_id=driver.id, vehicle_id=car.id,
                               service_date=day or tomorrow(), depart_after=time(8),
                               return_by=time(12), start_place_id=t["homes"][2].id,
                               end_place_id=t["homes"][2].id, seats=3, extra_minutes=240,
                               auto_accept=True))
    session.commit()
    return {"resident": person, "driver": driver, "car": car, "offer": offer}


def sign_in(client: FlaskClient, session: Session, phone: str = DRIVER_PHONE) -> None:
    """Sign the client in with the code sent to ``phone`` (within the calling hours: a code
    to a landline is read out by a call)."""
    with in_calling_hours():
        token = csrf_token(client.get("/me/login").get_data(as_text=True))
        answer = client.post("/me/login", data={"csrf_token": token, "phone": phone})
        assert answer.status_code == 302
        row = session.exec(select(Notification).where(Notification.template == "signin_code")
                           .order_by(Notification.id.desc())).first()
        html = client.get("/me/code").get_data(as_text=True)
        response = client.post("/me/code", data={"csrf_token": csrf_token(html),
                                                  "code": code_of(row, "testing-secret-key")})
    assert response.status_code == 302


@pytest.fixture
def driver_client(client: FlaskClient, session: Session, town: dict[str, Any]) -> FlaskClient:
    """A client signed in as the town's driver."""
    sign_in(client, session)
    return client
