"""The API pages in a real browser: no CSP violation, no serious axe violation, and a token
made on the page opens the API."""
# ruff: noqa: F403, F405, F811  (tests/browser's fixtures are imported whole, whatever they are
# called, and test arguments must bear their names)

from __future__ import annotations

import json
import urllib.request

from tests.browser.axe import violations
from tests.browser.conftest import *  # the live server and the signed-in page; skips


def _console_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_docs_page_under_the_csp(page) -> None:  # type: ignore[no-untyped-def]
    errors = _console_errors(page)
    response = page.goto("/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("code", has_text="POST /api/v1/ride-requests/{request_id}/confirm").count()
    assert page.locator("#schema-Problem").count() == 1
    assert violations(page) == []
    assert errors == []


def test_token_made_on_the_page_opens_the_api(page, live_url: str) -> None:  # type: ignore[no-untyped-def]
    errors = _console_errors(page)
    page.goto("/api-tokens")
    assert violations(page) == []
    page.fill("#name", "ブラウザ試験")
    page.check("input[name=scope][value=read]")
    page.click("form[action='/api-tokens'] [type=submit]")
    secret = page.input_value("#new-token")
    assert secret.startswith("cs_") and violations(page) == []
    request = urllib.request.Request(f"{live_url}/api/v1/places?limit=1",
                                     headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert len(json.load(answer)["items"]) == 1
    page.click("text=無効にする")
    assert page.locator("td", has_text="無効").count() >= 1
    assert errors == []
