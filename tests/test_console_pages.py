"""The console pages through HTTP: translated errors and 4xx on bad input, never a 500."""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import AuditLog, Resident, RideRequest
from carshare.timeutil import TOKYO, local_today
from tests.conftest import csrf_token


def _next(weekday: int):  # type: ignore[no-untyped-def]
    day = local_today(TOKYO) + timedelta(days=8)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def test_call_search_fragment_finds_by_full_width_number(staff_client: FlaskClient,
                                                          session: Session) -> None:
    html = staff_client.get("/call/search?q=０１６３２－２－１０３７").get_data(as_text=True)
    assert "鈴木 清" in html and "/book/" in html
    assert session.exec(select(AuditLog).where(AuditLog.action == "search")).first()


def test_new_caller_bad_phone_is_a_translated_400(staff_client: FlaskClient) -> None:
    token = csrf_token(staff_client.get("/residents/new").get_data(as_text=True))
    response = staff_client.post("/residents/new", data={
        "csrf_token": token, "family_name": "新井", "given_name": "一",
        "family_name_kana": "あらい", "given_name_kana": "はじめ", "phone": "12345",
        "settlement": "天塩"})
    assert response.status_code == 400
    assert "正しい電話番号ではありません。" in response.get_data(as_text=True)


def test_new_caller_is_registered_and_booked_for(staff_client: FlaskClient,
                                                 session: Session) -> None:
    token = csrf_token(staff_client.get("/residents/new").get_data(as_text=True))
    response = staff_client.post("/residents/new", data={
        "csrf_token": token, "family_name": "新井", "given_name": "一",
        "family_name_kana": "あらい", "given_name_kana": "はじめ",
        "phone": "０９０－５５５５－１２１２", "settlement": "天塩"})
    assert response.status_code == 302 and "/book/" in response.headers["Location"]
    resident = session.exec(select(Resident).where(Resident.family_name == "新井")).one()
    assert resident.family_name_kana == "アライ" and resident.contact_channel == "sms"


def _book_form(client: FlaskClient, resident_id: int) -> dict:
    html = client.get(f"/book/{resident_id}").get_data(as_text=True)
    home = re.search(r'<select[^>]*id="pickup_place_id".*?<option[^>]*value="(\d+)"', html, re.S)
    hospital = re.search(r'<option[^>]*value="(\d+)"[^>]*>市立稚内病院', html)
    return {"csrf_token": csrf_token(html), "pickup_place_id": home.group(1),
            "dropoff_place_id": hospital.group(1), "window_kind": "arrive_by",
            "party_size": "1", "return_mode": "open"}


def _suzuki(session: Session) -> int:
    return session.exec(select(Resident.id).where(Resident.family_name == "鈴木")).one()


def test_booking_errors_are_shown_next_to_the_field(staff_client: FlaskClient,
                                                    session: Session) -> None:
    rider = _suzuki(session)
    form = _book_form(staff_client, rider)
    past = (local_today(TOKYO) - timedelta(days=2)).isoformat()
    response = staff_client.post(f"/book/{rider}", data={**form, "day": past, "clock": "10:00"})
    assert response.status_code == 400
    assert "この時刻はすでに過ぎています。" in response.get_data(as_text=True)
    response = staff_client.post(f"/book/{rider}", data={**form, "day": "2026-13-45",
                                                         "clock": "25:00", "party_size": "0"})
    assert response.status_code == 400
    assert "1人から8人までです。" in response.get_data(as_text=True)


def test_book_confirm_and_summary(staff_client: FlaskClient, session: Session) -> None:
    rider = _suzuki(session)
    form = _book_form(staff_client, rider)
    response = staff_client.post(f"/book/{rider}", data={**form, "day": _next(1).isoformat(),
                                                         "clock": "10:00"})
    assert response.status_code == 302
    options = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    offer_id = re.search(r'name="offer_id" value="(\d+)"', options).group(1)
    request_id = int(re.search(r"/requests/(\d+)/", response.headers["Location"]).group(1))
    confirmed = staff_client.post(f"/requests/{request_id}/confirm",
                                  data={"csrf_token": csrf_token(options), "offer_id": offer_id})
    assert confirmed.status_code == 302
    summary = staff_client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert "確定" in summary
    assert session.get(RideRequest, request_id).status == "confirmed"
    again = staff_client.get(f"/requests/{request_id}/options")
    assert again.status_code == 302  # no quote for a ride that is already booked


def test_other_towns_records_are_not_found(staff_client: FlaskClient) -> None:
    for path in ("/book/999999", "/requests/999999", "/requests/999999/options",
                 "/trips/999999", "/requests/999999/slip"):
        assert staff_client.get(path).status_code == 404, path


def test_pages_without_sign_in_redirect(client: FlaskClient) -> None:
    for path in ("/call", "/call-list", "/weather", "/book/1"):
        assert client.get(path).status_code == 302, path


def test_replan_runs_in_the_background_and_shows_progress(staff_client: FlaskClient,
                                                          session: Session) -> None:
    import time

    from carshare.models import PlanningRun

    html = staff_client.get("/dashboard").get_data(as_text=True)
    day = (local_today(TOKYO) + timedelta(days=1)).isoformat()
    response = staff_client.post("/dashboard/replan", data={"csrf_token": csrf_token(html),
                                                            "day": day})
    assert response.status_code == 302 and "/dashboard/replan/" in response.headers["Location"]
    page = staff_client.get(response.headers["Location"])
    assert page.status_code == 200
    run_id = int(response.headers["Location"].rsplit("/", 1)[1])
    for _ in range(300):
        session.expire_all()
        if session.get(PlanningRun, run_id).status != "running":
            break
        time.sleep(0.1)
    status = staff_client.get(f"/dashboard/replan/{run_id}/status").get_data(as_text=True)
    assert "完了：配車" in status and "変更のあった利用者" in status
    assert session.get(PlanningRun, run_id).status == "done"
    said = [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", status)]
    assert said and len(set(said)) == len(said)  # a rider's two rides: told apart by the time
    assert all(re.search(r"（\d\d:\d\d(までに到着|以降に迎え)）: ", line) for line in said), said


def test_book_again_after_a_cancellation_is_prefilled(staff_client: FlaskClient,
                                                      session: Session) -> None:
    request = session.exec(select(RideRequest).where(RideRequest.outbound_id.is_(None),
                                                     RideRequest.window_kind == "arrive_by")
                           ).first()
    html = staff_client.get(f"/book/{request.rider_id}?again={request.id}").get_data(as_text=True)
    clock = request.window_end.astimezone(TOKYO).strftime("%H:%M")
    assert f'value="{clock}"' in html
    selected = re.search(r'<option selected value="(\d+)">[^<]*</option>', html) or re.search(
        r'<option value="(\d+)" selected>', html)
    assert selected is not None
