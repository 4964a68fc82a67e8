"""Issue 19 (8): home places are stored under the resident's full name (「利用0 花子 宅」);
drivers, on the phone and on the printed manifest, see a neutral label instead."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import Route
from tests.conftest import login
from tests.driver.conftest import book, tomorrow
from tests.driver.conftest import town as small  # noqa: F401  (fixture)
from tests.security.phone import phone_sign_in


def _name_homes(session: Session, town: dict[str, Any]) -> list[str]:
    """Store the homes the way staff do: the resident's full name + 宅."""
    names = []
    for n, home in enumerate(town["homes"]):
        home.name = f"山田 花子{n} 宅"
        session.add(home)
        names.append(home.name)
    session.commit()
    return names


def test_the_driver_phone_never_shows_a_home_by_its_name(
        app: Flask, client: FlaskClient, session: Session,
        small: dict[str, Any]) -> None:  # noqa: F811
    names = _name_homes(session, small)
    book(session, small, 0)
    phone_sign_in(client, session, small["driver"].resident_id)
    html = client.get(f"/driver/day?day={tomorrow().isoformat()}").get_data(as_text=True)
    assert "利用0様" in html  # the rider is still greeted by family name
    assert "利用者様宅（本町）" in html and "ご自宅" in html  # their home, the driver's own
    assert not any(name in html for name in names)
    assert "花子" not in html
    form = client.get("/driver/offers/new").get_data(as_text=True)
    assert not any(name in form for name in names) and "ご自宅" in form


def test_the_printed_manifest_never_shows_a_home_by_its_name(
        app: Flask, session: Session, small: dict[str, Any]) -> None:  # noqa: F811
    names = _name_homes(session, small)
    book(session, small, 0)
    route = session.exec(select(Route).where(Route.offer_id == small["offer"].id)).first()
    staff = app.test_client()
    assert login(staff, small["staff"].username, "x" * 12).status_code == 302
    html = staff.get(f"/trips/{route.id}/manifest").get_data(as_text=True)
    assert "利用者様宅（本町）" in html
    assert not any(name in html for name in names)
