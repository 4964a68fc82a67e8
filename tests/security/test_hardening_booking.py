"""Issue 19 (8): a rider's phone could send 40 bookings in seconds. Now the booking form is
limited per signed-in rider (Flask-Limiter), and a rider has at most a few open requests on
one day, counted under a per-rider lock so parallel requests cannot all pass."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from carshare import create_app
from carshare.db import get_engine
from carshare.models import RideRequest
from carshare.timeutil import TOKYO, local_today
from carshare.web.me.access import COOKIE
from tests.conftest import csrf_token
from tests.factories import small_town
from tests.security.phone import phone_sign_in


def _day() -> date:
    return local_today(TOKYO) + timedelta(days=3)


def _form(town: dict[str, Any], hour: int, token: str) -> dict[str, str]:
    return {"csrf_token": token, "dropoff_place_id": str(town["clinic"].id),
            "day": _day().isoformat(), "window_kind": "arrive_by", "clock": f"{hour:02d}:00",
            "return_mode": "none"}


def _stored(app: Flask, rider_id: int) -> int:
    with app.app_context(), Session(get_engine()) as session:
        return session.exec(select(func.count(RideRequest.id))
                            .where(RideRequest.rider_id == rider_id)).one()


@pytest.fixture
def town(session: Session) -> dict[str, Any]:
    """The small town on the configured slug."""
    return small_town(session, seats=2, slug="teshio")


def test_booking_posts_are_limited_per_rider(app: Flask, session: Session,
                                             town: dict[str, Any]) -> None:
    first, second = app.test_client(), app.test_client()
    phone_sign_in(first, session, town["riders"][0].id)
    phone_sign_in(second, session, town["riders"][1].id)
    token = csrf_token(first.get("/me/book").get_data(as_text=True))
    statuses = [first.post("/me/book", data={"csrf_token": token}).status_code
                for _ in range(12)]
    assert statuses[:10] == [400] * 10 and statuses[10:] == [429, 429]
    token = csrf_token(second.get("/me/book").get_data(as_text=True))
    assert second.post("/me/book", data={"csrf_token": token}).status_code == 400  # own count


def _ask(client: FlaskClient, town: dict[str, Any], hour: int) -> int:
    """Book from the phone and take the waiting list, as a rider taps through; return the
    status of the booking form's answer."""
    token = csrf_token(client.get("/me/book").get_data(as_text=True))
    answer = client.post("/me/book", data=_form(town, hour, token))
    if answer.status_code == 302:
        request_id = answer.headers["Location"].split("/")[-2]
        page = client.get(f"/me/book/{request_id}/options").get_data(as_text=True)
        client.post(f"/me/book/{request_id}/confirm", data={"csrf_token": csrf_token(page)})
    return answer.status_code


def test_a_rider_has_at_most_four_open_requests_a_day(app: Flask, session: Session,
                                                     town: dict[str, Any]) -> None:
    client = app.test_client()
    rider = town["riders"][0]
    phone_sign_in(client, session, rider.id)
    assert [_ask(client, town, hour) for hour in (8, 9, 10, 11, 12)] == [302] * 4 + [400]
    token = csrf_token(client.get("/me/book").get_data(as_text=True))
    page = client.post("/me/book", data=_form(town, 13, token)).get_data(as_text=True)
    assert "4件" in page and "役場" in page
    assert _stored(app, rider.id) == 4


@pytest.fixture
def served(migrated_url: str) -> Iterator[dict[str, Any]]:
    """The app on a real threaded server (no rate limit here: the daily cap is under test)."""
    from sqlmodel import SQLModel
    from werkzeug.serving import make_server

    app = create_app("testing", DATABASE_URL=migrated_url,
                     RIDER_BOOKING_RATE_LIMIT="1000 per minute")
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        town = small_town(session, seats=2, slug="teshio")
        client = app.test_client()
        token = phone_sign_in(client, session, town["riders"][0].id)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app, "town": town,
           "token": token}
    server.shutdown()
    with app.extensions["carshare.engine"].begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
    app.extensions["carshare.engine"].dispose()


def test_parallel_bookings_cannot_pass_the_daily_cap(served: dict[str, Any]) -> None:
    base, town = served["url"], served["town"]

    def ask(hour: int) -> list[int]:
        http = requests.Session()
        http.cookies.set(COOKIE, served["token"], domain="127.0.0.1")
        token = csrf_token(http.get(f"{base}/me/book", timeout=30).text)
        answer = http.post(f"{base}/me/book", data=_form(town, hour, token),
                           allow_redirects=False, timeout=60)
        if answer.status_code != 302:
            return [answer.status_code]
        options = http.get(f"{base}{answer.headers['Location']}", timeout=60)
        if options.status_code != 200 or "/options" not in options.url:
            return [answer.status_code, options.status_code]  # replaced by a parallel search
        confirm = answer.headers["Location"].replace("/options", "/confirm")
        done = http.post(f"{base}{confirm}", data={"csrf_token": csrf_token(options.text)},
                         allow_redirects=False, timeout=60)
        return [answer.status_code, options.status_code, done.status_code]

    rider_id = town["riders"][0].id
    for _ in range(8):  # rounds of parallel taps (each new search replaces the last quote)
        with ThreadPoolExecutor(8) as pool:
            statuses = [s for flow in pool.map(ask, range(6, 14)) for s in flow]
        assert 500 not in statuses
        assert _stored(served["app"], rider_id) <= 4
        if _stored(served["app"], rider_id) == 4:
            break
    assert _stored(served["app"], rider_id) == 4
    assert ask(20) == [400]  # and the cap holds afterwards
