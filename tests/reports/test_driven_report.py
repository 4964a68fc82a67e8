"""Planned against driven: a hand-computed month, the month factor suggestion and its
acceptance (admins only, audited), the page and its Japanese."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.domain import driven as dd
from carshare.models import AuditLog, TownTravelSettings
from carshare.models.travel import MONTH_FACTOR_RANGE
from carshare.services.driven_report import DrivenError, accept_suggestion, driven_report
from carshare.services.travel_settings import set_month_factor
from tests.conftest import csrf_token
from tests.reports.conftest import signed_in
from tests.reports.driven_month import Builder, driven_month, legs

JUNE = (date(2026, 6, 1), date(2026, 6, 30))
JANUARY = (date(2026, 1, 1), date(2026, 1, 31))
#: 22 rides planned 30 minutes in January, driven 36 (ratio 1.2), and two outliers.
SLOW = [36] * 20 + [10, 120]


# --- the pure arithmetic ---------------------------------------------------------------------

def test_median_and_nearest_rank_p90() -> None:
    assert dd.median([]) is None and dd.p90([]) is None
    assert dd.median([3]) == 3 and dd.p90([3]) == 3
    assert dd.median([4, 1, 3, 2]) == 2.5
    assert dd.p90(list(range(1, 11))) == 9  # ceil(9.0) = 9th of ten
    assert dd.p90(list(range(1, 12))) == 10  # ceil(9.9) = 10th of eleven
    assert dd.p90([5, -1, 5, 10, 13, 32]) == 32  # ceil(5.4) = 6th of six


def test_share_and_window() -> None:
    assert dd.share([True, None, False, True]) == (2 / 3, 3)
    assert dd.share([None]) == (None, 0)
    assert dd.corridor("北", "") == "北 → unknown"


@pytest.mark.parametrize(("current", "ratio", "n", "suggested"), [
    (1.20, 1.2, 20, 1.45),  # 1.44 rounded to the 0.05 step
    (1.00, 0.8, 25, 0.80),
    (1.20, 0.8, 20, 0.95),  # 0.96
    (1.20, 1.2, 19, None),  # too few legs
    (1.00, 1.10, 40, None),  # exactly 10 %: not beyond
    (1.00, 0.90, 40, None),
    (1.00, 1.11, 40, 1.10),
    (2.00, 1.5, 40, None),  # capped at 2.0: no change
    (1.60, 1.5, 40, 2.00),  # capped
    (0.75, 0.5, 40, 0.70),  # floored
    (1.00, 1.12, 40, 1.10),
    (1.00, None, 0, None),
])
def test_suggested_factor(current: float, ratio: float | None, n: int,
                          suggested: float | None) -> None:
    assert dd.suggested_factor(current, ratio, n) == suggested


def test_factor_range_is_the_models() -> None:
    assert dd.FACTOR_RANGE == MONTH_FACTOR_RANGE


# --- the hand-computed month -----------------------------------------------------------------

@pytest.fixture
def month(app: Flask) -> dict[str, Any]:
    """June 2026 of ``tests.reports.driven_month``."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        return driven_month(session)


