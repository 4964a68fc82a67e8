"""The call and the watch in the browser (issue 18): a booking with its return read from the
card, a quote that leaves no trace, a rider without a driver on the dashboard and call list,
a Sunday-night call booked on another day, the safety nets; axe-core clean throughout."""

from __future__ import annotations

from datetime import timedelta

from carshare.timeutil import TOKYO, local_today
from tests.browser.axe import violations
from tests.browser.test_booking_flow import find_caller, next_weekday

CALLER = "０１６３２－２－１０３７"  # 鈴木 清


def _open_form(page, day, clock: str, back: str | None) -> None:  # type: ignore[no-untyped-def]
    find_caller(page, CALLER)
    page.click("a.match")
    page.select_option("#dropoff_place_id", label="市立稚内病院（稚内）")
    page.fill("#day", day.isoformat())
    page.fill("#clock", clock)
    if back:
        page.check("input[name=return_mode][value=after]")
        page.fill("#return_clock", back)
    else:
        page.check("input[name=return_mode][value=none]")
    page.click("input[type=submit].primary")
    page.wait_for_selector("ol.options, p.error")


def _take_first(page) -> None:  # type: ignore[no-untyped-def]
    if page.locator("ol.options form[action$='/confirm']").count():
        page.click("ol.options li:first-child form[action$='/confirm'] button")
    else:
        page.click("text=キャンセル待ちにする")


def test_a_booking_with_its_return_is_read_from_the_card(page) -> None:  # type: ignore[no-untyped-def]
    day = next_weekday(1) + timedelta(days=21)
    _open_form(page, day, "10:00", "13:00")
    assert page.locator("ol.options form[action$='/confirm']").count()
    _take_first(page)
    page.wait_for_selector("ol.options, .booking-card")
    assert page.locator(".booking-card").count() == 0  # the way back comes next, same call
    assert "（帰り）" in page.inner_text("p.summary")
    _take_first(page)
    page.wait_for_selector(".booking-card")
    card = page.inner_text(".booking-card")
    assert "行き" in card and "帰り" in card and "曜日" in card
    assert "ごろ" in card and "様の車" in card
    status = page.inner_text(".card-status")
    assert status in ("行き・帰りとも予約が確定しています。",
                      "まだ確定していない区間があります。未確定であることをお伝えください。")
    if "未確定" in card:  # a driver must still accept: never read out as booked
        assert "未確定" in status
    assert violations(page) == []
    page.click("text=English")
    english = page.inner_text(".booking-card")
    assert "Outbound" in english and "Return" in english and "about" in english
    assert violations(page) == []
    page.click("text=日本語")


def test_a_quote_nobody_takes_leaves_no_trace(page) -> None:  # type: ignore[no-untyped-def]
    day = next_weekday(6) + timedelta(days=28)  # a Sunday nobody drives: nothing else there
    _open_form(page, day, "10:00", None)
    page.click("text=予約フォームに戻る")
    page.wait_for_selector("#dropoff_place_id")
    assert page.input_value("#day") == day.isoformat()  # what was typed is kept
    assert page.input_value("#clock") == "10:00"
    page.goto(f"/dashboard?day={day.isoformat()}")
    assert "鈴木" not in page.inner_text("#days")
    assert "この日の乗車依頼はありません。" in page.inner_text("#days")


def test_a_sunday_night_call_is_booked_on_another_day(page) -> None:  # type: ignore[no-untyped-def]
    sunday = next_weekday(6) + timedelta(days=7)
    _open_form(page, sunday, "21:00", None)
    assert page.locator("ol.options form[action$='/confirm']").count() == 0
    alternatives = page.locator("form[action$='/alternative']")
    assert alternatives.count() >= 1
    first = page.inner_text("ol.options li:first-child")
    assert f"{sunday.month}月{sunday.day}日" not in first and "日）" not in first  # not Sunday
    alternatives.first.locator("button").click()
    page.wait_for_selector(".booking-card")
    card = page.inner_text(".booking-card")
    assert "行き" in card and "日曜日" not in card


