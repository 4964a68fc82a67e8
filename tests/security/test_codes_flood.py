"""Issue 19, finding 4: sign-in codes cannot be used to flood a phone.

At most three codes an hour and five a day go to one number (known or not: the answers are
the same); voice codes (a landline typed) only within the calling hours, else the page says
so and offers a text message to a mobile or the next allowed time. Fifteen requests at one
moment over HTTP queue at most three messages.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlmodel import Session, func, select

from carshare.models import Notification, SigninCode
from carshare.services.resident_auth import CodePolicy, SigninError, request_code
from carshare.timeutil import TOKYO
from tests.deploy.servers import token
from tests.factories import small_town
from tests.security.codes import ask_code, open_app
from tests.security.live import DRIVER_MOBILE, Live, burst, live

__all__ = ["live", "open_app"]

POLICY = CodePolicy(key="testing-secret-key", hours=(time(8), time(20)), tz=TOKYO)
MORNING = datetime(2026, 12, 8, 10, 0, tzinfo=TOKYO)
NIGHT = datetime(2026, 12, 8, 23, 0, tzinfo=TOKYO)
LANDLINE = "01632-2-1000"  # rider 0 of the small town: a landline, so a voice call


@pytest.fixture
def town(session: Session) -> dict[str, Any]:
    return small_town(session, seats=2)


def _ask(session: Session, town: dict[str, Any], phone: str, at: datetime) -> str:
    try:
        request_code(session, town["town"].id, phone, at, POLICY)
    except SigninError as error:
        session.rollback()
        return error.code
    return "sent"


def _sent(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Notification).where(
        Notification.template == "signin_code")).one()


@pytest.mark.parametrize("phone", [DRIVER_MOBILE, "090-9999-0000"])
def test_fifteen_requests_send_three_codes_an_hour(session: Session, town: dict[str, Any],
                                                   phone: str) -> None:
    outcomes = [_ask(session, town, phone, MORNING + timedelta(minutes=n)) for n in range(15)]
    assert outcomes == ["sent"] * 3 + ["too_many_codes"] * 12
    assert _sent(session) == (3 if phone == DRIVER_MOBILE else 0)
    assert _ask(session, town, phone, MORNING + timedelta(minutes=61)) == "sent"


def test_five_codes_a_day(session: Session, town: dict[str, Any]) -> None:
    outcomes = [_ask(session, town, DRIVER_MOBILE, MORNING + timedelta(minutes=70 * n))
                for n in range(8)]
    assert outcomes == ["sent"] * 5 + ["too_many_codes"] * 3
    assert _ask(session, town, DRIVER_MOBILE, MORNING + timedelta(hours=24, minutes=1)) == "sent"


def test_voice_codes_only_within_calling_hours(session: Session, town: dict[str, Any]) -> None:
    with pytest.raises(SigninError) as refused:
        request_code(session, town["town"].id, LANDLINE, NIGHT, POLICY)
    session.rollback()
    assert refused.value.code == "voice_hours"
    assert refused.value.next_at == datetime(2026, 12, 9, 8, 0, tzinfo=TOKYO)
    assert _sent(session) == 0
    assert _ask(session, town, "01632-2-9999", NIGHT) == "voice_hours"  # unknown: the same
    assert _ask(session, town, DRIVER_MOBILE, NIGHT) == "sent"  # a text message at any hour
    assert _ask(session, town, LANDLINE, MORNING + timedelta(days=1)) == "sent"
    row = session.exec(select(Notification).order_by(Notification.id.desc())).first()
    assert row.channel == "voice"


def test_the_page_says_when_calls_are_allowed(open_app: Flask, town: dict[str, Any]) -> None:
    with time_machine.travel(NIGHT, tick=False):
        response = ask_code(open_app.test_client(), LANDLINE)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "8:00" in page and "携帯電話" in page  # offers a text message to a mobile


def test_too_many_codes_is_said_on_the_page(open_app: Flask, town: dict[str, Any]) -> None:
    client = open_app.test_client()
    with time_machine.travel(MORNING, tick=False):
        statuses = [ask_code(client, DRIVER_MOBILE).status_code for _ in range(4)]
        page = ask_code(client, DRIVER_MOBILE).get_data(as_text=True)
    assert statuses == [302, 302, 302, 400]
    assert "確認コードを何度も" in page


def test_fifteen_requests_at_once_queue_three_messages(live: Live, session: Session) -> None:
    def prepare(n: int):  # type: ignore[no-untyped-def]
        import requests

        http = requests.Session()
        return http, token(http.get(f"{live.base}/me/login", timeout=30).text)

    answers = burst(15, prepare, lambda p: p[0].post(
        f"{live.base}/me/login", data={"csrf_token": p[1], "phone": DRIVER_MOBILE},
        allow_redirects=False, timeout=120))
    assert [a.status_code for a in answers if a.status_code >= 500] == [], live.tail()
    session.expire_all()
    assert _sent(session) <= 3
    assert session.exec(select(func.count()).select_from(SigninCode)).one() <= 3
    assert sum(a.status_code == 302 for a in answers) <= 3
