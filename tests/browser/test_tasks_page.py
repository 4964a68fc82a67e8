"""The administrator's tasks page (処理の状況) in Chromium: axe-core clean, ja and en."""

from __future__ import annotations

from tests.browser.axe import violations


def test_the_admin_reads_the_tasks_page(browser, live_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_url, viewport={"width": 1366, "height": 900},
                                  locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto("/login")
    page.fill("#username", "admin")
    page.fill("#password", "teshio-admin-2026")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    page.goto("/settings/tasks")
    assert "処理の状況" in page.inner_text("h1")
    assert "アプリの中" in page.inner_text("main") or "実行" in page.inner_text("main")
    assert violations(page) == []
    page.click("text=English")
    page.wait_for_load_state()
    assert page.inner_text("h1").strip() != "処理の状況"
    assert violations(page) == []
    context.close()
