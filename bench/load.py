"""Load, measured: staff dashboards, phone bookings and drivers' trip buttons at once, over HTTP.

    .venv/bin/python bench/load.py [--users 10 50 100] [--seconds 30] [--backend postgresql]

Serves a town of 10 drivers and 300 residents with gunicorn (4 workers, deploy/gunicorn.conf.py)
on a throw-away PostgreSQL schema of ``CARSHARE_TEST_DATABASE_URL`` (or the embedded server on
SQLite with ``--backend sqlite``), on 127.0.0.1 only. Each simulated user is, in turn, a staff
member reloading the dashboard (half of them), a staff member booking a ride during a call
(form, options, confirm or waiting list), or a driver opening tomorrow's manifest and pressing
its buttons (started, picked up, dropped off; repeats, as an offline phone sends them, are
harmless; a press far from the planned time is asked about first, and the phone sends it again
with "record it anyway", as ``static/driver.js`` does). Every level runs for ``--seconds``;
prints throughput, p50/p95/p99 as the client waited, the app's own time (its
``Server-Timing`` header) at p50, and errors.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from tests.dbs import empty_database  # noqa: E402
from tests.deploy.servers import embedded, full_texts, gunicorn, sign_in, token  # noqa: E402

PASSWORD = "load-staff-pass-2026"
TIMING = re.compile(r"app;dur=([\d.]+)")
OFFER = re.compile(r'name="offer_id"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="offer_id"')
DAYS_AHEAD = range(2, 16)


@dataclass
class Town:
    """Ids the simulated users need."""

    hall: int
    clinic: int
    riders: list[int]
    drivers: list[tuple[str, int, list[int]]]  # (phone cookie token, offer id, riders)
    staff: list[str]
    tomorrow: date


def build(url: str) -> Town:
    """Migrate ``url`` and store the town: offers tomorrow and the next two weeks, 40 riders
    planned for tomorrow, a signed-in phone per driver."""
    from sqlmodel import Session

    from carshare import create_app, migrate
    from carshare.db import get_engine

    migrate.upgrade(url)
    with create_app("testing", DATABASE_URL=url).app_context(), Session(get_engine()) as s:
        return _store(s)


def _store(s) -> Town:  # type: ignore[no-untyped-def]
    from carshare.models import Place, PlaceKind, StaffRole, StaffUser
    from carshare.models import Town as TownRow
    from carshare.services.users import hash_password
    from carshare.timeutil import TOKYO, local_today
    from tests.factories import add

    town = add(s, TownRow(slug="load", name="負荷町"))
    hall = add(s, Place(town_id=town.id, kind=PlaceKind.OTHER, name="集会所", lat=44.885,
                        lon=141.75, settlement="本町"))
    clinic = add(s, Place(town_id=town.id, kind=PlaceKind.CLINIC, name="診療所", lat=45.25,
                          lon=141.75, settlement="本町"))
    tomorrow = local_today(TOKYO) + timedelta(days=1)
    staff = [add(s, StaffUser(town_id=town.id, username=f"load{n}", display_name="職員",
                              password_hash=hash_password(PASSWORD), role=StaffRole.STAFF,
                              session_token=secrets.token_hex(16))) for n in range(5)]
    riders = [_resident(s, town.id, hall.id, n) for n in range(300)]
    offers = [_driver(s, town.id, hall.id, n, tomorrow) for n in range(10)]
    s.commit()
    carried = _plan_tomorrow(s, town.id, hall.id, clinic.id, riders[:40], staff[0], tomorrow)
    drivers = [(_phone_session(s, resident), offer, carried.get(offer, []))
               for resident, offer in offers]
    s.commit()
    return Town(hall.id, clinic.id, riders[40:], drivers, [u.username for u in staff], tomorrow)


def _resident(s, town_id: int, hall: int, n: int) -> int:  # type: ignore[no-untyped-def]
    from carshare.models import ContactChannel, PhoneKind, Resident, ResidentPhone
    from tests.factories import add

    rider = add(s, Resident(town_id=town_id, family_name=f"住民{n}", given_name="花",
                            family_name_kana="ジュウミン", given_name_kana="ハナ",
                            home_place_id=hall, contact_channel=ContactChannel.VOICE))
    add(s, ResidentPhone(resident_id=rider.id, e164=f"+811632{n:06d}", kind=PhoneKind.LANDLINE,
                         is_primary=True))
    return rider.id


def _driver(s, town_id: int, hall: int, n: int, tomorrow: date):  # type: ignore[no-untyped-def]
    from carshare.models import (
        ContactChannel,
        Driver,
        Offer,
        PhoneKind,
        Resident,
        ResidentPhone,
        Vehicle,
    )
    from tests.factories import add

    person = add(s, Resident(town_id=town_id, family_name=f"運転{n}", given_name="太郎",
                             family_name_kana="ウンテン", given_name_kana="タロウ",
                             home_place_id=hall, contact_channel=ContactChannel.SMS))
    add(s, ResidentPhone(resident_id=person.id, e164=f"+8190{n:08d}", kind=PhoneKind.MOBILE,
                         is_primary=True))
    driver = add(s, Driver(resident_id=person.id, licence_expiry=tomorrow + timedelta(400),
                           insurance_expiry=tomorrow + timedelta(400)))
    car = add(s, Vehicle(driver_id=driver.id, seats=4, fuel_economy_km_per_l=18, colour="白",
                         plate=f"負荷 {n}"))
    first = None
    for day in [tomorrow] + [tomorrow + timedelta(days=d - 1) for d in DAYS_AHEAD]:
        offer = add(s, Offer(town_id=town_id, driver_id=driver.id, vehicle_id=car.id,
                             service_date=day, depart_after=clock(7), return_by=clock(13),
                             start_place_id=hall, end_place_id=hall, seats=4,
                             extra_minutes=360))
        first = first or offer.id
    return person, first


def _plan_tomorrow(s, town_id: int, hall: int, clinic: int, riders: list[int],  # type: ignore[no-untyped-def]
                   staff, tomorrow: date) -> dict[int, list[int]]:
    from carshare.models import WindowKind, utcnow
    from carshare.services.booking import BookingInput, create_booking
    from carshare.services.planning import plan_day
    from carshare.services.plans import active_plan, routes_of
    from carshare.timeutil import TOKYO

    for rider in riders:
        create_booking(s, staff, BookingInput(
            rider_id=rider, pickup_place_id=hall, dropoff_place_id=clinic, day=tomorrow,
            window_kind=WindowKind.ARRIVE_BY, clock=clock(10)), utcnow(), TOKYO)
    s.commit()
    plan_day(s, town_id, tomorrow, TOKYO, time_limit_s=10)
    carried: dict[int, list[int]] = {}
    for route, stops in routes_of(s, active_plan(s, town_id, tomorrow)):
        carried[route.offer_id] = [x.request_id for x in stops if x.kind == "pickup"]
    return carried


def _phone_session(s, resident) -> str:  # type: ignore[no-untyped-def]
    """A phone that signed in earlier with a code (a 180-day session), as its cookie token."""
    from carshare.models import DeviceSession, utcnow
    from carshare.services.resident_auth import _hash

    token_ = secrets.token_urlsafe(32)
    s.add(DeviceSession(resident_id=resident.id, token_hash=_hash(token_),
                        expires_at=utcnow() + timedelta(days=180), label="load"))
    return token_


@dataclass
class Tally:
    """Latency of every request by kind, and what went wrong."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    server: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, kind: str, call, expect: tuple[int, ...]):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            response = call()
        except requests.RequestException as error:
            with self.lock:
                self.errors[f"{kind}:{type(error).__name__}"] += 1
            return None
        elapsed = time.perf_counter() - started
        timing = TIMING.search(response.headers.get("Server-Timing", ""))
        with self.lock:
            self.latencies[kind].append(elapsed)
            if timing:
                self.server[kind].append(float(timing.group(1)) / 1000)
            if response.status_code not in expect:
                self.errors[f"{kind}:{response.status_code}"] += 1
        return response