def test_hand_computed_june(app: Flask, month: dict[str, Any]) -> None:
    with app.app_context(), Session(get_engine()) as session:
        report = driven_report(session, month["town"].id, *JUNE)
    got = {g.corridor: g for g in report.groups}
    assert [g.corridor for g in report.groups] == ["", "北 → 本町", "南 → 本町", "本町 → 北"]
    assert {g.month for g in report.groups} == {date(2026, 6, 1)}
    # All of June: 7 pressed rides (ride 9 never pressed; the superseded plan, July and the
    # other town left out).
    # Pick-up lateness (min): +2 +12 -2 +5 +10 +3 +30 -> sorted -2 2 3 5 10 12 30:
    #   median the 4th, 5 min = 300 s; p90 the ceil(0.9 x 7) = 7th, 30 min = 1800 s.
    # Promised pick-ups: rides 1-5 and 7 (6 has no promise); inside: 1, 3, 4, 5 (08:10 is
    #   the window's end, included) -> 4 / 6.
    # Drop-off lateness: +5 +13 -1 +10 +5 +32 (ride 4 not pressed) -> sorted -1 5 5 10 13 32:
    #   median (5 + 10) / 2 = 7.5 min = 450 s; p90 the ceil(5.4) = 6th, 32 min = 1920 s.
    # Arrive-by drop-offs: rides 2 (09:33 after 09:30: out), 3 (in), 5 (08:50: in) -> 2 / 3.
    total = got[""]
    assert total.rides == 7
    assert total.pickup == dd.Lateness(7, 300.0, 1800)
    assert (total.pickup_in_window, total.pickup_promised) == (4 / 6, 6)
    assert total.dropoff == dd.Lateness(6, 450.0, 1920)
    assert (total.dropoff_in_window, total.dropoff_promised) == (2 / 3, 3)
    # 北 → 本町, rides 1-4. Pick-up +2 +12 -2 +5 -> -2 2 5 12: median 3.5 min = 210 s,
    #   p90 the ceil(3.6) = 4th = 12 min; in window 1, 3, 4 of 4. Drop-off +5 +13 -1 ->
    #   -1 5 13: median 5 min, p90 the 3rd = 13 min; arrive-by 2 (out), 3 (in): 1 / 2.
    north = got["北 → 本町"]
    assert north.rides == 4
    assert north.pickup == dd.Lateness(4, 210.0, 720)
    assert (north.pickup_in_window, north.pickup_promised) == (0.75, 4)
    assert north.dropoff == dd.Lateness(3, 300.0, 780)
    assert (north.dropoff_in_window, north.dropoff_promised) == (0.5, 2)
    # 南 → 本町, rides 5 and 6. Pick-up +10 +3: median 6.5 min = 390 s, p90 the 2nd = 10 min;
    #   promised only ride 5, inside. Drop-off +10 +5: median 7.5 min, p90 10 min; arrive-by
    #   ride 5, inside.
    south = got["南 → 本町"]
    assert (south.rides, south.pickup, south.dropoff) == (
        2, dd.Lateness(2, 390.0, 600), dd.Lateness(2, 450.0, 600))
    assert (south.pickup_in_window, south.pickup_promised) == (1.0, 1)
    assert (south.dropoff_in_window, south.dropoff_promised) == (1.0, 1)
    # 本町 → 北, ride 7: 30 and 32 minutes late, outside its promise, no arrive-by window.
    back = got["本町 → 北"]
    assert (back.pickup, back.dropoff) == (dd.Lateness(1, 1800.0, 1800),
                                           dd.Lateness(1, 1920.0, 1920))
    assert (back.pickup_in_window, back.pickup_promised) == (0.0, 1)
    assert (back.dropoff_in_window, back.dropoff_promised) == (None, 0)
    # Legs (planned = drop-off minus pick-up planned; driven = the presses): 20/23, 20/21,
    # 20/21, 40/40, 40/42, 20/22 -> ratios 1.15 1.05 1.05 1.00 1.05 1.10, median 1.05;
    # six legs are fewer than 20: nothing suggested.
    [june] = report.evidence
    assert (june.month, june.legs, june.current, june.suggested) == (6, 6, 1.0, None)
    assert june.median_ratio == pytest.approx(1.05)
    assert report.suggestions == []


def test_july_is_a_month_of_its_own(app: Flask, month: dict[str, Any]) -> None:
    with app.app_context(), Session(get_engine()) as session:
        report = driven_report(session, month["town"].id, date(2026, 6, 1), date(2026, 7, 31))
    july = [g for g in report.groups if g.month == date(2026, 7, 1)]
    assert [(g.corridor, g.rides, g.pickup, g.dropoff) for g in july] == [
        ("", 1, dd.Lateness(1, 60.0, 60), dd.Lateness(1, 60.0, 60)),
        ("北 → 本町", 1, dd.Lateness(1, 60.0, 60), dd.Lateness(1, 60.0, 60))]
    assert [g.rides for g in report.groups if not g.corridor] == [7, 1]


# --- the suggestion --------------------------------------------------------------------------

def _january(app: Flask, month: dict[str, Any], minutes: list[int]) -> None:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        legs(Builder(session, month), 1, minutes)


