"""A call, end to end in the browser: find, book, confirm, see, reassign, cancel, print."""

from __future__ import annotations

from datetime import date, timedelta

from carshare.timeutil import TOKYO, local_today

#: The flash after confirming when the driver must accept first; and either flash.
WAITING = "ドライバーの承諾待ちです"
BOOKED = f"text=/乗車が確定しました。|{WAITING}/"


def next_weekday(weekday: int) -> date:
    """Return the next date (after today) falling on ``weekday`` (0 = Monday)."""
    day = local_today(TOKYO) + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def find_caller(page, query: str) -> None:  # type: ignore[no-untyped-def]
    """Open the call page from the menu and search for ``query`` until the matches show.

    The search runs as the page's scripts see the typing; typing that came before they were
    ready is asked for again with Enter (the same search, as a plain form).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.click("nav.main-nav >> text=電話受付")
    page.wait_for_load_state("load")
    page.fill("#q", query)
    try:
        page.wait_for_selector("a.match", timeout=5_000)
    except PlaywrightTimeout:
        page.press("#q", "Enter")
        page.wait_for_selector("a.match")


def book_wakkanai(page, day: date) -> None:  # type: ignore[no-untyped-def]
    """From the call page: find 鈴木 清 by his landline in full-width digits and book."""
    find_caller(page, "０１６３２－２－１０３７")
    assert "鈴木 清" in page.inner_text("#matches")
    page.click("a.match")
    page.select_option("#dropoff_place_id", label="市立稚内病院（稚内）")
    page.fill("#day", day.isoformat())
    page.fill("#clock", "10:00")
    page.check("input[name=return_mode][value=open]")
    page.click("input[type=submit].primary")
    page.wait_for_selector("ol.options, p.error")
    assert page.locator("ol.options").count(), page.inner_text("main")


def test_book_confirm_see_reassign_cancel(page) -> None:  # type: ignore[no-untyped-def]
    tuesday = next_weekday(1)
    book_wakkanai(page, tuesday)
    options = page.inner_text("ol.options")
    assert "お迎え" in options and "様の車" in options
    page.click("ol.options li:first-child button")
    page.wait_for_selector(f"text={WAITING}")  # Tuesday's drivers to Wakkanai are asked first
    summary = page.inner_text(".booking-card")
    assert "未確定：ドライバーの承諾待ちです" in summary  # never read out as booked
    assert "帰りは未予約" in summary and "行き" in summary and "曜日" in summary
    page.goto(f"/dashboard?day={tuesday.isoformat()}")
    assert "鈴木 清" in page.inner_text(".route")
    page.click("text=運行の詳細")
    section = page.locator("section.rider-actions", has_text="鈴木 清")
    section.locator("button", has_text="ドライバーを変更").click()
    page.wait_for_selector("text=別のドライバーに変更しました。")
    page.goto(f"/dashboard?day={tuesday.isoformat()}")
    route = page.locator(".route", has_text="鈴木 清")
    route.locator("text=運行の詳細").click()
    section = page.locator("section.rider-actions", has_text="鈴木 清")
    section.locator("select[name=outcome]").select_option("rider_cancel")
    section.locator("input[name=reason]").fill("体調不良")
    section.locator("button", has_text="乗車を取り消す").click()
    page.wait_for_selector("text=乗車を取り消しました。")
    assert "取消" in page.inner_text(".leg-card")


def test_printed_slip(page) -> None:  # type: ignore[no-untyped-def]
    book_wakkanai(page, next_weekday(4) + timedelta(days=7))
    page.click("ol.options li:first-child button")
    page.wait_for_selector(BOOKED)
    request_id = page.url.rstrip("/").split("/")[-1]
    page.goto(f"/requests/{request_id}/slip")
    page.emulate_media(media="print")
    slip = page.inner_text(".slip")
    assert "乗車のご案内" in slip and "役場" in slip and "行き" in slip and "帰り" in slip
    if "承諾待ち" not in slip:  # the driver has accepted: whose car and where it goes
        assert "旭川" in slip
    else:  # never printed as booked before the driver accepts
        assert "予約確定" not in slip and "確定したらお知らせします" in slip
    font_px = page.eval_on_selector(".slip dd", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert font_px >= 32  # 24pt and more: readable without glasses
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"


def test_weather_day(page) -> None:  # type: ignore[no-untyped-def]
    day = next_weekday(3)
    page.click("nav.main-nav summary")  # rarely used pages are under その他
    page.click("nav.main-nav >> text=天候による運休")
    page.fill("#day", day.isoformat())
    page.fill("#reason", "吹雪で国道40号が通行止め")
    page.click("input[type=submit].primary")
    page.wait_for_selector("#preview-h")  # first the rides it would cancel
    confirm = page.locator("button.danger")
    if confirm.count():
        confirm.click()
    else:
        page.click("text=取り消さずに戻る")
        return
    page.wait_for_selector("text=天候のため")
    assert "取消" in page.inner_text("#days") or "この日の乗車依頼はありません" in page.inner_text(
        "#days")


def test_language_switch(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator("html").get_attribute("lang") == "ja"
    page.click("text=English")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Dashboard" in page.inner_text("h1")
    page.click("text=日本語")
    assert "ダッシュボード" in page.inner_text("h1")
