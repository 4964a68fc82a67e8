"""Offers: one date or a weekly pattern, times in order, seats the car has; booked riders kept."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import Offer, OfferStatus, Place, Town, Vehicle
from carshare.timeutil import local_today
from tests.records.conftest import a_driver, an_offer, audits, book_on, submit, text

NEW = "/records/offers/new"
SOON = local_today() + timedelta(days=3)


@pytest.fixture
def base(session: Session, teshio: Town) -> dict[str, Any]:
    """A valid one-date offer of the demo town's first driver, as the form posts it."""
    driver, _ = a_driver(session, teshio)
    car = session.exec(select(Vehicle).where(Vehicle.driver_id == driver.id)).first()
    home = session.exec(select(Place).where(Place.name.startswith(_name(session, driver)))).one()
    hospital = session.exec(select(Place).where(Place.name == "市立稚内病院")).one()
    return {"vehicle_id": car.id, "service_date": SOON.isoformat(), "weekday": "",
            "valid_from": "", "valid_until": "", "depart_after": "08:00", "return_by": "15:00",
            "start_place_id": home.id, "end_place_id": home.id,
            "destination_place_id": hospital.id, "arrive_by": "10:00", "leave_after": "13:00",
            "seats": "2", "wheelchair_spaces": "0", "extra_minutes": "40",
            "note": "稚内で通院", "_car": car}


def _name(session: Session, driver: Any) -> str:
    from carshare.models import Resident

    resident = session.get(Resident, driver.resident_id)
    return f"{resident.family_name} {resident.given_name}"


def form(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {k: v for k, v in {**base, **changes}.items() if not k.startswith("_")}


def noted(session: Session, note: str) -> Offer | None:
    session.expire_all()
    return session.exec(select(Offer).where(Offer.note == note)).first()


def test_add_a_one_date_offer(staff_client: FlaskClient, session: Session,
                              base: dict[str, Any]) -> None:
    response = submit(staff_client, NEW, form(base, auto_accept="y"))
    assert response.status_code == 302
    offer = noted(session, "稚内で通院")
    assert (offer.service_date, offer.weekday, offer.depart_after) == (SOON, None, time(8))
    assert offer.driver_id == base["_car"].driver_id and offer.auto_accept
    assert offer.status == OfferStatus.ACTIVE and audits(session, "create", "offer")
    assert "稚内で通院" not in text(staff_client.get("/records/offers"))  # the list shows times
    assert f"/records/offers/{offer.id}" in text(staff_client.get("/records/offers"))


def test_add_a_weekly_offer_with_its_range(staff_client: FlaskClient, session: Session,
                                           base: dict[str, Any]) -> None:
    until = SOON + timedelta(days=60)
    response = submit(staff_client, NEW, form(base, service_date="", weekday="1",
                                              valid_from=SOON.isoformat(),
                                              valid_until=until.isoformat()))
    assert response.status_code == 302
    offer = noted(session, "稚内で通院")
    assert (offer.service_date, offer.weekday, offer.valid_until) == (None, 1, until)
    assert "毎週火曜日" in text(staff_client.get("/records/offers"))


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"weekday": "2"}, "weekday", "日付か曜日のどちらか一方だけを選んでください。"),
    ({"service_date": ""}, "service_date", "日付を入力するか"),
    ({"valid_until": SOON.isoformat()}, "valid_from", "毎週の予定のときだけ"),
    ({"service_date": "", "weekday": "2", "valid_from": SOON.isoformat(),
      "valid_until": (SOON - timedelta(days=1)).isoformat()}, "valid_until", "終了日は開始日"),
    ({"service_date": (SOON - timedelta(days=30)).isoformat()}, "service_date", "過ぎています"),
    ({"weekday": "9", "service_date": ""}, "weekday", "一覧から選んでください。"),
    ({"return_by": "07:30"}, "return_by", "戻り時刻は出発時刻より後にしてください。"),
    ({"return_by": "08:00"}, "return_by", "戻り時刻は出発時刻より後にしてください。"),
    ({"return_by": "25:00"}, "return_by", "08:30のように時刻を入力してください。"),
    ({"service_date": "2026-13-01"}, "service_date", "2026-06-03のように日付を入力してください。"),
    ({"seats": "8"}, "seats", "席で入力してください。"),
    ({"seats": "0"}, "seats", "1〜9席で入力してください。"),
    ({"extra_minutes": "601"}, "extra_minutes", "0〜600分で入力してください。"),
    ({"extra_minutes": "-5"}, "extra_minutes", "0〜600分で入力してください。"),
    ({"arrive_by": ""}, "arrive_by", "目的地に何時までに到着するか"),
    ({"arrive_by": "07:00"}, "arrive_by", "出発時刻から戻り時刻までの間"),
    ({"leave_after": "09:00"}, "leave_after", "到着時刻以降"),
    ({"leave_after": "16:00"}, "leave_after", "到着時刻以降"),
    ({"leave_after": ""}, "end_place_id", "片道の場合"),
    ({"destination_place_id": ""}, "arrive_by", "目的地を選ぶか"),
    ({"wheelchair_spaces": "5"}, "wheelchair_spaces", "車いすスペース"),
    ({"vehicle_id": "abc"}, "vehicle_id", "一覧から選んでください。"),
    ({"start_place_id": "999999"}, "start_place_id", "一覧から選んでください。"),
])
def test_bad_offers_are_refused_next_to_the_field(
        staff_client: FlaskClient, session: Session, base: dict[str, Any],
        changes: dict[str, Any], field: str, message: str) -> None:
    response = submit(staff_client, NEW, form(base, **changes))
    html = text(response)
    assert response.status_code == 400 and message in html and f'id="{field}-error"' in html
    assert noted(session, "稚内で通院") is None


