"""Drivers can answer: the card names the rider politely, where from and to; a later day
with riders opens (without phone numbers until the day before)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session

from tests.driver.conftest import book, tomorrow


def test_the_question_card_says_who_from_where_to_where(driver_client: FlaskClient,
                                                        session: Session,
                                                        town: dict[str, Any]) -> None:
    town["offer"].auto_accept = False
    session.add(town["offer"])
    session.commit()
    book(session, town, 0)
    html = driver_client.get("/driver/day").get_data(as_text=True)
    assert "利用0様・1名" in html  # the family name the driver greets them by
    assert "本町地区から本町診療所まで" in html  # a home is only its settlement
    assert "花" not in html and "宅0" not in html  # nothing more personal


def test_a_later_day_with_riders_opens_without_phones(driver_client: FlaskClient,
                                                      session: Session,
                                                      town: dict[str, Any]) -> None:
    later = tomorrow() + timedelta(days=6)
    town["offer"].service_date = later
    session.add(town["offer"])
    session.commit()
    book(session, town, 0, day=later)
    page = driver_client.get(f"/driver/day?day={later.isoformat()}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "利用0様" in html
    assert "tel:+8116322" not in html and "前日から" in html
    empty = (later + timedelta(days=1)).isoformat()
    assert driver_client.get(f"/driver/day?day={empty}").status_code == 404