def test_consistently_slow_january_is_suggested_despite_outliers(
        app: Flask, month: dict[str, Any]) -> None:
    _january(app, month, SLOW)
    with app.app_context(), Session(get_engine()) as session:
        report = driven_report(session, month["town"].id, *JANUARY)
    # 22 legs; ratios 36/30 = 1.2 twenty times, 10/30 and 120/30: the median is 1.2.
    # January's factor 1.20 x 1.2 = 1.44 -> 1.45 (0.05 steps).
    [january] = report.suggestions
    assert (january.month, january.legs, january.current, january.suggested) == (
        1, 22, 1.2, 1.45)
    assert january.median_ratio == pytest.approx(1.2)


@pytest.mark.parametrize("minutes", [[36] * 19, [33] * 20, [27] * 30, [31, 29] * 15])
def test_no_suggestion_with_few_legs_or_within_ten_percent(
        app: Flask, month: dict[str, Any], minutes: list[int]) -> None:
    _january(app, month, minutes)
    with app.app_context(), Session(get_engine()) as session:
        report = driven_report(session, month["town"].id, *JANUARY)
    assert report.suggestions == [] and report.evidence[0].legs == len(minutes)


def test_legs_planned_before_the_settings_changed_are_no_evidence(
        app: Flask, month: dict[str, Any]) -> None:
    _january(app, month, SLOW)
    with app.app_context(), Session(get_engine()) as session:
        admin = session.get(type(month["staff"]["admin"]), month["staff"]["admin"].id)
        set_month_factor(session, admin, 7, 1.05, "road works")  # any later save
        report = driven_report(session, month["town"].id, *JANUARY)
    assert report.evidence == [] and report.suggestions == []
    assert [g.rides for g in report.groups if not g.corridor] == [22]  # still reported


def test_service_refuses_staff_and_stale_factors(app: Flask, month: dict[str, Any]) -> None:
    _january(app, month, SLOW)
    with app.app_context(), Session(get_engine()) as session:
        staff = session.get(type(month["staff"]["staff"]), month["staff"]["staff"].id)
        admin = session.get(type(month["staff"]["admin"]), month["staff"]["admin"].id)
        with pytest.raises(DrivenError, match="forbidden"):
            accept_suggestion(session, staff, *JANUARY, 1, 1.45)
        with pytest.raises(DrivenError, match="stale"):
            accept_suggestion(session, admin, *JANUARY, 1, 1.50)
        with pytest.raises(DrivenError, match="stale"):
            accept_suggestion(session, admin, *JANUARY, 2, 1.45)


# --- the page --------------------------------------------------------------------------------

