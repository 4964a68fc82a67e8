"""Live servers for the sign-in race tests: the embedded ``serve`` (SQLite and PostgreSQL) and
gunicorn with 4 workers on PostgreSQL, each on a free 127.0.0.1 port, over real HTTP.

The address limits of Flask-Limiter are raised far out of the way, so what is measured is
the database's own counting of tries (the limiter's memory store is per process and racy).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlmodel import Session

from tests.deploy.race import log_tail
from tests.deploy.servers import embedded, gunicorn, token
from tests.factories import small_town

DRIVER_MOBILE = "090-1111-2222"  # the small town's driver: codes go by SMS at any hour
STAFF_PASSWORD = "x" * 12
NO_ADDRESS_LIMITS = {"CARSHARE_SIGNIN_CODE_RATE_LIMIT": "100000 per minute",
                     "CARSHARE_LOGIN_RATE_LIMIT": "100000 per minute",
                     "CARSHARE_LOGIN_RATE_LIMIT_PER_ADDRESS": "100000 per minute",
                     "CARSHARE_TOWN_SLUG": "mini"}


@dataclass(frozen=True)
class Live:
    """A running server, its database and the small town in it."""

    base: str
    kind: str
    url: str
    town: dict[str, Any]
    log: Path

    def tail(self) -> str:
        """The end of the server's log, for assertion messages."""
        return log_tail(self.log)


@pytest.fixture(params=["embedded", "gunicorn"])
def live(request: pytest.FixtureRequest, migrated_url: str, session: Session,
         tmp_path: Path) -> Iterator[Live]:
    """The small town ("mini") served by ``serve`` or by gunicorn -w 4 (PostgreSQL only)."""
    kind = request.param
    if kind == "gunicorn" and not migrated_url.startswith("postgresql"):
        pytest.skip("gunicorn with several workers runs on PostgreSQL")
    town = small_town(session, seats=2)
    log = tmp_path / f"{kind}.log"
    start = embedded if kind == "embedded" else gunicorn
    options = {"workers": 4} if kind == "gunicorn" else {}
    with start(migrated_url, log, **options, **NO_ADDRESS_LIMITS) as base:
        yield Live(base, kind, migrated_url, town, log)


def burst(count: int, prepare: Callable[[int], Any], fire: Callable[[Any], requests.Response]
          ) -> list[requests.Response]:
    """Prepare ``count`` requests, then fire them all at one moment from their own threads."""
    prepared = [prepare(n) for n in range(count)]
    barrier, answers = threading.Barrier(count, timeout=120), [None] * count

    def one(n: int) -> None:
        barrier.wait()
        answers[n] = fire(prepared[n])

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert all(a is not None for a in answers), "a request did not come back"
    return answers  # type: ignore[return-value]


def phone_session(base: str, phone: str) -> tuple[requests.Session, requests.Response]:
    """Ask for a code for ``phone`` through the real form; return the HTTP session and answer."""
    http = requests.Session()
    page = http.get(f"{base}/me/login", timeout=30)
    answer = http.post(f"{base}/me/login", data={"csrf_token": token(page.text), "phone": phone},
                       allow_redirects=False, timeout=60)
    return http, answer


def copy_of(http: requests.Session) -> requests.Session:
    """A new HTTP session with the same cookies (one per thread)."""
    other = requests.Session()
    other.cookies.update(http.cookies)
    return other
