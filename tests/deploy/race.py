"""Many staff press "confirm" for the same car at the same moment, over HTTP."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests
from flask import Flask
from sqlmodel import Session

from carshare import create_app, migrate
from carshare.db import get_engine
from tests.deploy.servers import outcome, sign_in, token
from tests.reliability.crowd import PASSWORD, Crowd, Stored, crowd_town, stored


def seed_crowd(url: str, riders: int, seats: int = 3, staff: int = 4,
               asking: int | None = None, drivers: int = 1) -> Crowd:
    """Migrate the empty database at ``url`` and store the crowd's town in it."""
    migrate.upgrade(url)
    with _app(url).app_context(), Session(get_engine()) as session:
        return crowd_town(session, riders=riders, seats=seats, staff=staff, asking=asking,
                          drivers=drivers)


def read_back(url: str, crowd: Crowd) -> Stored:
    """What the database holds for the crowd after the race."""
    with _app(url).app_context(), Session(get_engine()) as session:
        return stored(session, crowd)


def _app(url: str) -> Flask:
    return create_app("testing", DATABASE_URL=url)


@dataclass
class Race:
    """Outcomes of the race and each confirm's latency in seconds."""

    outcomes: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    samples: dict[str, str] = field(default_factory=dict)


def race(base: str, crowd: Crowd, attempts: int, timeout: float = 300) -> Race:
    """Confirm ``attempts`` different riders into the crowd's car at once, in threads."""
    staff = [sign_in(base, name, PASSWORD) for name in crowd.usernames]
    tokens = [token(s.get(f"{base}/requests/{crowd.request_ids[0]}/options", timeout=60).text)
              for s in staff]
    result, barrier, lock = Race(), threading.Barrier(attempts + 1, timeout=120), threading.Lock()

    def one(n: int) -> None:
        http = requests.Session()
        http.cookies.update(staff[n % len(staff)].cookies)
        request_id = crowd.request_ids[n]
        barrier.wait()
        started = time.perf_counter()
        try:
            answer = http.post(f"{base}/requests/{request_id}/confirm", timeout=timeout,
                               data={"csrf_token": tokens[n % len(staff)],
                                     "offer_id": crowd.offer_id}, allow_redirects=False)
            kind, text = outcome(answer, request_id), answer.text
        except requests.RequestException as error:
            kind, text = f"other:{type(error).__name__}", str(error)
        with lock:
            result.latencies.append(time.perf_counter() - started)
            result.outcomes[kind] += 1
            result.samples.setdefault(kind, text[:2000])

    threads = [threading.Thread(target=one, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout + 60)
    result.wall_s = time.perf_counter() - started
    return result


class Desk:
    """One staff member confirming the crowd's rides one after another."""

    def __init__(self, base: str, crowd: Crowd, staff: int = 0, offer_id: int | None = None
                 ) -> None:
        self.base, self.crowd, self.offer_id = base, crowd, offer_id or crowd.offer_id
        self.http = sign_in(base, crowd.usernames[staff], PASSWORD)
        page = self.http.get(f"{base}/requests/{crowd.request_ids[0]}/options", timeout=60)
        self.csrf = token(page.text)

    def confirm(self, request_id: int) -> requests.Response:
        return self.http.post(f"{self.base}/requests/{request_id}/confirm", timeout=60,
                              data={"csrf_token": self.csrf, "offer_id": self.offer_id},
                              allow_redirects=False)

    def confirm_until_answered(self, request_id: int, within: float = 60) -> tuple[str, int]:
        """Press again after each 503, as staff would; return the outcome and the 503s seen."""
        unavailable, deadline = 0, time.monotonic() + within
        while True:
            answer = self.confirm(request_id)
            if answer.status_code != 503 or time.monotonic() > deadline:
                return outcome(answer, request_id), unavailable
            unavailable += 1
            time.sleep(0.5)


def log_tail(path: Path, chars: int = 3000) -> str:
    """The end of a server log, for assertion messages."""
    return path.read_text()[-chars:] if path.exists() else ""