def _page(client: FlaskClient, query: str = "start=2026-01-01&end=2026-01-31") -> str:
    response = client.get(f"/reports/driven?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _settings(app: Flask, town_id: int) -> TownTravelSettings:
    with app.app_context(), Session(get_engine()) as session:
        return session.exec(select(TownTravelSettings)
                            .where(TownTravelSettings.town_id == town_id)).one()


def test_page_shows_chart_and_its_table(client: FlaskClient, month: dict[str, Any]) -> None:
    html = _page(signed_in(client, "drv-staff"), "start=2026-06-01&end=2026-06-30")
    assert html.count("<svg viewBox=") == 1 and 'role="img"' in html
    assert "2026-06 Pick-ups: median 5 min, 90th percentile 30 min (7 stops)" in html
    row = re.sub(r"\s+", "", html.split("<td class=\"nowrap\">北 → 本町</td>")[1].split("</tr>")[0])
    assert row == ('<tdclass="num">4</td><tdclass="num">4min</td><tdclass="num">12min</td>'
                   '<tdclass="num">75%(4)</td><tdclass="num">5min</td><tdclass="num">13min</td>'
                   '<tdclass="num">50%(2)</td>')  # 3.5 min shown as 4
    assert "67% (6)" in html and "8 min" in html  # 7.5 min shown as 8
    assert " style=" not in html and "<script>" not in html
    assert "Accept" not in html


def test_admin_accepts_the_suggestion(app: Flask, client: FlaskClient,
                                      month: dict[str, Any]) -> None:
    _january(app, month, SLOW)
    admin = signed_in(client, "drv-admin")
    html = _page(admin)
    assert "1.45" in html and ">Accept the factor</button>" in html
    response = admin.post("/reports/driven/accept", data={
        "csrf_token": csrf_token(html), "start": "2026-01-01", "end": "2026-01-31",
        "month": "1", "factor": "1.45"})
    assert response.status_code == 302
    assert _settings(app, month["town"].id).factors[0] == 1.45
    with app.app_context(), Session(get_engine()) as session:
        [entry] = session.exec(select(AuditLog).where(
            AuditLog.entity == "town_travel_settings")).all()
    assert entry.actor == "drv-admin" and entry.action == "update"
    assert "(planned vs driven 2026-01-01..2026-01-31: 22 legs" in entry.reason
    assert "median driven/planned 1.200" in entry.reason and "1.20 → 1.45" in entry.reason
    html = _page(admin)
    assert ">Accept the factor</button>" not in html  # in force now: gone
    assert "From now on, travel times in January are multiplied by 1.45." in html


def test_staff_sees_the_suggestion_but_may_not_accept(app: Flask, client: FlaskClient,
                                                      month: dict[str, Any]) -> None:
    _january(app, month, SLOW)
    staff = signed_in(client, "drv-staff")
    html = _page(staff)
    assert "1.45" in html and "Accept" not in html
    response = staff.post("/reports/driven/accept", data={
        "csrf_token": csrf_token(html), "start": "2026-01-01", "end": "2026-01-31",
        "month": "1", "factor": "1.45"})
    assert response.status_code == 403
    assert _settings(app, month["town"].id).factors[0] == 1.2


@pytest.mark.parametrize(("data", "status", "message"), [
    ({"month": "1", "factor": "1.50"}, 409, "This suggestion no longer holds"),
    ({"month": "13", "factor": "1.45"}, 400, "This suggestion cannot be read"),
    ({"month": "x", "factor": "1.45"}, 400, "This suggestion cannot be read"),
    ({"month": "1", "factor": "nan"}, 400, "This suggestion cannot be read"),
    ({"month": "1", "factor": "1.45", "start": "2026-01-31", "end": "2026-01-01"}, 400,
     "This suggestion cannot be read"),
    ({"month": "1", "factor": "1.45", "start": "soon"}, 400, "This suggestion cannot be read"),
])
def test_bad_or_stale_accept_changes_nothing(app: Flask, client: FlaskClient,
                                             month: dict[str, Any], data: dict[str, str],
                                             status: int, message: str) -> None:
    _january(app, month, SLOW)
    admin = signed_in(client, "drv-admin")
    form = {"csrf_token": csrf_token(_page(admin)), "start": "2026-01-01", "end": "2026-01-31",
            **data}
    response = admin.post("/reports/driven/accept", data=form)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert _settings(app, month["town"].id).factors[0] == 1.2


def test_accept_needs_the_csrf_token(app: Flask, client: FlaskClient,
                                     month: dict[str, Any]) -> None:
    _january(app, month, SLOW)
    admin = signed_in(client, "drv-admin")
    response = admin.post("/reports/driven/accept", data={
        "start": "2026-01-01", "end": "2026-01-31", "month": "1", "factor": "1.45"})
    assert response.status_code == 400
    assert _settings(app, month["town"].id).factors[0] == 1.2


def test_bad_range_and_signed_out(client: FlaskClient, month: dict[str, Any]) -> None:
    assert client.get("/reports/driven").status_code == 302
    staff = signed_in(client, "drv-staff")
    response = staff.get("/reports/driven?start=2026-06-30&end=2026-06-01")
    assert response.status_code == 400
    assert "The end date is before the start date." in response.get_data(as_text=True)
    assert _page(staff, "start=2025-01-01&end=2025-01-31").count("No presses in this period.")
    assert "Planned and driven" in staff.get("/reports/").get_data(as_text=True)


def test_other_town_sees_its_own(client: FlaskClient, month: dict[str, Any]) -> None:
    html = _page(signed_in(client, "drv2-staff"), "start=2026-06-01&end=2026-06-30")
    assert "(1 stops)" in html and "(7 stops)" not in html


def test_page_in_japanese(app: Flask, client: FlaskClient, month: dict[str, Any]) -> None:
    _january(app, month, SLOW)
    admin = signed_in(client, "drv-admin")
    admin.get("/lang/ja")
    html = _page(admin, "start=2026-06-01&end=2026-06-30")
    for words in ("予定と実績", "遅れ（中央値）", "遅れ（90パーセンタイル）", "約束の時間内の割合",
                  "5分", "30分", "全区間", "6月"):
        assert words in html, words
    html = _page(admin)
    for words in ("提案", "採用する", "1.45", "1月"):
        assert words in html, words
