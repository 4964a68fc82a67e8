"""Whatever is typed or forged into a records form or search, the answer is never a 500."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.records.conftest import submit, text

FORMS = ["/records/residents/new", "/records/drivers/new", "/records/vehicles/new",
         "/records/places/new", "/records/offers/new"]
GARBAGE = ["\x00", "x" * 5000, "-1", "1e309", "nan", "🚗", "' OR 1=1 --", "%_\\"]


def field_names(html: str) -> set[str]:
    return set(re.findall(r'name="(\w+)"', html)) - {"csrf_token", "submit", "q", "inactive"}


@pytest.mark.parametrize("url", FORMS)
@pytest.mark.parametrize("junk", GARBAGE)
def test_garbage_in_any_field_is_refused_not_crashed(staff_client: FlaskClient, url: str,
                                                     junk: str) -> None:
    names = field_names(text(staff_client.get(url)))
    response = submit(staff_client, url, dict.fromkeys(names, junk))
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("junk", GARBAGE)
def test_garbage_in_searches_is_harmless(staff_client: FlaskClient, junk: str) -> None:
    for path in ("residents", "drivers", "vehicles", "places", "offers"):
        response = staff_client.get(f"/records/{path}", query_string={"q": junk, "kind": junk})
        assert response.status_code < 500, path


def test_a_control_character_in_a_valid_form_is_refused(staff_client: FlaskClient) -> None:
    from tests.records.test_residents import resident_form

    response = submit(staff_client, FORMS[0], resident_form(staff_notes="耳が\x00遠い"))
    assert response.status_code == 400
    assert "北村" not in text(staff_client.get("/records/residents"))
