"""SQL statements and server time per request, on the load town of ``bench/load.py``.

    .venv/bin/python bench/queries.py [--backend postgresql|sqlite] [--repeat 20] [--show KIND]

Builds the town of ``bench/load.py`` (10 drivers, 300 residents, 40 riders planned for
tomorrow) on a throw-away database (PostgreSQL schema of ``CARSHARE_TEST_DATABASE_URL`` by
default), then drives the app in process with Flask's test client, signed in as staff (and
as a driver's phone): the dashboard, its day section, the four steps of a booking, the
driver's manifest and a trip button. Each request kind is counted with a SQLAlchemy
``before_cursor_execute`` listener (every statement sent to the database, including the
sign-in check and the audit rows), and timed from the app's own ``Server-Timing`` header
(median and best of ``--repeat`` calls; the booking steps run once per rider and day).
``--show KIND...`` prints those requests' statements, the repeated ones first;
``--profile KIND`` prints where the app's time of that request goes (cProfile, in process).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import OFFER, PASSWORD, Town, build  # noqa: E402
from tests.dbs import empty_database  # noqa: E402

TIMING = re.compile(r"app;dur=([\d.]+)")
WORDS = re.compile(r"\s+")


class Counted:
    """Every statement the app's engine sends, cleared before each request."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        import sqlalchemy as sa

        self.statements: list[str] = []
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        self.statements.append(WORDS.sub(" ", statement).strip())

    def clear(self) -> None:
        """Forget what was counted so far."""
        self.statements.clear()


