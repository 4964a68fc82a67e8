"""Staff exports: CSV for Excel, formula-neutralised, audited, town-scoped, admin-only audit log."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from carshare.db import get_engine
from carshare.models import AuditLog, Resident
from carshare.web.csv_response import csv_text, neutralise
from tests.conftest import csrf_token
from tests.reports.conftest import signed_in


def rows(body: bytes) -> list[list[str]]:
    """Return the CSV rows of a download, checking the UTF-8 byte-order mark first."""
    assert body.startswith(b"\xef\xbb\xbf"), "no BOM: Japanese Excel would garble it"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def post(client: FlaskClient, path: str, **data: str):  # type: ignore[no-untyped-def]
    """Post an export form with the page's CSRF token."""
    token = csrf_token(client.get("/exports/").get_data(as_text=True))
    prefix = path.split("/")[-1].split(".")[0]
    fields = {f"{prefix}-{key}": value for key, value in data.items()}
    return client.post(path, data={f"{prefix}-csrf_token": token, "csrf_token": token, **fields})


def audit_rows(app: Flask, action: str = "export") -> list[AuditLog]:
    """Return the audit entries of ``action``."""
    with app.app_context(), Session(get_engine()) as session:
        return list(session.exec(select(AuditLog).where(AuditLog.action == action)))


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+81 90", "'+81 90"),
    ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"),
    ("＝1+1", "'＝1+1"), ("山田", "山田"), ("a=b", "a=b"), (-5, -5), (2.5, 2.5), (None, ""),
    (True, "1"),
])
def test_neutralise(value: Any, expected: Any) -> None:
    assert neutralise(value) == expected


def test_csv_text_has_bom_crlf_and_neutralised_cells() -> None:
    text = csv_text(["名前", "=x"], [["=1+1", "天塩"], [3, None]])
    assert text.startswith("\ufeff") and "\r\n" in text
    assert list(csv.reader(io.StringIO(text[1:]))) == [["名前", "'=x"], ["'=1+1", "天塩"],
                                                       ["3", ""]]


def test_residents_export_is_audited_and_neutralised(app: Flask, staff: FlaskClient,
                                                     month: dict[str, Any]) -> None:
    with app.app_context(), Session(get_engine()) as session:
        rider = session.get(Resident, month["riders"]["R1"].id)
        rider.family_name = "=HYPERLINK(\"http://evil\")"
        session.add(rider)
        session.commit()
    response = post(staff, "/exports/residents.csv", purpose="council statistics")
    assert response.status_code == 200
    table = rows(response.get_data())
    assert table[0][:3] == ["ID", "Family name", "Given name"]
    assert "Consent: arranging rides (given on)" in table[0]
    names = {row[1] for row in table[1:]}
    assert "'=HYPERLINK(\"http://evil\")" in names
    assert len(table) - 1 == 5  # R1-R4 and the driver of "rep", none of "other"
    birth_years = {row[5] for row in table[1:]}
    assert {"1950", "1940", ""} <= birth_years
    entries = audit_rows(app)
    per_person = [e for e in entries if e.entity == "resident"]
    assert len(per_person) == 6  # five people and the export itself
    assert all(e.actor == "rep-staff" and "council statistics" in e.reason for e in entries)


def test_export_without_purpose_is_400_and_nothing_is_written(app: Flask,
                                                              staff: FlaskClient) -> None:
    response = post(staff, "/exports/residents.csv", purpose="")
    assert response.status_code == 400
    assert "Say why you export these data." in response.get_data(as_text=True)
    assert audit_rows(app) == []
    assert staff.post("/exports/residents.csv", data={}).status_code == 400  # no CSRF token


def test_offers_export(staff: FlaskClient) -> None:
    response = post(staff, "/exports/offers.csv", purpose="insurance renewal")
    table = rows(response.get_data())
    assert response.status_code == 200 and len(table) - 1 == 5  # one per fixture route
    assert {row[2] for row in table[1:]} == {"利用9 花"}