class Users:
    """The simulated people; each ``run_*`` loops until the deadline."""

    pairs_lock = threading.Lock()

    def __init__(self, base: str, town: Town, tally: Tally, pairs: Iterator[tuple[int, int]]
                 ) -> None:
        self.base, self.town, self.tally, self.pairs = base, town, tally, pairs
        self.staff = [sign_in(base, name, PASSWORD) for name in town.staff]

    def http(self, n: int) -> requests.Session:
        session = requests.Session()
        session.cookies.update(self.staff[n % len(self.staff)].cookies)
        return session

    def run_dashboard(self, n: int, until: float) -> None:
        http, t = self.http(n), self.tally
        while time.monotonic() < until:
            t.timed("dashboard", lambda: http.get(f"{self.base}/dashboard", timeout=120), (200,))
            t.timed("dashboard", lambda: http.get(
                f"{self.base}/dashboard/days", params={"day": self.town.tomorrow.isoformat()},
                timeout=120), (200,))

    def run_booking(self, n: int, until: float) -> None:
        http = self.http(n)
        while time.monotonic() < until:
            with self.pairs_lock:
                ahead, rider = next(self.pairs)
            self._book(http, rider, self.town.tomorrow + timedelta(days=ahead - 1))

    def _book(self, http: requests.Session, rider: int, day: date) -> None:
        t, base = self.tally, self.base
        form = t.timed("booking", lambda: http.get(f"{base}/book/{rider}", timeout=120), (200,))
        if form is None or form.status_code != 200:
            return
        data = {"csrf_token": token(form.text), "pickup_place_id": self.town.hall,
                "dropoff_place_id": self.town.clinic, "day": day.isoformat(),
                "window_kind": "arrive_by", "clock": "10:00", "party_size": "1",
                "return_mode": "none"}
        stored = t.timed("booking", lambda: http.post(f"{base}/book/{rider}", data=data,
                                                      allow_redirects=False, timeout=120), (302,))
        if stored is None or stored.status_code != 302:
            return
        options = t.timed("booking", lambda: http.get(f"{base}{stored.headers['Location']}",
                                                      timeout=120), (200,))
        if options is None or options.status_code != 200:
            return
        self._choose(http, stored.headers["Location"].rsplit("/", 1)[0], options.text)

    def _choose(self, http: requests.Session, path: str, html: str) -> None:
        found = OFFER.search(html)
        data = {"csrf_token": token(html)}
        if found:
            data["offer_id"] = found.group(1) or found.group(2)
        action = "confirm" if found else "wait"
        answer = self.tally.timed("booking", lambda: http.post(
            f"{self.base}{path}/{action}", data=data, allow_redirects=False, timeout=120),
            (302, 409))
        if answer is None:
            return
        kind = {302: "done", 409: "full"}.get(answer.status_code, str(answer.status_code))
        if answer.status_code == 409 and not any(t in answer.text for t in full_texts()):
            kind = "409 not full"
        with self.tally.lock:
            self.tally.notes[f"{action}:{kind}"] += 1
            if kind == "409 not full":
                self.tally.errors["booking:409 not full"] += 1

    def run_driver(self, n: int, until: float) -> None:
        cookie, offer, riders = self.town.drivers[n % len(self.town.drivers)]
        http, t, day = requests.Session(), self.tally, self.town.tomorrow.isoformat()
        http.cookies.set("carshare_phone", cookie)
        presses = [("started", None)] + [(k, r) for r in riders
                                         for k in ("picked_up", "dropped_off")]
        for kind, rider in itertools.cycle(presses):
            if time.monotonic() >= until:
                return
            t.timed("driver", lambda: http.get(f"{self.base}/driver/day", params={"day": day},
                                               timeout=120), (200,))
            data = {"kind": kind, "request_id": rider or "", "client_event_id": uuid.uuid4().hex}
            answer = t.timed("driver", lambda data=data: http.post(
                f"{self.base}/driver/trips/{offer}/{day}/press", data=data,
                headers={"X-Carshare-Queue": "1"}, timeout=120), (200, 409))
            if answer is not None and answer.status_code == 409:
                self._record_anyway(http, f"{self.base}/driver/trips/{offer}/{day}/press",
                                    data, answer)

    def _record_anyway(self, http: requests.Session, url: str, data: dict[str, str],
                       answer: requests.Response) -> None:
        """A press far from the planned time (tomorrow's trip, pressed today) is asked about
        first; the driver answers "record it anyway" and the phone sends it again."""
        t = self.tally
        try:
            asks = answer.json().get("ask") is True
        except ValueError:
            asks = False
        if not asks:
            with t.lock:
                t.errors["driver:409 not asked"] += 1
            return
        t.timed("driver", lambda: http.post(url, data={**data, "confirmed": "1"},
                                            headers={"X-Carshare-Queue": "1"}, timeout=120),
                (200,))


