"""Every staff page in a real browser under the content security policy: no violation, the
scripts run (htmx, Leaflet), and the idle warning appears and keeps the session."""
# ruff: noqa: F403, F405, F811  (tests/browser's fixtures are imported whole, whatever they are
# called, and test arguments must bear their names)

from __future__ import annotations

from tests.browser.conftest import *  # the live server and the signed-in page; skips
from tests.browser.test_accessibility import booked_pages
from tests.security.routes import Access, access_of

WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':'
                    + e.lineNumber);
});"""


def _first_ids(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from sqlmodel import Session, select

    from carshare.db import get_engine
    from carshare.models import (
        Driver,
        Offer,
        Place,
        PlanningRun,
        Resident,
        RideRequest,
        Route,
        Vehicle,
    )

    tables = {"resident_id": Resident, "driver_id": Driver, "vehicle_id": Vehicle,
              "place_id": Place, "offer_id": Offer, "request_id": RideRequest,
              "route_id": Route, "run_id": PlanningRun}
    with app.app_context(), Session(get_engine()) as session:
        return {arg: session.exec(select(model.id).order_by(model.id)).first() or 1
                for arg, model in tables.items()}


def _staff_pages(app) -> list[str]:  # type: ignore[no-untyped-def]
    from datetime import date

    ids = {**_first_ids(app), "day_text": date.today().isoformat()}
    adapter, pages = app.url_map.bind("localhost"), []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if access_of(rule.endpoint, rule.rule) is Access.STAFF and "GET" in rule.methods:
            if rule.arguments <= set(ids) and not rule.rule.endswith((".csv", "/status")):
                pages.append(adapter.build(rule.endpoint, {a: ids[a] for a in rule.arguments}))
    return pages


def test_every_staff_page_runs_under_the_policy(page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.context.add_init_script(WATCH)
    pages, problems = [*_staff_pages(live_server["app"]), *_booked(page)], []
    assert len(pages) >= 25
    opened = 0
    for path in pages:
        response = page.goto(path)
        page.wait_for_load_state("load")
        found = page.evaluate("window.__csp")
        opened += response.status == 200
        if found or response.status >= 500:
            problems.append(f"{path} {response.status}: {found}")
    assert not problems, "\n".join(problems)
    assert opened >= 25


_BOOKED: list[str] = []


def _booked(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The pages of a ride booked once for this module (a second booking would be refused)."""
    if not _BOOKED:
        _BOOKED.extend(_existing_trip(page) or booked_pages(page))
    return _BOOKED


def _existing_trip(page) -> list[str]:  # type: ignore[no-untyped-def]
    """A trip already on the dashboard in the coming weeks (another module may have booked)."""
    from datetime import date, timedelta

    for offset in range(0, 22, 2):
        page.goto(f"/dashboard?day={(date.today() + timedelta(days=offset)).isoformat()}")
        links = page.eval_on_selector_all("a[href^='/trips/']",
                                          "els => els.map(e => e.getAttribute('href'))")
        if links:
            return [links[0], f"{links[0]}/manifest"]
    return []


def _wait_until(page, expression: str) -> None:  # type: ignore[no-untyped-def]
    """Poll ``expression`` (wait_for_function would need eval, which the policy forbids)."""
    for _ in range(50):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def test_scripts_still_work_under_the_policy(page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.context.add_init_script(WATCH)
    page.goto("/dashboard")
    _wait_until(page, "window.htmx !== undefined")
    trip = next(p for p in _booked(page) if p.startswith("/trips/"))
    assert page.goto(trip).status == 200
    _wait_until(page, "document.querySelector('.leaflet-container') !== null")
    page.goto("/call")
    page.fill("input[name=q]", "サトウ")
    page.wait_for_timeout(800)  # the search answers through htmx as one types
    assert page.evaluate("window.__csp") == []


def test_idle_warning_shows_and_stay_signed_in_keeps_the_session(page, live_server) -> None:  # type: ignore[no-untyped-def]
    app = live_server["app"]
    app.config.update(IDLE_TIMEOUT_MINUTES=1, IDLE_WARNING_SECONDS=58)
    try:
        page.goto("/dashboard")
        warning = page.locator("#idle-warning")
        warning.wait_for(state="visible", timeout=10_000)
        assert "ログアウト" in warning.inner_text()
        page.get_by_role("button", name="ログインを続ける").click()
        warning.wait_for(state="hidden", timeout=5_000)
        assert page.url.endswith("/dashboard")
        state = page.evaluate("fetch('/session/state').then(r => r.json())")
        assert state["idle_left"] > 50
    finally:
        app.config.update(IDLE_TIMEOUT_MINUTES=30, IDLE_WARNING_SECONDS=120)