def test_trips_export_of_a_range(app: Flask, staff: FlaskClient) -> None:
    response = post(staff, "/exports/trips.csv", purpose="monthly check",
                    start="2026-06-01", end="2026-06-30")
    table = rows(response.get_data())
    assert response.status_code == 200 and len(table) - 1 == 10
    header = table[0]
    first = dict(zip(header, table[1], strict=True))
    assert first["Driver"] == "利用9 花" and first["Route km"] == "40.0"
    assert first["Rider"] == "利用1 花" and first["Planned pick-up"] == "2026-06-02 09:30"
    kinds = {dict(zip(header, row, strict=True))["Window kind"] for row in table[1:]}
    assert kinds <= {"Arrive by", "Pick up after"}  # words, as on the screens, not codes
    assert len([e for e in audit_rows(app) if e.entity == "resident"]) == 4  # R1-R4


@pytest.mark.parametrize(("start", "end", "message"), [
    ("2026-06-30", "2026-06-01", "The end date is before the start date."),
    ("2026-02-30", "2026-06-01", "Enter a date as YYYY-MM-DD."),
    ("", "2026-06-01", "Enter a date as YYYY-MM-DD."),
    ("2020-01-01", "2026-06-01", "A report covers at most three years."),
])
def test_trips_export_bad_range(app: Flask, staff: FlaskClient, start: str, end: str,
                                message: str) -> None:
    response = post(staff, "/exports/trips.csv", purpose="check", start=start, end=end)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert audit_rows(app) == []


def test_audit_export_is_for_admins_only(app: Flask, staff: FlaskClient) -> None:
    assert "/exports/audit.csv" not in staff.get("/exports/").get_data(as_text=True)
    response = post(staff, "/exports/audit.csv", purpose="review", start="2020-01-01",
                    end="2030-12-31")
    assert response.status_code == 403
    assert audit_rows(app) == []


def test_admin_exports_the_audit_log_of_their_town(app: Flask, client: FlaskClient,
                                                   month: dict[str, Any]) -> None:
    other = signed_in(app.test_client(), "other-staff")
    post(other, "/exports/offers.csv", purpose="other town's work")
    admin = signed_in(client, "rep-admin")
    post(admin, "/exports/residents.csv", purpose="yearly check")
    with app.app_context(), Session(get_engine()) as session:
        mine = session.exec(select(func.count()).select_from(AuditLog).where(
            AuditLog.town_id == month["town"].id)).one()
    today = date.today()
    response = post(admin, "/exports/audit.csv", purpose="privacy review",
                    start=str(today - timedelta(days=1)), end=str(today + timedelta(days=1)))
    table = rows(response.get_data())
    assert response.status_code == 200
    assert len(table) - 1 == mine
    assert all("other town" not in " ".join(row) for row in table)
    assert any(e.entity == "audit_log" and "privacy review" in e.reason
               for e in audit_rows(app))


@pytest.mark.parametrize("purpose", ["a\x00b", "x" * 201, "  "])
def test_garbage_purpose_is_refused(app: Flask, staff: FlaskClient, purpose: str) -> None:
    response = post(staff, "/exports/residents.csv", purpose=purpose)
    assert response.status_code == 400
    assert audit_rows(app) == []


def test_residents_export_shows_needs_only_with_their_consent(app: Flask, staff: FlaskClient,
                                                             month: dict[str, Any]) -> None:
    from carshare.models.privacy import ConsentMethod, ConsentScope, ResidentConsent
    from carshare.services.exports import RESIDENT_COLUMNS

    with app.app_context(), Session(get_engine()) as session:
        riders = [session.get(Resident, month["riders"][key].id) for key in ("R1", "R2")]
        for rider in riders:
            rider.wheelchair = True  # on file from before consents were scoped
            session.add(rider)
        for row in session.exec(select(ResidentConsent).where(  # only R1 has the consent
                ResidentConsent.resident_id == riders[1].id,
                ResidentConsent.scope == ConsentScope.NEEDS)):
            session.delete(row)
        if not session.exec(select(ResidentConsent).where(
                ResidentConsent.resident_id == riders[0].id,
                ResidentConsent.scope == ConsentScope.NEEDS)).first():
            session.add(ResidentConsent(resident_id=riders[0].id, scope=ConsentScope.NEEDS,
                                        given_on=date(2026, 5, 1),
                                        method=ConsentMethod.PHONE))
        session.commit()
        ids = [str(r.id) for r in riders]
    table = rows(post(staff, "/exports/residents.csv", purpose="check").get_data())
    wheelchair = RESIDENT_COLUMNS.index("wheelchair")
    by_id = {row[0]: row for row in table[1:]}
    assert by_id[ids[0]][wheelchair] == "1"
    assert by_id[ids[1]][wheelchair] == ""