def test_a_one_way_trip_ends_at_its_destination(staff_client: FlaskClient, session: Session,
                                               base: dict[str, Any]) -> None:
    one_way = form(base, leave_after="", end_place_id=base["destination_place_id"])
    assert submit(staff_client, NEW, one_way).status_code == 302
    offer = noted(session, "稚内で通院")
    assert (offer.arrive_by, offer.leave_after, offer.extra_minutes) == (time(10), None, 40)
    assert offer.end_place_id == offer.destination_place_id
    assert "片道" in text(staff_client.get("/records/offers"))


def test_edit_an_offer(staff_client: FlaskClient, session: Session,
                       base: dict[str, Any]) -> None:
    submit(staff_client, NEW, form(base))
    offer = noted(session, "稚内で通院")
    url = f"/records/offers/{offer.id}"
    assert 'value="08:00"' in text(staff_client.get(url))
    assert submit(staff_client, url, form(base, return_by="16:30")).status_code == 302
    assert noted(session, "稚内で通院").return_by == time(16, 30)
    assert "return_by" in audits(session, "update", "offer")[0].reason


def test_a_booked_offer_keeps_its_times_and_cannot_be_withdrawn(
        staff_client: FlaskClient, session: Session, teshio: Town) -> None:
    driver, _ = a_driver(session, teshio)
    offer = an_offer(session, driver)
    book_on(session, offer)
    url = f"/records/offers/{offer.id}"
    page = staff_client.get(url)
    assert page.status_code == 200
    import re

    values = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', text(page)))
    values.update({k: v for k, v in re.findall(
        r'<select id="(\w+)"[\s\S]*?<option selected value="([^"]*)"', text(page))})
    keep = {k: values.get(k, "") for k in ("vehicle_id", "service_date", "valid_from",
                                           "valid_until", "depart_after", "return_by",
                                           "start_place_id", "end_place_id",
                                           "destination_place_id", "arrive_by", "leave_after",
                                           "seats", "wheelchair_spaces", "extra_minutes",
                                           "weekday")}
    moved = submit(staff_client, url, {**keep, "depart_after": "06:00", "note": "x"})
    assert moved.status_code == 400 and "予約中の乗車があるため" in text(moved)
    assert submit(staff_client, url, {**keep, "note": "雪なら中止"}).status_code == 302
    session.expire_all()
    kept = session.get(Offer, offer.id)
    assert kept.note == "雪なら中止" and kept.depart_after == offer.depart_after
    response = submit(staff_client, f"{url}/withdraw", {}, page=url)
    assert response.status_code == 409
    session.expire_all()
    assert session.get(Offer, offer.id).status == OfferStatus.ACTIVE


def test_withdraw_an_offer(staff_client: FlaskClient, session: Session,
                           base: dict[str, Any]) -> None:
    submit(staff_client, NEW, form(base))
    offer = noted(session, "稚内で通院")
    url = f"/records/offers/{offer.id}"
    assert submit(staff_client, f"{url}/withdraw", {}, page=url).status_code == 302
    assert noted(session, "稚内で通院").status == OfferStatus.WITHDRAWN
    assert audits(session, "withdraw", "offer")
    assert url not in text(staff_client.get("/records/offers"))
    assert url in text(staff_client.get("/records/offers", query_string={"inactive": "1"}))
    assert submit(staff_client, url, form(base)).status_code == 400  # withdrawn stays so


def test_another_towns_offer_car_and_places_are_refused(
        staff_client: FlaskClient, session: Session, base: dict[str, Any],
        other_town: dict[str, Any]) -> None:
    url = f"/records/offers/{other_town['offer'].id}"
    assert staff_client.get(url).status_code == 404
    assert submit(staff_client, url, form(base), page=NEW).status_code == 404
    assert submit(staff_client, f"{url}/withdraw", {}, page=NEW).status_code == 404
    for changes in ({"vehicle_id": other_town["car"].id},
                    {"end_place_id": other_town["clinic"].id}):
        assert submit(staff_client, NEW, form(base, **changes)).status_code == 400
    assert noted(session, "稚内で通院") is None


def test_offer_places_are_facilities_and_drivers_homes(staff_client: FlaskClient,
                                                       session: Session,
                                                       base: dict[str, Any]) -> None:
    html = text(staff_client.get(NEW))
    home = session.get(Place, base["start_place_id"])
    assert home.name in html and "市立稚内病院" in html
    assert "佐藤 和子 宅" not in html  # a rider's home is not the form's business
