"""Records in a real browser: no serious axe violation, map pick, typing without the map."""
# ruff: noqa: F403, F405, F811  (tests/browser's fixtures are imported whole, whatever they are
# called, and test arguments must bear their names)

from __future__ import annotations

import re

import pytest

from tests.browser.axe import violations
from tests.browser.conftest import *  # the live server and the signed-in page; skips

LISTS = ["/records/residents", "/records/drivers", "/records/vehicles", "/records/places",
         "/records/offers"]
FORMS = [f"{path}/new" for path in LISTS]


def first_record(page, path: str) -> str:  # type: ignore[no-untyped-def]
    """Return the first record page linked from a list."""
    page.goto(path)
    hrefs = page.eval_on_selector_all("table.records a",
                                      "els => els.map(e => e.getAttribute('href'))")
    return next(h for h in hrefs if re.fullmatch(r"/records/\w+/\d+", h))


def test_every_records_page_is_accessible(page) -> None:  # type: ignore[no-untyped-def]
    pages = LISTS + FORMS + ["/records/residents?q=さとう"]
    pages += [first_record(page, path) for path in LISTS]
    failures = {}
    for path in pages:
        response = page.goto(path)
        assert response.status < 400, path
        if found := violations(page):
            failures[path] = found
    page.goto("/records/places/new")
    page.click("#submit")  # every field empty: errors next to the fields
    assert page.locator("p.error").count() >= 2
    if found := violations(page):
        failures["place form with errors"] = found
    assert failures == {}


def test_pick_a_place_on_the_map(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/records/places/new")
    page.wait_for_selector("#place-map.leaflet-container")  # no wait_for_function: CSP, no eval
    box = page.locator("#place-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2)
    lat, lon = float(page.input_value("#lat")), float(page.input_value("#lon"))
    assert 44 < lat < 46 and 141 < lon < 143  # the demo town's facilities are around there
    page.select_option("#kind", "shop")
    page.fill("#name", "地図で選んだ店")
    page.click("#submit")
    page.wait_for_url("**/records/places")
    assert "地図で選んだ店" in page.content()


def test_typing_coordinates_works_without_the_map(page) -> None:  # type: ignore[no-untyped-def]
    page.route("**/vendor/leaflet/**", lambda route: route.abort())
    page.goto("/records/places/new")
    page.select_option("#kind", "clinic")
    page.fill("#name", "地図なし診療所")
    page.fill("#lat", "４４．９")
    page.fill("#lon", "141.8")
    page.click("#submit")
    page.wait_for_url("**/records/places")
    assert "地図なし診療所" in page.content()


@pytest.mark.parametrize("path", ["/records/drivers", "/records/offers/new"])
def test_records_in_english_are_accessible(page, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/lang/en?next={path}")
    assert violations(page) == []
