"""An administrator at 1366×900 opens planned against driven from the reports page, reads the
chart and its table, and accepts January's suggested factor; axe-core (WCAG 2.2 AA) finds no
violation on the way."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session, select

from tests.browser.axe import look as _look
from tests.reports.driven_month import Builder, driven_month, legs
from tests.reports.fixtures import PASSWORD

SCREEN = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Serve the hand-computed June 2026 and a consistently slow January on a free port."""
    from werkzeug.serving import make_server

    from carshare import create_app, migrate
    from carshare.db import get_engine

    url = f"sqlite:///{tmp_path_factory.mktemp('driven') / 'driven.db'}"
    migrate.upgrade(url)
    app = create_app("testing", DATABASE_URL=url)
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        town = driven_month(session)
        legs(Builder(session, town), 1, [36] * 20 + [10, 120])
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{http.server_port}", "app": app, "town": town}
    http.shutdown()


def test_admin_reads_the_report_and_accepts_a_factor(browser, server: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    from carshare.db import get_engine
    from carshare.models import AuditLog, TownTravelSettings

    context = browser.new_context(base_url=server["url"], viewport=SCREEN, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login")
    page.fill("#username", "drv-admin")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    page.goto("/reports/?start=2026-06-01&end=2026-06-30")
    page.click("text=予定と実績")
    page.wait_for_url("**/reports/driven?*")
    assert page.locator("h1").inner_text() == "予定と実績"
    assert page.locator("svg[role=img] desc").text_content().startswith(
        "2026-06 乗車：中央値 5分、90パーセンタイル 30分（7件）")
    total = page.locator("table.report-driven tbody tr").first.inner_text()
    assert "全区間" in total and "67% (6)" in total
    _look(page, "driven-june.png")
    page.fill("#start", "2026-01-01")
    page.fill("#end", "2026-01-31")
    page.click("main form.report-range button[type=submit]")
    page.wait_for_url("**start=2026-01-01*")
    row = page.locator("table.report-evidence tbody tr").first.inner_text()
    assert "1月" in row and "22" in row and "1.20" in row and "1.45" in row
    _look(page, "driven-january.png")
    page.click("button:has-text('採用する')")
    page.wait_for_url("**/reports/driven?*")
    assert "今後、1月の所要時間には1.45を掛けます。" in page.locator(".flash").inner_text()
    assert page.locator("button:has-text('採用する')").count() == 0
    _look(page, "driven-accepted.png")
    with server["app"].app_context(), Session(get_engine()) as session:
        row = session.exec(select(TownTravelSettings).where(
            TownTravelSettings.town_id == server["town"]["town"].id)).one()
        audit = session.exec(select(AuditLog).where(
            AuditLog.entity == "town_travel_settings")).all()
    assert row.factors[0] == 1.45 and len(audit) == 1 and "22 legs" in audit[0].reason
    context.close()
