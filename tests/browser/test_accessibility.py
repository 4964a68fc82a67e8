"""axe-core (WCAG 2.0/2.1/2.2 A and AA) finds no serious or critical violation on any page."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from tests.browser.axe import violations
from tests.browser.test_booking_flow import BOOKED, book_wakkanai, next_weekday

FIXED_PAGES = ["/dashboard", "/call", "/call?q=すずき", "/residents/new", "/call-list",
               "/weather"]


def nav_pages(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Every page linked from the main navigation (records, messages … as they are added)."""
    hrefs = page.eval_on_selector_all("nav.main-nav a",
                                      "els => els.map(e => e.getAttribute('href'))")
    return [h for h in hrefs if h and h.startswith("/")]


def booked_pages(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Book a ride to reach the booking form, options, summary, trip, manifest and slip."""
    day = next_weekday(1) + timedelta(days=14)
    book_wakkanai(page, day)
    options_url = urlsplit(page.url).path
    page.click("ol.options li:first-child button")
    page.wait_for_selector(BOOKED)
    request_id = re.search(r"/requests/(\d+)", page.url).group(1)
    page.goto(f"/dashboard?day={day.isoformat()}")
    trip = page.eval_on_selector("a[href^='/trips/']", "e => e.getAttribute('href')")
    return [options_url, f"/requests/{request_id}", f"/requests/{request_id}/slip", trip,
            f"{trip}/manifest", "/book/2"]


def test_login_page_is_accessible(browser, live_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(base_url=live_url)
    page.goto("/login")
    assert violations(page) == []
    page.close()


def test_every_staff_page_is_accessible(page) -> None:  # type: ignore[no-untyped-def]
    pages = sorted(set(FIXED_PAGES + nav_pages(page) + booked_pages(page)))
    failures = {}
    for path in pages:
        response = page.goto(path)
        assert response.status < 400, path
        found = violations(page)
        if found:
            failures[path] = found
    assert failures == {}


@pytest.mark.parametrize("path", ["/dashboard", "/call"])
def test_pages_in_english_are_accessible(page, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/lang/en?next={path}")
    assert violations(page) == []


def test_replanning_progress_page_is_accessible(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/dashboard")
    page.click("text=明日の配車を今すぐ見直す")
    page.wait_for_url("**/dashboard/replan/*")
    assert violations(page) == []
    page.wait_for_selector("text=完了", timeout=60_000)
    assert violations(page) == []
