"""The production shape: gunicorn with 4 workers on PostgreSQL, used over real HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.dbs import empty_database, pg_base_url
from tests.deploy.race import log_tail, race, read_back, seed_crowd
from tests.deploy.servers import gunicorn, sign_in, token
from tests.reliability.crowd import PASSWORD, Crowd

pytestmark = pytest.mark.skipif(
    not pg_base_url(), reason="gunicorn deployment tests need PostgreSQL: set "
    "CARSHARE_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test")

ATTEMPTS = 40


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    """A throw-away PostgreSQL schema of the test server."""
    with empty_database("postgresql", tmp_path) as url:
        yield url


def test_booking_over_http_with_four_workers(pg_url: str, tmp_path: Path) -> None:
    crowd = seed_crowd(pg_url, riders=2, seats=3, staff=1, asking=1)
    log = tmp_path / "gunicorn.log"
    with gunicorn(pg_url, log, workers=4) as base:
        assert _workers(log) == 4, log_tail(log)
        http = sign_in(base, crowd.usernames[0], PASSWORD)
        rider = _rider_of(http, base, crowd)
        book = http.get(f"{base}/book/{rider}", timeout=30)
        assert book.status_code == 200, log_tail(log)
        options = _book(http, base, rider, token(book.text))
        assert options.status_code == 200 and "運転様の車" in options.text  # the driver is named
        request_id = int(re.search(r"/requests/(\d+)/", options.url).group(1))
        answer = http.post(f"{base}/requests/{request_id}/confirm", allow_redirects=False,
                           data={"csrf_token": token(options.text),
                                 "offer_id": crowd.offer_id}, timeout=60)
        assert answer.status_code == 302, log_tail(log)
        summary = http.get(f"{base}{answer.headers['Location']}", timeout=30)
        assert summary.status_code == 200
        forged = http.post(f"{base}/requests/{crowd.request_ids[0]}/confirm",
                           data={"offer_id": crowd.offer_id}, timeout=30)
        assert forged.status_code == 400  # no CSRF token, nothing confirmed
    after = read_back(pg_url, crowd)
    assert (after.confirmed, after.riders_in_plan) == (0, 1)  # the crowd's own stay open


def test_forty_confirms_at_once_for_three_seats(pg_url: str, tmp_path: Path) -> None:
    crowd = seed_crowd(pg_url, riders=ATTEMPTS, seats=3, staff=4)
    log = tmp_path / "gunicorn.log"
    with gunicorn(pg_url, log, workers=4) as base:
        result = race(base, crowd, ATTEMPTS)
    assert result.outcomes == {"confirmed": 3, "full": ATTEMPTS - 3}, (
        result.samples, log_tail(log))
    after = read_back(pg_url, crowd)
    assert (after.confirmed, after.riders_in_plan, after.peak_load, after.active_plans) == (
        3, 3, 3, 1)


def _workers(log: Path) -> int:
    import time

    for _ in range(50):
        booted = log.read_text().count("Booting worker")
        if booted >= 4:
            return booted
        time.sleep(0.2)
    return log.read_text().count("Booting worker")


def _rider_of(http: requests.Session, base: str, crowd: Crowd) -> int:
    """Find a rider of the crowd through the phone lookup, as staff do on a call."""
    found = http.get(f"{base}/call", params={"q": "+811632000001"}, timeout=30)
    match = re.search(r"/book/(\d+)", found.text)
    assert match, found.text[:2000]
    return int(match.group(1))


def _book(http: requests.Session, base: str, rider: int, csrf: str) -> requests.Response:
    """Fill the one-screen booking form: to the clinic, arrive by 10:00 on the crowd's day."""
    from tests.factories import FUTURE

    page = http.get(f"{base}/book/{rider}", timeout=30).text
    clinic = re.search(r'<option value="(\d+)"[^>]*>診療所', page).group(1)
    hall = re.search(r'name="pickup_place_id"[^>]*>\s*<option[^>]*value="(\d+)"', page)
    data = {"csrf_token": csrf, "pickup_place_id": hall.group(1) if hall else "",
            "dropoff_place_id": clinic, "day": FUTURE.isoformat(), "window_kind": "arrive_by",
            "clock": "10:30", "party_size": "1", "return_mode": "none"}
    return http.post(f"{base}/book/{rider}", data=data, timeout=60)
