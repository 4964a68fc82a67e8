"""A driver on a 390×844 phone posts a planned trip (where to, there by, leaving after, seats,
extra driving), sees it listed with its times, and then sees their own stop on the manifest
between the riders' stops; axe-core (WCAG 2.2 AA) finds no violation on those pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from tests.browser.axe import look as _look
from tests.browser.small_town_server import serve_small_town

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def trip_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Serve the small town (its slug the configured one) on a free port."""
    yield from serve_small_town(tmp_path_factory, "trip")


def _sign_in(page, server: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    from carshare.db import get_engine
    from carshare.models import Notification

    page.goto("/me/login")
    page.fill("#phone", "090-1111-2222")
    page.click("main form [type=submit]")
    page.wait_for_url("**/me/code")
    with server["app"].app_context(), Session(get_engine()) as session:
        code = session.exec(select(Notification).where(Notification.template == "signin_code")
                            .order_by(Notification.id.desc())).first()
        from carshare.services.notify_codes import code_of

        code = code_of(code, server["app"].config["SECRET_KEY"])
    page.fill("#code", code)
    page.click("main form:not(.signout) [type=submit]")
    page.wait_for_url("**/me/")


def _book_rider(server: dict[str, Any], day) -> None:  # type: ignore[no-untyped-def]
    """Book rider 0 to the clinic (there by 09:00) on the driver's new trip."""
    from carshare.db import get_engine
    from carshare.models import Offer, WindowKind, utcnow
    from carshare.services.booking import BookingInput, create_booking
    from carshare.services.quoting import confirm
    from carshare.timeutil import TOKYO

    town = server["town"]
    with server["app"].app_context(), Session(get_engine(), expire_on_commit=False) as session:
        offer = session.exec(select(Offer).where(Offer.service_date == day)).one()
        rider = town["riders"][0]
        data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                            dropoff_place_id=town["clinic"].id, day=day,
                            window_kind=WindowKind.ARRIVE_BY, clock=time(9))
        request = create_booking(session, town["staff"], data, utcnow(), TOKYO).outbound
        confirm(session, town["staff"], request, offer.id, TOKYO)


def test_a_driver_posts_a_planned_trip_on_a_phone(browser, trip_server: dict[str, Any]  # type: ignore[no-untyped-def]
                                                  ) -> None:
    from carshare.timeutil import TOKYO, local_today

    tomorrow = local_today(TOKYO) + timedelta(days=1)
    context = browser.new_context(base_url=trip_server["url"], viewport=PHONE, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, trip_server)
    page.goto("/driver/offers/new")
    _look(page, "driver-offer-form.png")
    page.fill("#service_date", tomorrow.isoformat())
    page.fill("#depart_after", "07:30")
    page.fill("#return_by", "12:00")
    page.select_option("#destination_place_id", str(trip_server["town"]["clinic"].id))
    page.fill("#arrive_by", "09:00")
    page.fill("#leave_after", "10:30")
    page.fill("#seats", "2")
    page.fill("#extra_minutes", "40")
    page.check("#auto_accept")
    page.click("form:not(.signout) [type=submit].primary")
    page.wait_for_url("**/driver/offers")
    listed = page.inner_text("ul.rides")
    assert "07:30–12:00" in listed
    assert "本町診療所（09:00までに到着・10:30以降に出発）" in listed
    _look(page, "driver-offers.png")

    _book_rider(trip_server, tomorrow)
    page.goto(f"/driver/day?day={tomorrow.isoformat()}")
    stops = page.locator("ol.manifest > li").all_inner_texts()
    own = next(i for i, text in enumerate(stops) if "ご自身の用事" in text)
    assert "本町診療所（09:00までに到着・10:30以降に出発）" in stops[own]
    assert "降車" in stops[own - 1]  # the rider is dropped off before the driver's errand
    _look(page, "driver-manifest.png")
    context.close()
