"""A rider on a 375×667 phone signs in with a code, books a ride and cancels one; axe is clean."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session, select

from tests.browser.axe import violations
from tests.browser.test_booking_flow import next_weekday

PHONE = {"width": 375, "height": 667}


def _latest_code(app) -> str:  # type: ignore[no-untyped-def]
    from carshare.db import get_engine
    from carshare.models import Notification

    with app.app_context(), Session(get_engine()) as session:
        row = session.exec(select(Notification).where(Notification.template == "signin_code")
                           .order_by(Notification.id.desc())).first()
        from carshare.services.notify_codes import code_of

        return code_of(row, app.config["SECRET_KEY"])


@pytest.fixture
def rider_page(browser, live_server: dict) -> Iterator:  # type: ignore[no-untyped-def]
    """高橋 幸子 (a mobile phone) signed in on a phone-sized page."""
    context = browser.new_context(base_url=live_server["url"], viewport=PHONE, locale="ja-JP",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto("/me/login")
    assert violations(page) == []
    page.fill("#phone", "090-2026-4058")
    page.click("input[type=submit]")
    page.wait_for_url("**/me/code")
    assert violations(page) == []
    page.fill("#code", _latest_code(live_server["app"]))
    page.click("input[type=submit]")
    page.wait_for_url("**/me/")
    yield page
    context.close()


def test_rider_books_and_cancels_on_a_phone(rider_page) -> None:  # type: ignore[no-untyped-def]
    page = rider_page
    page.click("text=わたしの乗車予定")
    page.click("text=乗車をお願いする")
    page.select_option("#dropoff_place_id", label="市立稚内病院")
    page.fill("#day", (next_weekday(1)).isoformat())
    page.fill("#clock", "10:30")
    page.click("input[type=submit].primary")
    page.wait_for_selector("h1")
    assert violations(page) == []
    page.locator("button.primary").first.click()
    page.wait_for_url("**/me/rides")
    assert violations(page) == []
    assert page.locator(".booking-card").count() >= 1  # the card the office reads out
    links_before = page.locator("a.cancel-link").count()
    page.locator("a.cancel-link").first.click()  # a cancel asks once more
    page.wait_for_url("**/cancel")
    assert "取り消しますか" in page.inner_text("h1")
    assert violations(page) == []
    page.locator("button.danger").first.click()
    page.wait_for_selector("text=乗車を取り消しました")
    assert page.locator("a.cancel-link").count() < links_before
