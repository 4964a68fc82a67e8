"""Drivers: documents shown red when expired or due within 30 days; role given and ended."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import Driver, Resident, Town
from carshare.services.records.common import expiry_state
from carshare.timeutil import local_today
from tests.records.conftest import a_driver, an_offer, audits, book_on, submit, text

TODAY = local_today()


def test_expiry_state_marks_past_and_the_next_30_days() -> None:
    today = date(2026, 6, 3)
    assert expiry_state(today - timedelta(days=1), today) == "expired"
    assert expiry_state(today, today) == "soon"
    assert expiry_state(today + timedelta(days=30), today) == "soon"
    assert expiry_state(today + timedelta(days=31), today) == "ok"


def test_list_shows_due_documents_in_red(staff_client: FlaskClient, session: Session,
                                         teshio: Town) -> None:
    driver, resident = a_driver(session, teshio)
    driver.licence_expiry = TODAY - timedelta(days=2)
    driver.insurance_expiry = TODAY + timedelta(days=10)
    session.add(driver)
    session.commit()
    html = text(staff_client.get("/records/drivers", query_string={"q": resident.family_name}))
    assert 'class="expiry expiry-expired"' in html and "期限切れ" in html
    assert 'class="expiry expiry-soon"' in html and "まもなく期限切れ" in html
    assert audits(session, "list", "driver")[0].resident_id == resident.id


def test_register_a_resident_as_driver(staff_client: FlaskClient, session: Session,
                                       teshio: Town) -> None:
    rider = session.exec(select(Resident).where(Resident.family_name == "佐藤")).one()
    expiry = (TODAY + timedelta(days=400)).isoformat()
    response = submit(staff_client, "/records/drivers/new", {
        "resident_id": rider.id, "licence_expiry": expiry, "insurance_expiry": expiry})
    assert response.status_code == 302
    driver = session.exec(select(Driver).where(Driver.resident_id == rider.id)).one()
    assert driver.active and driver.licence_expiry.isoformat() == expiry
    assert audits(session, "create", "driver")[0].resident_id == rider.id


def test_a_resident_can_be_a_driver_once(staff_client: FlaskClient, session: Session,
                                         teshio: Town) -> None:
    driver, _ = a_driver(session, teshio)
    response = submit(staff_client, "/records/drivers/new", {
        "resident_id": driver.resident_id, "licence_expiry": "2030-01-01",
        "insurance_expiry": "2030-01-01"})
    # a resident who already drives is not among the choices at all
    assert response.status_code == 400 and "一覧から選んでください。" in text(response)


def test_missing_or_impossible_dates_are_refused(staff_client: FlaskClient, session: Session,
                                                 teshio: Town) -> None:
    driver, _ = a_driver(session, teshio)
    url = f"/records/drivers/{driver.id}"
    response = submit(staff_client, url, {"licence_expiry": "", "insurance_expiry": "3030-01-01"})
    html = text(response)
    assert response.status_code == 400
    assert "運転免許証の有効期限を入力してください。" in html
    response = submit(staff_client, url, {"licence_expiry": "2030-02-30",
                                          "insurance_expiry": "3030-01-01"})
    assert response.status_code == 400
    response = submit(staff_client, url, {"licence_expiry": "2030-01-01",
                                          "insurance_expiry": "3030-01-01"})
    assert response.status_code == 400 and "日付を確認してください" in text(response)
    session.expire_all()
    assert session.get(Driver, driver.id).insurance_expiry.year < 3000


def test_edit_records_new_expiry_dates(staff_client: FlaskClient, session: Session,
                                       teshio: Town) -> None:
    driver, resident = a_driver(session, teshio)
    url = f"/records/drivers/{driver.id}"
    assert resident.family_name in text(staff_client.get(url))
    assert audits(session, "view", "driver")[0].resident_id == resident.id
    new = TODAY + timedelta(days=1000)
    response = submit(staff_client, url, {"licence_expiry": new.isoformat(),
                                          "insurance_expiry": new.isoformat()})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Driver, driver.id).licence_expiry == new
    assert "licence_expiry" in audits(session, "update", "driver")[0].reason


def test_a_driver_without_booked_riders_can_be_deactivated(staff_client: FlaskClient,
                                                           session: Session,
                                                           teshio: Town) -> None:
    driver, resident = a_driver(session, teshio)
    url = f"/records/drivers/{driver.id}"
    assert submit(staff_client, f"{url}/deactivate", {}, page=url).status_code == 302
    session.expire_all()
    assert not session.get(Driver, driver.id).active
    assert session.get(Resident, resident.id).active
    assert audits(session, "deactivate", "driver")[0].resident_id == resident.id


def test_another_towns_driver_is_not_found(staff_client: FlaskClient,
                                           other_town: dict[str, Any]) -> None:
    url = f"/records/drivers/{other_town['driver'].id}"
    assert staff_client.get(url).status_code == 404
    page = "/records/drivers/new"
    dates = {"licence_expiry": "2030-01-01", "insurance_expiry": "2030-01-01"}
    assert submit(staff_client, url, dates, page=page).status_code == 404
    assert submit(staff_client, f"{url}/deactivate", {}, page=page).status_code == 404
    response = submit(staff_client, page, {"resident_id": other_town["riders"][0].id,
                                           "licence_expiry": "2030-01-01",
                                           "insurance_expiry": "2030-01-01"})
    assert response.status_code == 400


def test_a_driver_with_booked_riders_stays(staff_client: FlaskClient, session: Session,
                                           teshio: Town) -> None:
    driver, _ = a_driver(session, teshio)
    book_on(session, an_offer(session, driver))
    url = f"/records/drivers/{driver.id}"
    response = submit(staff_client, f"{url}/deactivate", {}, page=url)
    assert response.status_code == 409 and "予約中の乗車があります" in text(response)
    resident_url = f"/records/residents/{driver.resident_id}"
    response = submit(staff_client, f"{resident_url}/deactivate", {}, page=resident_url)
    assert response.status_code == 409
    session.expire_all()
    assert session.get(Driver, driver.id).active
    assert audits(session, "deactivate", "driver") == []


def test_a_driver_role_comes_back_only_with_an_active_resident(
        staff_client: FlaskClient, session: Session, teshio: Town) -> None:
    driver, resident = a_driver(session, teshio)
    url, resident_url = f"/records/drivers/{driver.id}", f"/records/residents/{resident.id}"
    assert submit(staff_client, f"{resident_url}/deactivate", {}, page=url).status_code == 302
    response = submit(staff_client, f"{url}/reactivate", {}, page=url)
    assert response.status_code == 409 and "先に住民を有効にしてください" in text(response)
    submit(staff_client, f"{resident_url}/reactivate", {}, page=url)
    assert submit(staff_client, f"{url}/reactivate", {}, page=url).status_code == 302
    session.expire_all()
    assert session.get(Driver, driver.id).active
