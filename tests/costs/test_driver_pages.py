"""The driver's phone pages: tolls and parking of their own trip, their own ledger only."""

from __future__ import annotations

from typing import Any

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import TripCostItem
from tests.conftest import csrf_token
from tests.costs.conftest import sign_in


def costs_url(t: dict[str, Any], offer_id: int | None = None) -> str:
    """The driver's cost page of the trip."""
    return f"/driver/trips/{offer_id or t['offer'].id}/{t['day'].isoformat()}/costs"


@pytest.fixture
def driver(driver_client: FlaskClient, trip: dict[str, Any]) -> FlaskClient:
    """The trip's driver, signed in on their phone."""
    g.pop("csrf_token", None)  # the test's app context outlives the sign-in's new session
    return driver_client


def post(client: FlaskClient, url: str, data: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Post ``data`` to ``url`` with the token of the page itself."""
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_driver_enters_a_parking_fee_and_sees_the_shares(driver: FlaskClient, session: Session,
                                                         trip: dict[str, Any]) -> None:
    response = post(driver, costs_url(trip), {"kind": "parking", "amount_yen": "400",
                                              "note": "病院"})
    assert response.status_code == 302
    item = session.exec(select(TripCostItem)).one()
    assert (item.kind, item.amount_yen, item.entered_by_resident_id) == (
        "parking", 400, trip["driver"].resident_id)
    html = driver.get(costs_url(trip)).get_data(as_text=True)
    assert "¥400" in html and "病院" in html
    for rider in trip["riders"]:
        assert rider.given_name in html


def test_driver_day_page_links_the_trip_costs(driver: FlaskClient, trip: dict[str, Any]) -> None:
    html = driver.get(f"/driver/day?day={trip['day'].isoformat()}").get_data(as_text=True)
    assert costs_url(trip) in html


@pytest.mark.parametrize("data", [
    {"kind": "toll", "amount_yen": "500000"}, {"kind": "toll", "amount_yen": "-1"},
    {"kind": "parking", "amount_yen": "1.5"}, {"kind": "rental", "amount_yen": "100"},
    {"kind": "", "amount_yen": "100"},
])
def test_driver_bad_amounts_answer_400_and_write_nothing(
        driver: FlaskClient, session: Session, trip: dict[str, Any], data: dict) -> None:
    response = post(driver, costs_url(trip), data)
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert session.exec(select(TripCostItem)).all() == []


def test_driver_sees_only_their_own_ledger(driver: FlaskClient, session: Session,
                                           trip: dict[str, Any]) -> None:
    month = trip["day"].strftime("%Y-%m")
    html = driver.get(f"/driver/ledger?month={month}").get_data(as_text=True)
    assert "<strong>¥" in html and "¥0" not in html.split("<tfoot>")[1]
    # A driver_id in the URL is ignored: the page is always the signed-in driver's.
    other = driver.get(f"/driver/ledger?month={month}&driver_id=999").get_data(as_text=True)
    table = lambda page: page[page.index("<table"):page.index("</table>")]  # noqa: E731
    assert table(other) == table(html)
    assert driver.get("/costs/ledger").status_code == 302  # the staff page needs staff


def test_another_driver_cannot_open_or_change_the_trip(client: FlaskClient, session: Session,
                                                       trip: dict[str, Any]) -> None:
    from tests.costs.conftest import second_driver

    second_driver(session, trip)
    sign_in(client, session, phone="090-3333-4444")
    g.pop("csrf_token", None)
    assert client.get(costs_url(trip)).status_code == 404
    token = csrf_token(client.get("/driver/ledger").get_data(as_text=True))
    response = client.post(costs_url(trip), data={"csrf_token": token, "kind": "toll",
                                                  "amount_yen": "100"})
    assert response.status_code == 404
    assert session.exec(select(TripCostItem)).all() == []
    month = trip["day"].strftime("%Y-%m")
    html = client.get(f"/driver/ledger?month={month}").get_data(as_text=True)
    assert "<strong>¥0</strong>" in html  # their own (empty) month, not the first driver's


def test_driver_cannot_remove_a_staff_item(driver: FlaskClient, session: Session,
                                           trip: dict[str, Any]) -> None:
    row = TripCostItem(town_id=trip["town"].id, offer_id=trip["offer"].id,
                       service_date=trip["day"], kind="toll", amount_yen=100,
                       entered_by_staff_id=trip["staff"].id)
    session.add(row)
    session.commit()
    token = csrf_token(driver.get(costs_url(trip)).get_data(as_text=True))
    response = driver.post(f"/driver/costs/items/{row.id}/delete", data={"csrf_token": token})
    assert response.status_code == 404
    assert session.exec(select(TripCostItem)).one().id == row.id