ROLES = ("run_dashboard", "run_dashboard", "run_booking", "run_driver")


def level(base: str, town: Town, users: int, seconds: float,
          pairs: Iterator[tuple[int, int]]) -> tuple[Tally, float]:
    """Run ``users`` simulated users for ``seconds``; return the tally and the wall time.

    :param pairs: (days ahead, rider) not booked yet, shared by every level (one booking per
        rider and day, as on the phone).
    """
    tally = Tally()
    people = Users(base, town, tally, pairs)
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=getattr(people, ROLES[n % len(ROLES)]), args=(n, until))
               for n in range(users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 300)
    return tally, time.perf_counter() - started


def report(users: int, tally: Tally, wall: float) -> str:
    """One table row per kind of request, and the total."""
    rows = []
    every = [x for xs in tally.latencies.values() for x in xs]
    served = [x for xs in tally.server.values() for x in xs]
    for kind, xs in [*sorted(tally.latencies.items()), ("all", every)]:
        q = statistics.quantiles([x * 1000 for x in xs], n=100) if len(xs) > 1 else [0] * 99
        own = served if kind == "all" else tally.server.get(kind, [])
        app = f"{statistics.median(own) * 1000:.0f}" if own else "–"
        rows.append(f"| {users} | {kind} | {len(xs)} | {len(xs) / wall:.1f} | {q[49]:.0f} | "
                    f"{q[94]:.0f} | {q[98]:.0f} | {app} |")
    errors = sum(tally.errors.values())
    rows.append(f"| {users} | errors | {errors} {dict(tally.errors) or ''} | | | | | |")
    rows.append(f"| {users} | booking answers | {dict(tally.notes)} | | | | | |")
    return "\n".join(rows)