def test_a_rider_without_a_driver_is_seen(page) -> None:  # type: ignore[no-untyped-def]
    tomorrow = local_today(TOKYO) + timedelta(days=1)
    _open_form(page, tomorrow, "21:30", None)  # nothing drives then: the waiting list
    page.click("text=キャンセル待ちにする")
    page.wait_for_selector(".booking-card")
    assert "キャンセル待ち" in page.inner_text(".booking-card")
    page.goto(f"/dashboard?day={tomorrow.isoformat()}")
    risks = page.inner_text("ul.risks")
    assert "鈴木様" in risks and "ドライバー未定" in risks
    colour = page.eval_on_selector("ul.risks", "e => getComputedStyle(e).color")
    assert colour == "rgb(170, 51, 51)"  # red, not the yellow of a new request
    page.goto("/call-list")
    calls = page.inner_text("main")
    assert "鈴木様" in calls and "ドライバー未定" in calls
    assert violations(page) == []


def test_cancelling_the_way_there_asks_about_the_way_back(page) -> None:  # type: ignore[no-untyped-def]
    day = next_weekday(4) + timedelta(days=21)
    _open_form(page, day, "10:00", "13:00")
    _take_first(page)
    page.wait_for_selector("ol.options, .booking-card")
    if page.locator(".booking-card").count() == 0:
        _take_first(page)
        page.wait_for_selector(".booking-card")
    details = page.locator("details.cancel-leg").first
    details.locator("summary").click()
    assert "帰りも取り消す" in details.inner_text() and "帰りは残す" in details.inner_text()
    details.locator("select[name=outcome]").select_option("rider_cancel")
    details.locator("input[name=reason]").fill("体調不良")
    details.locator("button.danger").click()  # no answer about the return: not sent
    assert details.locator("input[name=return_too]").first.evaluate(
        "e => !e.form.checkValidity()")
    details.locator("input[name=return_too][value=yes]").check()
    details.locator("button.danger").click()
    page.wait_for_selector("text=乗車を取り消しました。")
    assert page.inner_text(".card-status") != "行き・帰りとも予約が確定しています。"
    assert page.locator(".leg-card.state-cancelled").count() == 2


def test_the_weather_preview_and_a_riders_name_with_markup_are_safe(page) -> None:  # type: ignore[no-untyped-def]
    day = next_weekday(1) + timedelta(days=21)
    page.goto("/weather")
    page.fill("#day", day.isoformat())
    page.fill("#reason", "<b>吹雪</b> & 通行止め")
    page.click("input[type=submit].primary")
    page.wait_for_selector("#preview-h")
    assert page.locator("main b").count() == 0  # what staff typed is text, never markup
    assert violations(page) == []
    page.click("text=取り消さずに戻る")
    page.wait_for_selector("#day")


def _to_card(page) -> None:  # type: ignore[no-untyped-def]
    """Take the first option of each leg until the booking card shows."""
    _take_first(page)
    page.wait_for_selector("ol.options, .booking-card")
    if page.locator(".booking-card").count() == 0:
        _take_first(page)
        page.wait_for_selector(".booking-card")


def test_a_booked_ride_is_changed_from_the_match(page) -> None:  # type: ignore[no-untyped-def]
    day = next_weekday(2) + timedelta(days=28)
    _open_form(page, day, "10:00", "13:00")
    _to_card(page)
    find_caller(page, CALLER)
    page.click("a.match")
    booked = page.locator("ul.upcoming-rides li", has_text=f"{day.month}月{day.day}日").first
    assert "変更" in booked.inner_text() and "キャンセル" in booked.inner_text()
    assert violations(page) == []
    booked.locator("a.button-link", has_text="変更").click()
    page.wait_for_selector("p.changing")
    assert "予約の変更" in page.inner_text("h1")
    assert page.input_value("#day") == day.isoformat() and page.input_value("#clock") == "10:00"
    assert page.input_value("#return_clock") == "13:00"  # the whole ride, return included
    assert violations(page) == []
    page.click("text=English")
    assert "Change the ride of" in page.inner_text("h1")
    assert "stays booked" in page.inner_text("p.changing")
    page.click("text=日本語")
    page.fill("#clock", "10:30")
    page.click("input[type=submit].primary")
    page.wait_for_selector("ol.options, p.error")
    assert "今の予約はそのまま残り" in page.inner_text("p.changing")
    _take_first(page)
    page.wait_for_selector("ol.options, .booking-card")
    assert "前の予約は取り消し、この乗車に変更しました。" in page.content()
    if page.locator(".booking-card").count() == 0:  # the way back, in the same call
        _take_first(page)
        page.wait_for_selector(".booking-card")
    find_caller(page, CALLER)
    page.click("a.match")
    rides = page.locator("ul.upcoming-rides li", has_text=f"{day.month}月{day.day}日")
    assert rides.count() == 2  # the new way there and back; the old ride is gone
