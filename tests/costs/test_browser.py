"""Cost pages in a real browser: no serious axe violation, a price typed in, receipts printed
on A6 and A4 paper (the PDF's page size comes from the print CSS)."""
# ruff: noqa: F403, F405, F811  (tests/browser's fixtures are imported whole)

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.axe import violations
from tests.browser.conftest import CHROMIUM  # noqa: F401  (skips without Chromium)

A6_PT = (297.6, 419.5)  # 105 × 148 mm
A4_PT = (595.3, 841.9)  # 210 × 297 mm


@pytest.fixture(scope="module")
def cost_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The small town with a completed trip of two riders, served on a free local port."""
    from sqlmodel import Session
    from werkzeug.serving import make_server

    from carshare import create_app, migrate
    from carshare.db import get_engine
    from tests.costs.conftest import book, fuel_price, ride, tomorrow
    from tests.factories import small_town

    url = f"sqlite:///{tmp_path_factory.mktemp('costs-browser') / 'live.db'}"
    migrate.upgrade(url)
    app = create_app("testing", DATABASE_URL=url)
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        town = small_town(session, seats=2, slug="teshio")
        town["offer"].service_date = tomorrow()
        session.add(town["offer"])
        session.commit()
        requests = [book(session, town, 0), book(session, town, 1)]
        for request in requests:
            ride(session, town, request)
        fuel_price(session, town)
        ids = {"offer": town["offer"].id, "driver": town["driver"].id,
               "requests": [r.id for r in requests], "day": tomorrow().isoformat()}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}"} | ids
    server.shutdown()


@pytest.fixture
def staff_page(browser, cost_server: dict[str, Any]) -> Iterator:  # type: ignore[no-untyped-def]
    """A page signed in as the town's staff member, in Japanese."""
    context = browser.new_context(base_url=cost_server["url"], locale="ja-JP",
                                   viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login")
    page.fill("#username", "teshio-staff")
    page.fill("#password", "x" * 12)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    yield page
    context.close()


def page_size(pdf: bytes) -> tuple[float, float]:
    """Return the first page's width and height in points from a PDF's MediaBox."""
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box, "no MediaBox in the PDF"
    return float(box.group(1)), float(box.group(2))


def test_cost_pages_are_accessible(staff_page, cost_server: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    s = cost_server
    trip = f"/costs/trips/{s['offer']}/{s['day']}"
    pages = [f"/costs/?day={s['day']}", "/costs/settings", "/costs/fuel-prices", trip,
             f"/costs/ledger?driver_id={s['driver']}&month={s['day'][:7]}"]
    failures = {}
    for path in pages:
        response = staff_page.goto(path)
        assert response.status < 400, path
        if found := violations(staff_page):
            failures[path] = found
    staff_page.goto(trip)
    staff_page.fill("#amount_yen", "500000")
    staff_page.click("form.grid-form >> text=追加")
    assert staff_page.locator("p.error").count() >= 1
    if found := violations(staff_page):
        failures["trip with an absurd toll"] = found
    assert failures == {}


def test_staff_types_a_fuel_price_and_the_trip_total_follows(staff_page,  # type: ignore[no-untyped-def]
                                                             cost_server: dict[str, Any]) -> None:
    s = cost_server
    staff_page.goto("/costs/fuel-prices")
    staff_page.fill("#valid_from", s["day"])
    staff_page.fill("#yen_per_litre", "２００")
    staff_page.click("#submit")
    assert staff_page.locator("table.records").inner_text().count("¥200.0") == 1
    staff_page.goto(f"/costs/trips/{s['offer']}/{s['day']}")
    assert "¥200.0/L" in staff_page.content()


@pytest.mark.parametrize(("size", "expected"), [("a6", A6_PT), ("a4", A4_PT)])
def test_receipt_prints_on_its_paper_size(staff_page, cost_server: dict[str, Any],  # type: ignore[no-untyped-def]
                                          size: str, expected: tuple[float, float]) -> None:
    staff_page.goto(f"/costs/receipts/{cost_server['requests'][0]}?size={size}")
    assert staff_page.locator(".receipt .part").count() == 1
    assert violations(staff_page) == []
    pdf = staff_page.pdf(prefer_css_page_size=True)
    width, height = page_size(pdf)
    assert abs(width - expected[0]) < 2 and abs(height - expected[1]) < 2
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1  # the receipt fits on one sheet
