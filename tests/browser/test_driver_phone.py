"""A driver on a 375×667 phone: posts a planned trip, accepts a rider, opens the manifest,
records pick-up and drop-off; axe (WCAG 2.2 AA) finds no serious or critical violation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from tests.browser.axe import violations
from tests.browser.small_town_server import serve_small_town

PHONE = {"width": 375, "height": 667}


@pytest.fixture(scope="module")
def town_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Serve the app with the small town (its slug the configured one) on a free port."""
    yield from serve_small_town(tmp_path_factory, "driver")


def _db(server: dict[str, Any]):  # type: ignore[no-untyped-def]
    from carshare.db import get_engine

    context = server["app"].app_context()
    context.push()
    return context, Session(get_engine(), expire_on_commit=False)


def _sign_in(page, server: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    from carshare.models import Notification

    page.goto("/me/login")
    page.fill("#phone", "090-1111-2222")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url("**/me/code")
    context, session = _db(server)
    with session:
        code = session.exec(select(Notification).where(Notification.template == "signin_code")
                            .order_by(Notification.id.desc())).first()
        from carshare.services.notify_codes import code_of

        code = code_of(code, server["app"].config["SECRET_KEY"])
    context.pop()
    page.fill("#code", code)
    page.click("main form:not(.signout) [type=submit]")
    page.wait_for_url("**/me/")


def _book_and_ask(server: dict[str, Any], day) -> None:  # type: ignore[no-untyped-def]
    """Book a rider on the driver's offer: confirming asks the driver at once."""
    from carshare.models import Assignment, utcnow
    from carshare.services.driver_assignments import AskRules, ask_new
    from carshare.timeutil import TOKYO

    _book_rider(server, day, 0)
    context, session = _db(server)
    with session:
        assert len(session.exec(select(Assignment)).all()) == 1
        assert ask_new(session, utcnow(), AskRules(2, time(18), TOKYO)) == []  # asked once
    context.pop()


def _axe_clean(page) -> None:  # type: ignore[no-untyped-def]
    assert violations(page) == [], page.url


def test_driver_day_on_a_phone(browser, town_server: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    from carshare.timeutil import TOKYO, local_today

    tomorrow = local_today(TOKYO) + timedelta(days=1)
    context = browser.new_context(base_url=town_server["url"], viewport=PHONE, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, town_server)
    page.click("a[href='/driver/day']")
    page.click("a[href='/driver/offers']")
    page.click("a[href='/driver/offers/new']")
    _axe_clean(page)
    page.fill("#service_date", tomorrow.isoformat())
    page.fill("#depart_after", "08:00")
    page.fill("#return_by", "12:00")
    page.select_option("#destination_place_id", str(town_server["town"]["clinic"].id))
    page.fill("#arrive_by", "10:00")
    page.fill("#leave_after", "11:00")
    page.fill("#seats", "2")
    page.fill("#extra_minutes", "30")
    page.click("form:not(.signout) [type=submit].primary")
    page.wait_for_url("**/driver/offers")
    assert "運転予定を保存しました" in page.content()
    _axe_clean(page)

    _book_and_ask(town_server, tomorrow)
    page.goto("/driver/day")
    _axe_clean(page)
    page.click("text=引き受ける")
    page.wait_for_url("**/driver/day")
    assert "利用者を予定に入れました" in page.content()

    page.goto(f"/driver/day?day={tomorrow.isoformat()}")
    assert page.locator("a[href^='tel:']").count() >= 2 and "利用0様に電話" in page.content()
    _axe_clean(page)
    asked: list[str] = []  # tomorrow's pick-up pressed today: the phone asks "is this right?"
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("button:has-text('乗車した')")
    page.wait_for_selector("text=乗車", state="attached")
    page.wait_for_selector("p.done")
    page.click("button:has-text('降車した')")
    wait_until(page, "document.querySelectorAll('p.done').length >= 2")
    assert page.evaluate("JSON.parse(localStorage.getItem('carshare.driver.queue') || '[]')"
                         ".length") == 0
    assert asked and "記録しますか" in asked[0]
    assert page.locator("button:has-text('取り消す（10分以内）')").count() >= 1
    _axe_clean(page)
    page.goto("/driver/calendar")
    _axe_clean(page)
    context.close()
    _check_events(town_server, tomorrow)


def _check_events(server: dict[str, Any], day) -> None:  # type: ignore[no-untyped-def]
    from carshare.models import TripEvent

    context, session = _db(server)
    with session:
        kinds = [e.kind.value for e in session.exec(select(TripEvent).where(
            TripEvent.service_date == day).order_by(TripEvent.id))]
    context.pop()
    assert kinds == ["picked_up", "dropped_off"]


def test_presses_offline_are_kept_and_sent_later(browser, town_server: dict[str, Any]  # type: ignore[no-untyped-def]
                                                 ) -> None:
    from carshare.timeutil import TOKYO, local_today

    tomorrow = local_today(TOKYO) + timedelta(days=1)
    _book_rider(town_server, tomorrow, 1)
    context = browser.new_context(base_url=town_server["url"], viewport=PHONE, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # far from the planned time: yes
    _sign_in(page, town_server)
    page.goto(f"/driver/day?day={tomorrow.isoformat()}")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    done = page.locator("p.done").count()
    context.set_offline(True)
    page.locator("button:has-text('乗車した')").first.click()
    wait_until(page, "JSON.parse(localStorage.getItem('carshare.driver.queue')).length == 1")
    page.reload()  # from the service worker's cache
    assert "乗車した" in page.content()
    assert "通信" in page.inner_text("#queue-status")  # "1 press waits for a connection"
    context.set_offline(False)  # the browser fires "online": the queue is sent
    wait_until(page, f"document.querySelectorAll('p.done').length > {done}")
    wait_until(page, "localStorage.getItem('carshare.driver.queue') == '[]'")
    context.close()


def _book_rider(server: dict[str, Any], day, n: int) -> None:  # type: ignore[no-untyped-def]
    from carshare.models import Offer, WindowKind, utcnow
    from carshare.services.booking import BookingInput, create_booking
    from carshare.services.quoting import confirm
    from carshare.timeutil import TOKYO

    town = server["town"]
    context, session = _db(server)
    with session:
        offer = session.exec(select(Offer).where(Offer.service_date == day)).one()
        rider = town["riders"][n]
        data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                            dropoff_place_id=town["clinic"].id, day=day,
                            window_kind=WindowKind.ARRIVE_BY, clock=time(10))
        request = create_booking(session, town["staff"], data, utcnow(), TOKYO).outbound
        confirm(session, town["staff"], request, offer.id, TOKYO)
    context.pop()


def wait_until(page, expression: str, timeout_s: float = 15) -> None:  # type: ignore[no-untyped-def]
    """Poll a page expression; ``wait_for_function`` would need eval, which the CSP forbids.

    The page may reload itself while we poll (the driver's queue reloads once it is sent);
    an evaluation cut off by that navigation counts as "not yet" and is asked again.
    """
    import time

    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if page.evaluate(expression):
                return
        except Error as error:
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"never true: {expression}")
        page.wait_for_timeout(100)
