"""The road-closure page (通行止め): add, list, lift, refuse bad input, staff only, audited.

The demo installation has no road data, so a closure marks at risk the planned rides whose
straight legs cross the closed area (issue 20.4).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import (
    AuditLog,
    ClosureKind,
    Place,
    PlaceKind,
    RoadClosure,
    StaffUser,
)
from carshare.services.closures import ClosureInput, add_closure
from carshare.services.planning import plan_day
from carshare.services.timeline import routes_on
from carshare.timeutil import TOKYO, local_today
from tests.conftest import csrf_token
from tests.test_resident_signin import _sign_in

TODAY = local_today(TOKYO)
TOMORROW = TODAY + timedelta(days=1)


def _form(client: FlaskClient, **changes: str) -> dict[str, str]:
    token = csrf_token(client.get("/closures").get_data(as_text=True))
    data = {"csrf_token": token, "day": TOMORROW.isoformat(), "kind": "area",
            "lat": "45.40", "lon": "141.67", "radius_m": "300", "note": "国道40号 工事"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _closures(session: Session) -> list[RoadClosure]:
    session.expire_all()
    return list(session.exec(select(RoadClosure).order_by(RoadClosure.id)))


def test_the_page_is_in_the_navigation_and_lists_nothing_yet(staff_client: FlaskClient) -> None:
    html = staff_client.get("/dashboard").get_data(as_text=True)
    assert 'href="/closures"' in html and "通行止め" in html
    page = staff_client.get("/closures").get_data(as_text=True)
    assert "通行止め" in page and "区間" in page and "範囲" in page
    assert "道路データがない" in page  # the demo has no road data: detours are not computed


def test_a_closure_is_stored_listed_audited_and_lifted(staff_client: FlaskClient,
                                                       session: Session) -> None:
    answer = staff_client.post("/closures", data=_form(staff_client))
    assert answer.status_code == 302
    [row] = _closures(session)
    assert (row.kind, row.day, row.radius_m, row.note) == (
        ClosureKind.AREA, TOMORROW, 300, "国道40号 工事")
    page = staff_client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "通行止めを登録しました" in page and "国道40号 工事" in page
    token = csrf_token(page)
    assert staff_client.post(f"/closures/{row.id}/lift",
                             data={"csrf_token": token}).status_code == 302
    [lifted] = _closures(session)
    staff = session.get(StaffUser, lifted.lifted_by_id)
    assert lifted.lifted_at is not None and staff.username == "madoguchi"
    page = staff_client.get("/closures").get_data(as_text=True)
    assert f"{staff.display_name}が解除" in page
    assert staff_client.post(f"/closures/{row.id}/lift",
                             data={"csrf_token": token}).status_code == 409
    actions = [(a.action, a.entity, a.entity_id) for a in session.exec(
        select(AuditLog).where(AuditLog.entity == "road_closure").order_by(AuditLog.id))]
    assert actions == [("create", "road_closure", row.id), ("lift", "road_closure", row.id)]


def test_a_place_of_the_town_gives_the_point(staff_client: FlaskClient,
                                            session: Session) -> None:
    place = session.exec(select(Place).where(Place.kind == PlaceKind.HOSPITAL)).first()
    home = session.exec(select(Place).where(Place.kind == PlaceKind.HOME)).first()
    data = _form(staff_client, place1=str(place.id), lat="", lon="")
    assert staff_client.post("/closures", data=data).status_code == 302
    [row] = _closures(session)
    assert (row.lat, row.lon) == (round(place.lat, 6), round(place.lon, 6))
    refused = staff_client.post("/closures", data=_form(staff_client, place1=str(home.id)))
    assert refused.status_code == 400  # a home is private: never a choice
    assert len(_closures(session)) == 1


@pytest.mark.parametrize(("changes", "said"), [
    ({"day": (TODAY - timedelta(days=1)).isoformat()}, "今日以降"),
    ({"day": (TODAY + timedelta(days=400)).isoformat()}, "までの日付"),
    ({"radius_m": "0"}, "10〜20000"),
    ({"radius_m": "abc"}, "数値"),
    ({"lat": "42.50", "lon": "144.50"}, "50 km"),  # the sea off Kushiro, 300 km away
    ({"lat": "95", "lon": "141.67"}, "50 km"),
    ({"lat": "", "lon": ""}, "緯度と経度"),
    ({"kind": "segment"}, "緯度と経度"),  # a stretch needs its second end
    ({"kind": "segment", "lat2": "45.40", "lon2": "141.67"}, "同じ地点"),
    ({"note": "あ" * 201}, "200文字"),
    ({"note": "工事\u202e中"}, "見えない文字"),
    ({"place1": "999999"}, "一覧から"),
])
def test_bad_input_is_a_translated_400_and_nothing_is_stored(
        staff_client: FlaskClient, session: Session, changes: dict, said: str) -> None:
    answer = staff_client.post("/closures", data=_form(staff_client, **changes))
    assert answer.status_code == 400
    assert said in answer.get_data(as_text=True)
    assert _closures(session) == []
    assert session.exec(select(AuditLog).where(AuditLog.entity == "road_closure")).all() == []


def test_markup_in_the_note_is_shown_as_text(staff_client: FlaskClient,
                                             session: Session) -> None:
    note = '<script>alert(1)</script><b onmouseover="x">橋</b>'
    assert staff_client.post("/closures", data=_form(staff_client, note=note)).status_code == 302
    page = staff_client.get("/closures").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_without_a_token_nothing_is_stored(staff_client: FlaskClient, session: Session) -> None:
    data = _form(staff_client)
    data.pop("csrf_token")
    assert staff_client.post("/closures", data=data).status_code == 400
    assert _closures(session) == []


def test_only_staff_reach_the_page(client: FlaskClient, session: Session, demo: None) -> None:
    assert client.get("/closures").status_code == 302  # to the staff sign-in
    _sign_in(client, session, "鈴木")  # a rider on their phone
    assert client.get("/me/rides").status_code == 200
    answer = client.get("/closures")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert client.post("/closures", data={"day": TOMORROW.isoformat()}).status_code in (302, 400)
    assert _closures(session) == []


def test_another_towns_closure_cannot_be_lifted(staff_client: FlaskClient,
                                                session: Session) -> None:
    from tests.factories import small_town

    other = small_town(session, slug="other")
    row = add_closure(session, other["staff"], ClosureInput(
        TOMORROW, ClosureKind.AREA, 44.88, 141.74, 200, "よその町"), TODAY)
    token = csrf_token(staff_client.get("/closures").get_data(as_text=True))
    assert "よその町" not in staff_client.get("/closures").get_data(as_text=True)
    assert staff_client.post(f"/closures/{row.id}/lift",
                             data={"csrf_token": token}).status_code == 404
    assert _closures(session)[0].lifted_at is None


def test_without_road_data_a_crossed_leg_puts_its_rides_at_risk(staff_client: FlaskClient,
                                                                session: Session) -> None:
    town_id = session.exec(select(StaffUser).where(StaffUser.username == "madoguchi")
                           ).one().town_id
    assert plan_day(session, town_id, TOMORROW, TOKYO, time_limit_s=2,
                    deterministic=True).served  # the demo's rides of tomorrow, planned
    routes = routes_on(session, town_id, TOMORROW)
    a, b = next((x, y) for r in routes for x, y in zip(r.stops, r.stops[1:], strict=False)
                if y.stop.request_id is not None and (x.place.lat, x.place.lon) != (
                    y.place.lat, y.place.lon))
    middle = {"lat": f"{(a.place.lat + b.place.lat) / 2:.6f}",
              "lon": f"{(a.place.lon + b.place.lon) / 2:.6f}", "radius_m": "200"}
    day = TOMORROW.isoformat()
    answer = staff_client.post("/closures", data=_form(staff_client, day=day, **middle))
    page = staff_client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "予定の乗車" in page and "ドライバーに電話" in page, page
    board = staff_client.get(f"/dashboard?day={day}").get_data(as_text=True)
    assert "通行止めの影響（道路データなし、要確認）" in board
