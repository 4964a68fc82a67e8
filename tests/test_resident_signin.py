"""Riders and drivers sign in with a code: expiry, single use, tries, lockout, revocation."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import Notification, RequestStatus, RideRequest, utcnow
from carshare.services.notify_codes import code_of
from carshare.services.resident_auth import (
    CodePolicy,
    SigninError,
    request_code,
    resident_for,
    revoke_all,
    sign_out,
    verify_code,
)
from carshare.timeutil import TOKYO
from tests.conftest import csrf_token
from tests.factories import small_town

PHONE = "01632-2-1000"  # rider 0 of the small town
POLICY = CodePolicy(key="testing-secret-key", hours=(time(8), time(20)), tz=TOKYO)


def daytime() -> datetime:
    """Today 10:00 in the town: a landline may be called for a code."""
    return datetime.combine(utcnow().astimezone(TOKYO).date(), time(10), tzinfo=TOKYO)


@pytest.fixture
def town(session: Session) -> dict[str, Any]:
    return small_town(session, seats=2)


def _sent_code(session: Session, nonce: str) -> str:
    row = session.exec(select(Notification).where(
        Notification.idempotency_key.endswith(nonce))).one()
    assert row.template == "signin_code" and row.channel == "voice"  # a landline: read out
    assert "code" not in row.payload  # never stored: derived with the secret key when sent
    return code_of(row, POLICY.key)


def test_code_signs_in_once(session: Session, town: dict[str, Any]) -> None:
    now = daytime()
    nonce = request_code(session, town["town"].id, "０１６３２－２－１０００", now, POLICY)
    code = _sent_code(session, nonce)
    signed = verify_code(session, nonce, code, now + timedelta(minutes=1), POLICY)
    assert signed.resident_id == town["riders"][0].id
    assert resident_for(session, signed.token, now).id == signed.resident_id
    with pytest.raises(SigninError, match="used"):
        verify_code(session, nonce, code, now + timedelta(minutes=2), POLICY)


def test_unknown_number_reveals_nothing_and_bad_number_is_refused(
    session: Session, town: dict[str, Any]
) -> None:
    nonce = request_code(session, town["town"].id, "090-9999-0000", utcnow(), POLICY)
    assert nonce  # a sign-in like any other, but nothing is sent
    assert session.exec(select(Notification)).all() == []
    with pytest.raises(SigninError, match="wrong_code"):
        verify_code(session, nonce, "123456", utcnow(), POLICY)
    with pytest.raises(SigninError, match="invalid_phone"):
        request_code(session, town["town"].id, "12", utcnow(), POLICY)


def test_codes_expire_after_ten_minutes(session: Session, town: dict[str, Any]) -> None:
    now = daytime()
    nonce = request_code(session, town["town"].id, PHONE, now, POLICY)
    with pytest.raises(SigninError, match="expired"):
        verify_code(session, nonce, _sent_code(session, nonce), now + timedelta(minutes=10),
                    POLICY)


def test_five_wrong_tries_burn_a_code(session: Session, town: dict[str, Any]) -> None:
    now = daytime()
    nonce = request_code(session, town["town"].id, PHONE, now, POLICY)
    code = _sent_code(session, nonce)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        with pytest.raises(SigninError, match="wrong_code"):
            verify_code(session, nonce, wrong, now, POLICY)
    with pytest.raises(SigninError, match="too_many_tries"):
        verify_code(session, nonce, code, now, POLICY)


def test_repeated_failures_lock_the_resident_out(session: Session, town: dict[str, Any]) -> None:
    now = daytime()
    for _ in range(2):
        nonce = request_code(session, town["town"].id, PHONE, now, POLICY)
        wrong = f"{(int(_sent_code(session, nonce)) + 1) % 1_000_000:06d}"
        for _ in range(5):
            with pytest.raises(SigninError):
                verify_code(session, nonce, wrong, now, POLICY)
    with pytest.raises(SigninError, match="locked"):
        request_code(session, town["town"].id, PHONE, now, POLICY)
    assert request_code(session, town["town"].id, PHONE, now + timedelta(minutes=31), POLICY)


def test_staff_revoke_and_sign_out(session: Session, town: dict[str, Any]) -> None:
    now = daytime()
    tokens = []
    for _ in range(2):
        nonce = request_code(session, town["town"].id, PHONE, now, POLICY)
        tokens.append(verify_code(session, nonce, _sent_code(session, nonce), now, POLICY).token)
    sign_out(session, tokens[0], now)
    assert resident_for(session, tokens[0], now) is None
    assert resident_for(session, tokens[1], now) is not None
    assert revoke_all(session, town["staff"], town["riders"][0].id, now) == 1
    assert resident_for(session, tokens[1], now) is None


def _sign_in(client: FlaskClient, session: Session, family_name: str) -> None:
    """Sign in as a demo resident through the pages, with a mobile number added for them
    (a code to a landline is a call, made only within the calling hours)."""
    from carshare.models import PhoneKind, Resident, ResidentPhone

    person = session.exec(select(Resident).where(Resident.family_name == family_name)).one()
    session.add(ResidentPhone(resident_id=person.id, e164="+819077770000",
                              kind=PhoneKind.MOBILE, is_primary=False))
    session.commit()
    token = csrf_token(client.get("/me/login").get_data(as_text=True))
    answer = client.post("/me/login", data={"csrf_token": token, "phone": "090-7777-0000"})
    assert answer.status_code == 302
    row = session.exec(select(Notification).where(Notification.template == "signin_code")
                       .order_by(Notification.id.desc())).first()
    assert row.channel == "sms" and "code" not in row.payload
    html = client.get("/me/code").get_data(as_text=True)
    response = client.post("/me/code", data={"csrf_token": csrf_token(html),
                                              "code": code_of(row, POLICY.key)})
    assert response.status_code == 302 and "carshare_phone" in response.headers["Set-Cookie"]


def test_rider_sees_and_cancels_own_rides_only(client: FlaskClient, session: Session,
                                               demo: None) -> None:
    from carshare.models import Resident

    suzuki = session.exec(select(Resident).where(Resident.family_name == "鈴木")).one()
    _sign_in(client, session, "鈴木")
    html = client.get("/me/rides").get_data(as_text=True)
    assert "市立稚内病院" in html
    own = session.exec(select(RideRequest).where(RideRequest.rider_id == suzuki.id)).first()
    other = session.exec(select(RideRequest).where(RideRequest.rider_id != suzuki.id)).first()
    token = csrf_token(html)
    assert client.post(f"/me/rides/{other.id}/cancel",
                       data={"csrf_token": token}).status_code == 404
    assert client.post(f"/me/rides/{own.id}/cancel", data={"csrf_token": token}).status_code == 302
    session.expire_all()
    cancelled = session.get(RideRequest, own.id)
    assert cancelled.status == RequestStatus.CANCELLED
    assert cancelled.outcome_code in ("rider_cancel", "late_cancel")
    assert session.get(RideRequest, other.id).status != RequestStatus.CANCELLED


def test_wrong_code_on_the_page_is_a_translated_400(client: FlaskClient, session: Session,
                                                    demo: None) -> None:
    token = csrf_token(client.get("/me/login").get_data(as_text=True))
    client.post("/me/login", data={"csrf_token": token, "phone": "090-9999-0000"})
    html = client.get("/me/code").get_data(as_text=True)
    response = client.post("/me/code", data={"csrf_token": csrf_token(html), "code": "12"})
    assert response.status_code == 400 and "6桁" in response.get_data(as_text=True)
    assert client.get("/me/rides").status_code == 302


def test_rider_books_a_ride_with_the_same_engine(client: FlaskClient, session: Session,
                                                 demo: None) -> None:
    import re

    from carshare.models import Place
    from carshare.timeutil import TOKYO, local_today

    _sign_in(client, session, "鈴木")
    html = client.get("/me/book").get_data(as_text=True)
    hospital = session.exec(select(Place).where(Place.name == "市立稚内病院")).one()
    day = local_today(TOKYO) + timedelta(days=8)
    while day.weekday() != 1:
        day += timedelta(days=1)
    response = client.post("/me/book", data={
        "csrf_token": csrf_token(html), "dropoff_place_id": hospital.id, "day": day.isoformat(),
        "window_kind": "arrive_by", "clock": "10:00", "return_mode": "open"})
    assert response.status_code == 302, response.get_data(as_text=True)
    options = client.get(response.headers["Location"]).get_data(as_text=True)
    offer_id = re.search(r'name="offer_id" value="(\d+)"', options).group(1)
    request_id = int(re.search(r"/me/book/(\d+)/", response.headers["Location"]).group(1))
    done = client.post(f"/me/book/{request_id}/confirm",
                       data={"csrf_token": csrf_token(options), "offer_id": offer_id})
    assert done.status_code == 302
    session.expire_all()
    booked = session.get(RideRequest, request_id)
    assert booked.status == RequestStatus.CONFIRMED and booked.channel == "web"
    assert "市立稚内病院" in client.get("/me/rides").get_data(as_text=True)


def test_rider_cannot_open_another_riders_options(client: FlaskClient, session: Session,
                                                  demo: None) -> None:
    from carshare.models import Resident

    suzuki = session.exec(select(Resident).where(Resident.family_name == "鈴木")).one()
    other = session.exec(select(RideRequest).where(RideRequest.rider_id != suzuki.id)).first()
    _sign_in(client, session, "鈴木")
    assert client.get(f"/me/book/{other.id}/options").status_code == 404
