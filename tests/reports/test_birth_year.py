"""The optional year of birth on the resident form (for the report's age bands)."""

from __future__ import annotations

from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.records.conftest import submit, text
from tests.records.test_residents import NEW, find, resident_form


def test_year_of_birth_is_stored_and_optional(staff_client: FlaskClient,
                                              session: Session) -> None:
    assert submit(staff_client, NEW, resident_form(birth_year="1948")).status_code == 302
    assert find(session, "北村").birth_year == 1948
    other = resident_form(family_name="南田", birth_year="", phone="090-1111-0000",
                          phone_2="")
    assert submit(staff_client, NEW, other).status_code == 302
    assert find(session, "南田").birth_year is None


@pytest.mark.parametrize("year", ["1899", "abcd", "19.5", str(date.today().year + 1), "-1948"])
def test_implausible_years_are_refused(staff_client: FlaskClient, session: Session,
                                       year: str) -> None:
    response = submit(staff_client, NEW, resident_form(birth_year=year))
    assert response.status_code == 400 and 'class="error"' in text(response)
    assert find(session, "北村") is None


def test_edit_form_shows_the_year(staff_client: FlaskClient, session: Session) -> None:
    submit(staff_client, NEW, resident_form(birth_year="1951"))
    resident = find(session, "北村")
    html = text(staff_client.get(f"/records/residents/{resident.id}"))
    assert 'name="birth_year"' in html and 'value="1951"' in html