def sign_in(client, username: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the real form."""
    from tests.conftest import csrf_token

    token = csrf_token(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"username": username, "password": PASSWORD,
                                         "csrf_token": token})
    assert answer.status_code == 302, answer.status_code


def server_ms(response) -> float:  # type: ignore[no-untyped-def]
    """The app's own time for a response (its ``Server-Timing`` header)."""
    found = TIMING.search(response.headers.get("Server-Timing", ""))
    return float(found.group(1)) if found else float("nan")


def requests_of(app, town: Town, start: Callable[[], None]  # type: ignore[no-untyped-def]
                ) -> dict[str, Callable[[], object]]:
    """One callable per request kind; each returns the response (booking steps in turn).

    :param start: called right before the measured request (after any preparation).
    """
    from tests.conftest import csrf_token

    staff = app.test_client()
    sign_in(staff, town.staff[0])
    phone = app.test_client()
    cookie, offer, riders = town.drivers[0]
    phone.set_cookie("carshare_phone", cookie)
    day = town.tomorrow.isoformat()
    pairs = iter([(rider, town.tomorrow + timedelta(days=ahead))
                  for ahead in range(1, 14) for rider in town.riders])
    state: dict[str, object] = {}

    def expect(response, *codes: int):  # type: ignore[no-untyped-def]
        assert response.status_code in codes, (response.status_code, response.request.path)
        return response

    def form():  # type: ignore[no-untyped-def]
        rider, when = next(pairs)
        state.update(rider=rider, when=when)
        return expect(staff.get(f"/book/{rider}"), 200)

    def submit():  # type: ignore[no-untyped-def]
        html = staff.get(f"/book/{state['rider']}").get_data(as_text=True)
        start()
        data = {"csrf_token": csrf_token(html), "pickup_place_id": town.hall,
                "dropoff_place_id": town.clinic, "day": state["when"].isoformat(),  # type: ignore[attr-defined]
                "window_kind": "arrive_by", "clock": "10:00", "party_size": "1",
                "return_mode": "none"}
        answer = expect(staff.post(f"/book/{state['rider']}", data=data), 302)
        state["options"] = answer.headers["Location"]
        return answer

    def options():  # type: ignore[no-untyped-def]
        answer = expect(staff.get(state["options"]), 200)
        state["html"] = answer.get_data(as_text=True)
        return answer

    def confirm():  # type: ignore[no-untyped-def]
        html = str(state["html"])
        found = OFFER.search(html)
        data = {"csrf_token": csrf_token(html)}
        if found:
            data["offer_id"] = found.group(1) or found.group(2)
        path = str(state["options"]).rsplit("/", 1)[0]
        return expect(staff.post(f"{path}/{'confirm' if found else 'wait'}", data=data),
                      302, 409)

    presses = iter([("started", None)] + [(k, r) for r in riders
                                          for k in ("picked_up", "dropped_off")] * 50)

    def press():  # type: ignore[no-untyped-def]
        kind, rider = next(presses)
        return expect(phone.post(f"/driver/trips/{offer}/{day}/press",
                                 data={"kind": kind, "request_id": rider or "",
                                       "client_event_id": uuid.uuid4().hex,
                                       "confirmed": "1"},  # "record it anyway" (a day early)
                                 headers={"X-Carshare-Queue": "1"}), 200)

    return {
        "dashboard": lambda: expect(staff.get("/dashboard"), 200),
        "dashboard/days": lambda: expect(staff.get("/dashboard/days",
                                                   query_string={"day": day}), 200),
        "booking form": form,
        "booking submit": submit,
        "booking options": options,
        "booking confirm": confirm,
        "driver day": lambda: expect(phone.get("/driver/day", query_string={"day": day}), 200),
        "driver press": press,
    }


BOOKING = ("booking form", "booking submit", "booking options", "booking confirm")


def measure(app, town: Town, repeat: int, show: list[str],  # type: ignore[no-untyped-def]
            profile: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Run every request kind ``repeat`` times; print statements and server time."""
    from carshare.db import get_engine

    with app.app_context():
        counted = Counted(get_engine())
    calls = requests_of(app, town, counted.clear)
    counts: dict[str, list[int]] = {k: [] for k in calls}
    times: dict[str, list[float]] = {k: [] for k in calls}
    shown: dict[str, list[str]] = {}
    for n in range(repeat):
        for kind, call in calls.items():
            counted.clear()
            response = call()
            statements = list(counted.statements)
            counts[kind].append(len(statements))
            times[kind].append(server_ms(response))
            if kind in show and n == repeat - 1:
                shown[kind] = statements
    print(f"{app.config['DATABASE_URL'].split(':')[0]}; load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {repeat} calls each")
    print("| request | statements (min–max) | server ms p50 | server ms best |")
    print("|---|---|---|---|")
    for kind in calls:
        low, high = min(counts[kind]), max(counts[kind])
        spread = f"{low}" if low == high else f"{low}–{high}"
        print(f"| {kind} | {spread} | {statistics.median(times[kind]):.1f} | "
              f"{min(times[kind]):.1f} |")
    if profile:
        _profile(calls[profile], repeat)
    for kind, statements in shown.items():
        print(f"\nstatements of the last {kind!r} ({len(statements)}):")
        for text, n in Counter(statements).most_common():
            print(f"{n:4d} × {text[:220]}")


def _profile(call: Callable[[], object], repeat: int) -> None:
    """Print the functions that take the most time over ``repeat`` calls."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    """Build the town, run the requests, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--show", nargs="+", default=[], metavar="KIND",
                        choices=["dashboard", "dashboard/days", *BOOKING, "driver day",
                                 "driver press"])
    parser.add_argument("--profile", metavar="KIND", choices=["dashboard", "dashboard/days",
                                                               "booking form", "driver day"])
    args = parser.parse_args()
    if args.backend == "postgresql" and not os.environ.get("CARSHARE_TEST_DATABASE_URL"):
        sys.exit("set CARSHARE_TEST_DATABASE_URL=postgresql+psycopg://... (or --backend sqlite)")
    from carshare import create_app

    with empty_database(args.backend, Path(tempfile.mkdtemp(prefix="queries-"))) as url:
        town = build(url)
        app = create_app("production", DATABASE_URL=url, SECRET_KEY=uuid.uuid4().hex * 2,
                         SCHEDULER_ENABLED=False, SESSION_COOKIE_SECURE=False,
                         UNSAFE_ALLOWED="SESSION_COOKIE_SECURE,RATELIMIT_STORAGE_URI",
                         LOG_LEVEL="WARNING")
        measure(app, town, args.repeat, args.show, args.profile)
        app.extensions["carshare.engine"].dispose()


if __name__ == "__main__":
    main()
