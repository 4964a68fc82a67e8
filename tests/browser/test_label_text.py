"""Place names are drawn on maps as text: markup typed into a name never becomes an element.

Issue 19, finding 1: Leaflet's ``bindTooltip(label)`` inserted the label as HTML, so a place
named ``<meta http-equiv=refresh ...>`` sent every staff member who opened Records → Places
elsewhere, and ``<img src=x onerror=...>`` landed as a live element on the trip page.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from tests.browser.test_accessibility import booked_pages

#: A name an attacker with a staff account or a write token could give a place.
EVIL = ('<img src=x onerror=document.title=1>'
        '<meta http-equiv=refresh content="0;url=http://127.0.0.1:9/">')
#: Markup that would have been created from the name.
INJECTED = ".leaflet-pane img[src='x'], meta[http-equiv], img[onerror]"


_TRIP: list[str] = []


def _trip(page) -> str:  # type: ignore[no-untyped-def]
    """A trip's page: one on the dashboard in the coming weeks (another module may have
    booked), else one booked here, once (a second booking would be refused)."""
    if not _TRIP:
        for offset in range(0, 29, 2):
            page.goto(f"/dashboard?day={(date.today() + timedelta(days=offset)).isoformat()}")
            found = [h for h in page.eval_on_selector_all(
                "a[href^='/trips/']", "els => els.map(e => e.getAttribute('href'))")
                if h.count("/") == 2]
            if found:
                _TRIP.append(found[0])
                break
        else:
            _TRIP.append(next(p for p in booked_pages(page)
                              if p.startswith("/trips/") and p.count("/") == 2))
    return _TRIP[0]


def _trip_and_facility(page, app) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """A trip page and the id of a facility (not a home) among its stops."""
    from sqlmodel import Session, select

    from carshare.db import get_engine
    from carshare.models import Place, PlaceKind, Stop

    trip = _trip(page)
    route_id = int(trip.rsplit("/", 1)[1])
    with app.app_context(), Session(get_engine()) as session:
        stmt = (select(Place.id).join(Stop, Stop.place_id == Place.id)
                .where(Stop.route_id == route_id, Place.kind != PlaceKind.HOME))
        place_id = session.exec(stmt).first()
    assert place_id, f"no facility among the stops of {trip}"
    return trip, place_id


@pytest.fixture
def poisoned(page, live_server) -> Iterator[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """Rename a facility on a booked trip to ``EVIL`` through the records form; restore it."""
    from sqlmodel import Session

    from carshare.db import get_engine
    from carshare.models import Place

    app = live_server["app"]
    trip, place_id = _trip_and_facility(page, app)
    with app.app_context(), Session(get_engine()) as session:
        original = session.get(Place, place_id).name
    page.goto(f"/records/places/{place_id}")
    page.fill("#name", EVIL)
    page.click("input[type=submit].primary")
    page.wait_for_load_state("load")
    try:
        with app.app_context(), Session(get_engine()) as session:
            place = session.get(Place, place_id)
            if place.name != EVIL:  # the form refused the markup: a row stored before that did
                place.name = EVIL
                session.add(place)
                session.commit()
        yield trip, place_id
    finally:
        with app.app_context(), Session(get_engine()) as session:
            place = session.get(Place, place_id)
            place.name = original
            session.add(place)
            session.commit()


def _assert_literal(page, path: str, selector: str) -> None:  # type: ignore[no-untyped-def]
    """The page stayed at ``path``, shows ``EVIL`` as text in ``selector`` and made no element."""
    page.wait_for_timeout(1500)  # a meta refresh with 0 s would have left by now
    assert page.url.endswith(path), f"redirected from {path} to {page.url}"
    texts = page.eval_on_selector_all(selector, "els => els.map(e => e.textContent)")
    assert any(EVIL in t for t in texts), texts
    assert page.eval_on_selector_all(INJECTED, "els => els.length") == 0
    assert page.title() != "1"


@pytest.mark.parametrize("which", ["new", "edit"])
def test_records_place_map_draws_names_as_text(page, poisoned, which: str) -> None:  # type: ignore[no-untyped-def]
    _, place_id = poisoned
    path = "/records/places/new" if which == "new" else f"/records/places/{place_id}"
    page.goto(path)
    _assert_literal(page, path, "#place-map .leaflet-tooltip")


def test_trip_map_draws_stop_names_as_text(page, poisoned) -> None:  # type: ignore[no-untyped-def]
    trip, _ = poisoned
    page.goto(trip)
    page.wait_for_timeout(500)
    assert page.url.endswith(trip)
    markers = page.locator("#map path.leaflet-interactive")
    seen = []
    for i in range(markers.count()):
        markers.nth(i).hover(force=True, timeout=3000)
        page.wait_for_timeout(300)
        assert page.url.endswith(trip), f"redirected from {trip} to {page.url}"
        seen += page.eval_on_selector_all("#map .leaflet-tooltip",
                                          "els => els.map(e => e.textContent)")
        assert page.eval_on_selector_all(INJECTED, "els => els.length") == 0
    assert any(EVIL in t for t in seen), seen
    page.wait_for_timeout(1500)
    assert page.url.endswith(trip), f"redirected from {trip} to {page.url}"
    assert page.title() != "1"


def test_policy_keeps_injected_meta_refresh_inert(page) -> None:  # type: ignore[no-untyped-def]
    """Beyond the maps: markup given to any HTML sink (innerHTML, insertAdjacentHTML) by any
    script passes the Trusted Types default policy, which neutralises ``<meta http-equiv>``."""
    response = page.goto("/records/places")
    policy = response.headers["content-security-policy"]
    assert "require-trusted-types-for 'script'" in policy
    page.evaluate("""() => {
        const box = document.createElement('div');
        document.body.appendChild(box);
        box.innerHTML = '<meta http-equiv=refresh content="0;url=http://127.0.0.1:9/">';
        document.body.insertAdjacentHTML('beforeend',
            '<META content="0;url=http://127.0.0.1:9/" HTTP-EQUIV="Refresh">');
    }""")
    page.wait_for_timeout(1500)
    assert page.url.endswith("/records/places"), page.url
    assert page.eval_on_selector_all("meta[http-equiv]", "els => els.length") == 0


def test_policy_lets_only_this_sites_scripts_be_loaded_by_url(page) -> None:  # type: ignore[no-untyped-def]
    """Script URLs given as strings (the driver's service worker) pass only for this site."""
    page.goto("/records/places")
    own = page.evaluate("""() => navigator.serviceWorker.register('/static/driver-sw.js')
        .then(r => r.unregister()).then(() => 'ok', e => String(e))""")
    other = page.evaluate("""() => { try {
            const s = document.createElement('script');
            s.src = 'http://127.0.0.1:9/x.js';
            return 'allowed';
        } catch (e) { return e.name; } }""")
    assert own == "ok"
    assert other == "TypeError"
