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
               asking: int | None = None) -> Crowd:
    """Migrate the empty database at ``url`` and store the crowd's town in it."""
    migrate.upgrade(url)
    with _app(url).app_context(), Session(get_engine()) as session:
        return crowd_town(session, riders=riders, seats=seats, staff=staff, asking=asking)


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


def log_tail(path: Path, chars: int = 3000) -> str:
    """The end of a server log, for assertion messages."""
    return path.read_text()[-chars:] if path.exists() else ""
