"""Time a phone booking in the real browser, from opening the call page to the confirmed ride.

    .venv/bin/python bench/booking_flow.py [--scale 1|10] [--runs 5] [--url URL]

Without ``--url`` it serves the app itself exactly as ``make run`` does (migrated SQLite, the
demo town, grown ``--scale``-fold) on a free port. It drives Debian's Chromium with Playwright,
counts the keystrokes and clicks of the scripted staff entry, and reads each response's
``Server-Timing`` header for the server time per step.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CALLER = "０１６３２－２－１０３７"  # 鈴木 清's landline, typed in full-width digits
RETURN_AT = "13:00"  # the way back: pick up after this (the hospital visit is over)


def next_tuesday() -> date:
    """Return the next Tuesday after today: the demo's busiest Teshio→Wakkanai day."""
    day = date.today() + timedelta(days=1)
    while day.weekday() != 1:
        day += timedelta(days=1)
    return day


def serve(scale: int) -> str:
    """Serve the demo town grown ``scale``-fold, with next Tuesday planned; return the URL."""
    from sqlmodel import Session
    from werkzeug.serving import make_server

    from bench.town_scale import scale_town
    from carshare import create_app, migrate
    from carshare.db import get_engine
    from carshare.models import utcnow
    from carshare.services.demo import seed_demo
    from carshare.timeutil import TOKYO

    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    migrate.upgrade(url)
    app = create_app("development", DATABASE_URL=url, SCHEDULER_ENABLED=False,
                     LOG_LEVEL="WARNING")
    with app.app_context(), Session(get_engine()) as session:
        seed_demo(session, utcnow(), TOKYO)
        sizes = scale_town(session, scale) if scale > 1 else {}
        _plan(session, next_tuesday())
    print(f"town size: {sizes or 'demo'}")
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def _plan(session, day: date) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from carshare.models import Town
    from carshare.services.planning import plan_day
    from carshare.timeutil import TOKYO

    town = session.exec(select(Town)).one()
    result = plan_day(session, town.id, day, TOKYO, time_limit_s=10)
    print(f"{day} planned before the calls: {result.served} rides, "
          f"{len(result.unserved)} waiting")


class Recorder:
    """Collect the server time of every document and htmx response, by step."""

    def __init__(self) -> None:
        self.step, self.times = "", {}

    def on_response(self, response) -> None:  # type: ignore[no-untyped-def]
        timing = response.headers.get("server-timing", "")
        if "dur=" in timing and "/static/" not in response.url:
            ms = float(timing.split("dur=")[1].split(";")[0])
            self.times.setdefault(self.step, []).append(ms)


def book_once(page, rec: Recorder, day: date, clock: str):  # type: ignore[no-untyped-def]
    """Run the scripted call; return (seconds, keystrokes, clicks, confirmed or waiting)."""
    keys = clicks = 0
    started = time.perf_counter()
    rec.step = "1 open call page"
    page.goto("/call")
    rec.step = "2 search caller"
    page.type("#q", CALLER)
    keys += len(CALLER)
    page.wait_for_selector("a.match")
    rec.step = "3 open booking form"
    page.click("a.match")
    clicks += 1
    page.wait_for_selector("#dropoff_place_id")
    rec.step = "4 submit booking"
    page.select_option("#dropoff_place_id", label="市立稚内病院（稚内）")
    clicks += 2  # open the list, pick the hospital
    page.fill("#day", day.isoformat())
    keys += 8  # the date typed as digits
    page.fill("#clock", clock)
    keys += 4
    page.check("input[name=return_mode][value=after]")
    clicks += 1
    page.fill("#return_clock", RETURN_AT)
    keys += 4
    page.keyboard.press("Enter")
    keys += 1
    page.wait_for_selector("ol.options, p.error")
    rec.step = "5 confirm option"
    confirmed = _take_first_option(page)
    clicks += 1
    rec.step = "6 confirm return"
    page.wait_for_selector("ol.options, p.error, .booking-card")
    if page.locator(".booking-card").count() == 0:  # the return's options come next
        _take_first_option(page)
        clicks += 1
        page.wait_for_selector(".booking-card")
    both = page.locator(".card-status.booked").count() == 1  # 「行き・帰りとも予約が確定」
    return time.perf_counter() - started, keys, clicks, confirmed, both


def _take_first_option(page) -> bool:  # type: ignore[no-untyped-def]
    """Confirm the first option, or put the leg on the waiting list; tell which."""
    found = page.locator("ol.options form[action$='/confirm']").count() > 0
    page.click("ol.options li:first-child form[action$='/confirm'] button" if found
               else "text=キャンセル待ちにする")
    return found


def main() -> None:
    """Run the benchmark and print its figures."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    base = args.url or serve(args.scale)
    rec, totals, outcomes, round_trips = Recorder(), [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=base, locale="ja-JP")
        page.on("response", rec.on_response)
        page.goto("/login")
        page.fill("#username", "madoguchi")
        page.fill("#password", "teshio-demo-2026")
        page.keyboard.press("Enter")
        page.wait_for_url("**/dashboard")
        for run in range(args.runs):
            clock = f"{10 + (run * 20) // 60:02d}:{(run * 20) % 60:02d}"
            seconds, keys, clicks, confirmed, both = book_once(page, rec, next_tuesday(), clock)
            totals.append(seconds)
            outcomes.append(confirmed)
            round_trips.append(both)
        browser.close()
    report(args, totals, keys, clicks, rec, outcomes, round_trips)


def report(args, totals, keys, clicks, rec: Recorder, outcomes,  # type: ignore[no-untyped-def]
           round_trips) -> None:
    """Print the figures as a Markdown table."""
    print(f"\nscale {args.scale}x, {args.runs} calls on {next_tuesday()}: "
          f"{sum(outcomes)} confirmed, {len(outcomes) - sum(outcomes)} put on the waiting list; "
          f"{sum(round_trips)} booked with both legs confirmed (there by the time asked, "
          f"back after {RETURN_AT})")
    print(f"booking page to confirmed ride: median {statistics.median(totals):.2f} s, "
          f"max {max(totals):.2f} s (scripted entry, no human think time)")
    print(f"input per booking: {keys} keystrokes, {clicks} clicks\n")
    print("| step | server ms (median) | server ms (max) | responses |")
    print("|---|---|---|---|")
    for step in sorted(s for s in rec.times if s):
        values = rec.times[step]
        print(f"| {step} | {statistics.median(values):.0f} | {max(values):.0f} | {len(values)} |")


if __name__ == "__main__":
    main()