def main() -> None:
    """Build the town, serve it, run each level, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    args = parser.parse_args()
    if args.backend == "postgresql" and not os.environ.get("CARSHARE_TEST_DATABASE_URL"):
        sys.exit("set CARSHARE_TEST_DATABASE_URL=postgresql+psycopg://... (or --backend sqlite)")
    tmp = Path(tempfile.mkdtemp(prefix="load-"))
    with empty_database(args.backend, tmp) as url:
        town = build(url)
        log = tmp / "server.log"
        serve = (gunicorn(url, log, workers=args.workers) if args.backend == "postgresql"
                 else embedded(url, log))
        with serve as base:
            server = (f"gunicorn {args.workers} workers" if args.backend == "postgresql"
                      else "embedded serve")
            print(f"{args.backend}, {server}; load average {os.getloadavg()[0]:.2f} on "
                  f"{os.cpu_count()} cores")
            print("| users | requests | count | per s | p50 ms | p95 ms | p99 ms | app p50 ms |")
            print("|---|---|---|---|---|---|---|---|")
            pairs = itertools.product(DAYS_AHEAD, town.riders)
            for users in args.users:
                tally, wall = level(base, town, users, args.seconds, pairs)
                print(report(users, tally, wall), flush=True)
                print(f"(after {users} users: load average {os.getloadavg()[0]:.2f})", flush=True)


if __name__ == "__main__":
    main()
