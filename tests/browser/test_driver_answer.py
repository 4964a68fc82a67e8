"""A driver answers a question sent at 08:00 (issue 18): the question asked at night reaches
the driver when messages may be sent, and the deadline leaves hours from then, not minutes.
The card says who, from where, to where and by when in words; accepting books the rider."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from tests.browser.axe import violations
from tests.browser.small_town_server import serve_small_town
from tests.browser.test_driver_phone import PHONE, _sign_in


@pytest.fixture(scope="module")
def town_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Serve the small town on a free port."""
    yield from serve_small_town(tmp_path_factory, "answer")


def _asked_at_night(server: dict[str, Any]) -> tuple[int, datetime]:
    """Book a rider on the driver's trip; the question is asked at 02:30 two days before.

    Return the ride's id and the deadline the driver was given.
    """
    from carshare.db import get_engine
    from carshare.models import Assignment, RideRequest, WindowKind, utcnow
    from carshare.services.booking import BookingInput, create_booking
    from carshare.services.driver_assignments import AskRules, ask
    from carshare.services.quoting import confirm
    from carshare.timeutil import TOKYO

    town = server["town"]
    with server["app"].app_context(), Session(get_engine(), expire_on_commit=False) as session:
        rider, day = town["riders"][0], town["offer"].service_date
        data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                            dropoff_place_id=town["clinic"].id, day=day,
                            window_kind=WindowKind.ARRIVE_BY, clock=time(10))
        ride = create_booking(session, town["staff"], data, utcnow(), TOKYO).outbound
        confirm(session, town["staff"], ride, town["offer"].id, TOKYO)
        for row in session.exec(select(Assignment)):  # ask again, as if at night
            session.delete(row)
        session.flush()
        night = datetime.combine(day - timedelta(days=2), time(2, 30), tzinfo=TOKYO)
        rules = AskRules(2, time(18), TOKYO, (time(8), time(20)))
        row = ask(session, session.get(RideRequest, ride.id), night, rules)
        session.commit()
        return ride.id, row.deadline.astimezone(TOKYO)


def test_a_question_sent_at_eight_is_answered_on_the_phone(  # type: ignore[no-untyped-def]
        browser, town_server: dict[str, Any]) -> None:
    from carshare.db import get_engine
    from carshare.models import RequestStatus, RideRequest

    ride_id, deadline = _asked_at_night(town_server)
    assert (deadline.hour, deadline.minute) == (10, 0)  # 08:00 + 2 hours, not 02:30 + 2
    context = browser.new_context(base_url=town_server["url"], viewport=PHONE, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, town_server)
    page.goto("/driver/day")
    card = page.inner_text("li.ride")
    assert "利用0様・1名" in card and "本町地区から本町診療所まで" in card  # settlement only
    assert "午前10時" in card and "曜日" in card and "/" not in card  # said, not a fraction
    assert violations(page) == []
    page.click("text=引き受ける")
    page.wait_for_url("**/driver/day")
    assert page.locator("li.ride form[action*='/accept']").count() == 0
    with town_server["app"].app_context(), Session(get_engine()) as session:
        assert session.get(RideRequest, ride_id).status == RequestStatus.CONFIRMED
    page.goto("/lang/en?next=/driver/day")
    assert "Can you take these riders?" not in page.content()  # nothing left to answer
    context.close()
