"""Days far outside the service (9999-12-31, 0001-01-01): refused with a plain 400 or a form
error, never a 500, never stored. One horizon (``carshare.services.plausible``) for every
view and form that takes a day, and for the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import ApiScope, FuelPrice, Offer
from carshare.services.api_tokens import create_token
from carshare.services.plausible import DAYS_AHEAD, PAST_DAYS, RANGE_DAYS_AHEAD
from carshare.timeutil import TOKYO, local_today
from tests.security.conftest import World
from tests.security.forms import forms_of, main_form

FAR = ("9999-12-31", "0001-01-01", "2099-12-31", "1999-01-01")
BETWEEN = "までの日付を入力してください"  # "Enter a date between …" in Japanese


def _says_between(response: Any) -> bool:
    """Whether the page names the days allowed (in English or Japanese)."""
    body = response.get_data(as_text=True)
    return "Enter a date between" in body or BETWEEN in body


def _today() -> Any:
    return local_today(TOKYO)


def _count(app: Flask, model: Any) -> int:
    with app.app_context(), Session(get_engine()) as session:
        return session.exec(select(sa.func.count()).select_from(model)).one()


@pytest.mark.parametrize("day", FAR)
def test_the_dashboard_refuses_days_outside_the_service(world: World, day: str) -> None:
    client = world.by_role["staff_a"]
    for path in (f"/dashboard?day={day}", f"/dashboard/days?day={day}"):
        response = client.get(path, headers={"Accept-Language": "en"})
        assert response.status_code == 400, path
        assert _says_between(response)


def test_the_dashboard_takes_days_within_the_service(world: World) -> None:
    client, today = world.by_role["staff_a"], _today()
    for day in (today - timedelta(days=PAST_DAYS), today + timedelta(days=DAYS_AHEAD)):
        assert client.get(f"/dashboard?day={day.isoformat()}").status_code == 200
    assert client.get("/dashboard?day=2026-02-30").status_code == 400


@pytest.mark.parametrize("day", FAR)
def test_day_paths_of_trips_and_costs_refuse_far_days(world: World, day: str) -> None:
    offer = world.a.ids["offer_id"]
    staff, driver = world.by_role["staff_a"], world.by_role["driver"]
    for client, path in ((staff, f"/costs/trips/{offer}/{day}"),
                         (driver, f"/driver/day?day={day}"),
                         (driver, f"/driver/trips/{offer}/{day}/costs")):
        assert client.get(path).status_code in (400, 404), path


def _post_page_form(client: Any, path: str, **values: str) -> Any:
    form = main_form(client.get(path).get_data(as_text=True), path)
    return client.post(form.action, data=form.data(**values),
                       headers={"Accept-Language": "en"})


@pytest.mark.parametrize("day", FAR)
def test_a_weather_day_outside_the_service_is_refused(app: Flask, world: World,
                                                      day: str) -> None:
    client = world.by_role["staff_a"]
    response = _post_page_form(client, "/weather", day=day, reason="吹雪")
    assert response.status_code == 400
    assert _says_between(response)
    page = client.get("/weather")
    form = main_form(page.get_data(as_text=True), "/weather")
    confirmed = client.post("/weather", data=form.data(day=day, reason="吹雪", confirmed="1"))
    assert confirmed.status_code == 400


@pytest.mark.parametrize("day", FAR)
def test_fuel_prices_and_gifts_dated_outside_the_service_are_refused(
        app: Flask, world: World, day: str) -> None:
    client, before = world.by_role["staff_a"], _count(app, FuelPrice)
    response = _post_page_form(client, "/costs/fuel-prices", valid_from=day,
                               yen_per_litre="170")
    assert response.status_code == 400
    assert _says_between(response)
    assert _count(app, FuelPrice) == before


def test_a_gift_dated_outside_the_service_is_refused(app: Flask, world: World) -> None:
    client, driver = world.by_role["staff_a"], world.a.ids["driver_id"]
    page = client.get(f"/costs/ledger?driver_id={driver}").get_data(as_text=True)
    form = next(f for f in forms_of(page, "/costs/ledger") if "given_on" in f.values)
    response = client.post(form.action, data=form.data(given_on="9999-12-31",
                                                       description="りんご"),
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert _says_between(response)


def _offers(app: Flask) -> int:
    return _count(app, Offer)


@pytest.mark.parametrize("field", ["service_date", "valid_until"])
def test_offers_dated_outside_the_service_are_refused_on_every_form(
        app: Flask, world: World, field: str) -> None:
    before, far = _offers(app), (_today() + timedelta(days=RANGE_DAYS_AHEAD + 1)).isoformat()
    one_off = (_today() + timedelta(days=DAYS_AHEAD + 1)).isoformat()
    values = ({"service_date": one_off, "weekday": ""} if field == "service_date"
              else {"service_date": "", "weekday": "2", "valid_until": far})
    for role, path in (("staff_a", "/records/offers/new"), ("driver", "/driver/offers/new")):
        response = _post_page_form(world.by_role[role], path, depart_after="08:00",
                                   return_by="12:00", seats="1", **values)
        assert response.status_code == 400, (role, path)
        assert _says_between(response), (role, path)
    assert _offers(app) == before


def _api(app: Flask, world: World) -> dict[str, str]:
    with app.app_context(), Session(get_engine()) as session:
        secret = create_token(session, world.a.data["town"].id, "days", ApiScope.WRITE,
                              None, None).secret
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


def test_api_offers_dated_outside_the_service_are_refused(app: Flask, world: World) -> None:
    before, home = _offers(app), world.a.ids["place_id"]
    body = {"vehicle_id": world.a.ids["vehicle_id"], "depart_after": "08:00",
            "return_by": "12:00", "start_place_id": home, "end_place_id": home, "seats": 1}
    client, headers = world.by_role["anonymous"], _api(app, world)
    for extra in ({"service_date": "2099-12-31"},
                  {"weekday": 1, "valid_until": "2099-12-31"},
                  {"weekday": 1, "valid_from": "2000-01-01"}):
        response = client.post("/api/v1/offers", json=body | extra, headers=headers)
        assert response.status_code == 422, extra
        problem = response.get_json()
        assert problem["errors"][0]["code"] == "day_out_of_range"
        assert problem["errors"][0]["message"].startswith("Enter a date between")
    assert _offers(app) == before


def test_the_message_is_translated(world: World) -> None:
    response = world.by_role["staff_a"].get("/dashboard?day=9999-12-31",
                                            headers={"Accept-Language": "ja"})
    assert response.status_code == 400
    assert BETWEEN in response.get_data(as_text=True)


QUERY_DAYS = {"day": "9999-12-31", "start": "0001-01-01", "end": "9999-12-31",
              "month": "9999-12", "from": "9999-12-31", "until": "9999-12-31"}


def test_no_page_fails_on_far_days_in_its_query(app: Flask, world: World) -> None:
    """Every GET page of every role, with far days in every query argument a page reads."""
    from tests.security.test_bad_input import _pages

    failures = []
    for role, path in _pages(app, world):
        for name, value in QUERY_DAYS.items():
            response = world.by_role[role].get(path, query_string={name: value})
            if response.status_code >= 500:
                failures.append((role, path, name, response.status_code))
    assert not failures
