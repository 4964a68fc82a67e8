"""The report page, its CSV and its printed form: figures, charts, bad ranges, town scope."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from carshare.db import get_engine
from carshare.models import StaffTown
from tests.conftest import csrf_token
from tests.reports.conftest import signed_in

JUNE = "start=2026-06-01&end=2026-06-30"


def test_page_shows_figures_and_svg_charts(staff: FlaskClient) -> None:
    response = staff.get(f"/reports/?{JUNE}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r"Rides requested</th><td class=\"num\">10<", html)
    assert re.search(r"Estimated taxi fares saved</th><td class=\"num\">27,125<", html)
    assert html.count('<svg viewBox=') == 3 and html.count('role="img"') == 3
    assert "<title id=\"chart-months-title\">Rides per month</title>" in html
    assert "2026-06 served: 4" in html  # the bar's own title
    assert "北" in html and "75-84" in html
    assert " style=" not in html and "<script>" not in html  # the CSP allows neither


def test_default_range_is_last_month(staff: FlaskClient) -> None:
    response = staff.get("/reports/")
    assert response.status_code == 200
    assert 'id="start"' in response.get_data(as_text=True)


def test_empty_range_is_a_page_not_an_error(staff: FlaskClient) -> None:
    response = staff.get("/reports/?start=2025-01-01&end=2025-01-31")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No rides were requested in this period." in html
    assert re.search(r"Average ride time</th><td class=\"num\">—<", html)


@pytest.mark.parametrize(("query", "message"), [
    ("start=2026-06-30&end=2026-06-01", "The end date is before the start date."),
    ("start=1900-01-01&end=1900-01-31", "A report cannot start before 1 January 2000."),
    ("start=2000-01-01&end=2026-01-01", "A report covers at most three years."),
    ("start=2026-13-01&end=2026-06-30", "Enter both dates as YYYY-MM-DD."),
    ("start=2026-06-01", "Enter both dates as YYYY-MM-DD."),
    ("start=yesterday&end=today", "Enter both dates as YYYY-MM-DD."),
])
@pytest.mark.parametrize("path", ["/reports/", "/reports/report.csv", "/reports/print"])
def test_bad_ranges_answer_400_translated(staff: FlaskClient, path: str, query: str,
                                          message: str) -> None:
    response = staff.get(f"{path}?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_bad_range_in_japanese(staff: FlaskClient) -> None:
    staff.get("/lang/ja")
    response = staff.get("/reports/?start=2026-06-30&end=2026-06-01")
    assert response.status_code == 400
    assert "終了日が開始日より前です。" in response.get_data(as_text=True)


def test_csv_has_bom_and_the_figures(staff: FlaskClient) -> None:
    response = staff.get(f"/reports/report.csv?{JUNE}")
    body = response.get_data()
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    values = {row[0]: row[1] for row in rows[1:]}
    assert rows[0] == ["Figure", "Value", "Unit"]
    assert values["Rides served"] == "4" and values["Kilometres driven"] == "80.0"
    assert values["Repeat rate"] == "50.0" and values["Average ride time"] == "26.5"
    assert values["Unmet: The time passed without a driver."] == "1"
    assert values["Cancelled: Weather or road closure"] == "1"
    assert values["Settlement: 南"] == "1" and values["Age: 85+"] == "1"
    assert values["2026-06 requested"] == "10"


def test_printable_report(staff: FlaskClient) -> None:
    response = staff.get(f"/reports/print?{JUNE}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "rep町" in html and "<svg" in html and "reports.css" in html
    assert " style=" not in html


def test_other_town_sees_only_its_own(client: FlaskClient, month: dict[str, Any]) -> None:
    html = signed_in(client, "other-staff").get(f"/reports/?{JUNE}").get_data(as_text=True)
    assert re.search(r"Rides requested</th><td class=\"num\">1<", html)
    assert "other町" in html and "rep町" not in html


def test_signed_out_is_sent_to_login(client: FlaskClient) -> None:
    for path in ("/reports/", "/reports/report.csv", "/reports/print", "/exports/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_of_two_towns_sees_the_town_switched_to(app: Flask, client: FlaskClient,
                                                      month: dict[str, Any]) -> None:
    with app.app_context(), Session(get_engine()) as session:
        session.add(StaffTown(staff_user_id=month["staff"]["admin"].id,
                              town_id=month["other"]["town"].id))
        session.commit()
    admin = signed_in(client, "rep-admin")
    assert re.search(r"Rides requested</th><td class=\"num\">10<",
                     admin.get(f"/reports/?{JUNE}").get_data(as_text=True))
    token = csrf_token(admin.get("/reports/").get_data(as_text=True))
    admin.post("/town", data={"town_id": str(month["other"]["town"].id), "csrf_token": token})
    html = admin.get(f"/reports/?{JUNE}").get_data(as_text=True)
    assert re.search(r"Rides requested</th><td class=\"num\">1<", html) and "other町" in html
