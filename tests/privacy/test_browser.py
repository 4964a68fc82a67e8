"""The privacy pages in a real browser: no serious axe violation, no CSP complaint, and the
erasure form's errors read next to their fields."""
# ruff: noqa: F403, F405, F811  (tests/browser's fixtures are imported whole, as in
# tests/records/test_browser.py)

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.axe import violations
from tests.browser.conftest import *  # the live server; skips without Chromium


@pytest.fixture
def admin_page(browser, live_url: str) -> Iterator:  # type: ignore[no-untyped-def]
    """A page signed in as the demo admin, collecting CSP complaints of the console."""
    context = browser.new_context(base_url=live_url, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_errors = []
    page.on("console", lambda m: "Content Security Policy" in m.text
            and page.csp_errors.append(m.text))
    page.goto("/login")
    page.fill("#username", "admin")
    page.fill("#password", "teshio-admin-2026")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    yield page
    context.close()


def test_privacy_pages_are_accessible_and_keep_the_csp(admin_page) -> None:  # type: ignore[no-untyped-def]
    page = admin_page
    page.goto("/records/residents")
    page.click("table.records tbody tr:first-child a")
    page.click("text=個人情報の開示・削除")
    assert page.url.split("/privacy/residents/")[1].isdigit()
    failures = {"resident": violations(page)}
    page.click("#erase-submit")  # nothing typed: errors next to the fields, nothing erased
    assert page.locator("p.error").count() == 2
    failures["erase errors"] = violations(page)
    page.goto("/privacy/retention")
    failures["retention"] = violations(page)
    assert {k: v for k, v in failures.items() if v} == {}
    assert page.csp_errors == []
