"""Helpers of the sign-in tests: an app without address limits, a few more residents, the
code a message carries, and a page's answer without its CSRF token."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from carshare import create_app
from carshare.models import ContactChannel, PhoneKind, Resident, ResidentPhone
from tests.conftest import csrf_token
from tests.factories import add, consent_all

UNLIMITED = "100000 per minute"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="[^"]*"')


@pytest.fixture
def open_app(app: Flask, migrated_url: str) -> Iterator[Flask]:
    """A testing app on the same database whose address limits never bite (the ``app``
    fixture still empties the tables afterwards)."""
    other = create_app("testing", DATABASE_URL=migrated_url, SIGNIN_CODE_RATE_LIMIT=UNLIMITED,
                       LOGIN_RATE_LIMIT=UNLIMITED, LOGIN_RATE_LIMIT_PER_ADDRESS=UNLIMITED,
                       TOWN_SLUG="mini")
    yield other
    other.extensions["carshare.engine"].dispose()


def mobiles(session: Session, town_id: int, home_id: int, count: int) -> list[str]:
    """Store ``count`` residents with a mobile each (consents given); return their numbers."""
    numbers = []
    for n in range(count):
        person = add(session, Resident(town_id=town_id, family_name=f"携帯{n}", given_name="花",
                                       family_name_kana="ケイタイ", given_name_kana="ハナ",
                                       home_place_id=home_id, contact_channel=ContactChannel.SMS))
        consent_all(session, person.id)
        add(session, ResidentPhone(resident_id=person.id, e164=f"+8190123456{n:02d}",
                                   kind=PhoneKind.MOBILE, is_primary=True))
        numbers.append(f"090-1234-56{n:02d}")
    session.commit()
    return numbers


def ask_code(client: FlaskClient, phone: str):  # type: ignore[no-untyped-def]
    """Post the phone number on /me/login."""
    token = csrf_token(client.get("/me/login").get_data(as_text=True))
    return client.post("/me/login", data={"csrf_token": token, "phone": phone})


def type_code(client: FlaskClient, code: str):  # type: ignore[no-untyped-def]
    """Post a code on /me/code."""
    token = csrf_token(client.get("/me/code").get_data(as_text=True))
    return client.post("/me/code", data={"csrf_token": token, "code": code})


def answer(response, typed: str = "") -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """A response as the visitor sees it: status and page, without its CSRF token and
    without the number the visitor typed (echoed in the form)."""
    page = _CSRF.sub("", response.get_data(as_text=True))
    return response.status_code, page.replace(typed, "<typed>") if typed else page
