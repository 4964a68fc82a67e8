"""The read-aloud card: both legs, each with one plain state; a leg still open is never booked."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlmodel import Session

from carshare.models import Offer, RequestStatus, RideRequest, WindowKind, utcnow
from carshare.services.booking import BookingInput, create_booking
from carshare.services.quoting import confirm
from carshare.services.readback import LegState, booking_card, overall
from carshare.timeutil import TOKYO
from tests.conftest import login
from tests.factories import FUTURE, small_town


def _booking(session: Session, t: dict[str, Any], return_mode: str = "after",
             auto: bool = True) -> RideRequest:
    offer: Offer = t["offer"]
    offer.auto_accept = auto
    session.add(offer)
    rider = t["riders"][0]
    data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=t["clinic"].id, day=FUTURE,
                        window_kind=WindowKind.ARRIVE_BY, clock=time(10),
                        return_mode=return_mode,
                        return_clock=time(11, 0) if return_mode == "after" else None)
    return create_booking(session, t["staff"], data, utcnow(), TOKYO, quote=True).outbound


def test_a_booked_outbound_and_an_open_return_are_read_as_such(session: Session) -> None:
    t = small_town(session, seats=2)
    request = _booking(session, t, return_mode="open")
    confirm(session, t["staff"], request, t["offer"].id, TOKYO)
    cards = booking_card(session, request, TOKYO)
    assert [(c.is_return, c.state) for c in cards] == [(False, LegState.BOOKED),
                                                       (True, LegState.RIDER_WILL_CALL)]
    there = cards[0]
    assert there.pickup_at.minute % 5 == 0 and there.arrival_at.minute % 5 == 0
    assert there.pickup_from <= there.pickup_at <= there.pickup_to
    assert there.arrival_at <= request.window_end.astimezone(TOKYO) + timedelta(minutes=4)
    assert there.driver.family_name == "運転"
    assert overall(cards) == "return_open"


def test_a_return_without_a_driver_is_never_booked(session: Session) -> None:
    t = small_town(session, seats=2)
    request = _booking(session, t)
    confirm(session, t["staff"], request, t["offer"].id, TOKYO)
    cards = booking_card(session, request, TOKYO)
    assert [c.state for c in cards] == [LegState.BOOKED, LegState.NO_DRIVER]
    assert cards[1].driver is None and cards[1].pickup_at is None
    assert overall(cards) == "open"
    assert booking_card(session, cards[1].request, TOKYO)[0].request.id == request.id


def test_awaiting_the_driver_is_not_booked(session: Session) -> None:
    t = small_town(session, seats=2)
    request = _booking(session, t, return_mode="none", auto=False)
    confirm(session, t["staff"], request, t["offer"].id, TOKYO)
    cards = booking_card(session, request, TOKYO)
    assert [c.state for c in cards] == [LegState.AWAITING_DRIVER]
    assert overall(cards) == "open"


def _client(app: Flask, t: dict[str, Any]) -> FlaskClient:
    client = app.test_client()
    assert login(client, t["staff"].username, "x" * 12).status_code == 302
    g.pop("csrf_token", None)  # the test's app context outlives the sign-in's token
    return client


@pytest.mark.parametrize("lang,expected", [
    ("ja", ["行き", "帰り", "予約確定", "ごろ", "運転様", "未確定：ドライバーが決まっていません",
            "まだ確定していない区間があります"]),
    ("en", ["Outbound", "Return", "Booked", "about", "Not booked yet: no driver yet",
            "Not everything is booked yet"])])
def test_the_summary_is_the_card_in_both_languages(app: Flask, session: Session, lang: str,
                                                   expected: list[str]) -> None:
    t = small_town(session, seats=2)
    request = _booking(session, t)
    confirm(session, t["staff"], request, t["offer"].id, TOKYO)
    client = _client(app, t)
    if lang == "en":
        client.get("/lang/en")
        refresh()  # this test's app context outlives the requests: forget its cached locale
    html = client.get(f"/requests/{request.id}").get_data(as_text=True)
    for words in expected:
        assert words in html, words
    assert "曜日" in html or lang == "en"
    slip = client.get(f"/requests/{request.id}/slip").get_data(as_text=True)
    assert expected[0] in slip and expected[1] in slip  # the slip covers both legs


def test_a_quote_is_read_as_not_booked(session: Session) -> None:
    t = small_town(session, seats=2)
    request = _booking(session, t)
    cards = booking_card(session, request, TOKYO)
    assert [c.state for c in cards] == [LegState.NOT_BOOKED, LegState.NOT_BOOKED]
    assert all(c.request.status == RequestStatus.QUOTED for c in cards)
