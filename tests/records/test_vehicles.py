"""Vehicles: seats, wheelchair spaces, fuel economy, colour, model and a unique plate."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import Town, Vehicle
from tests.records.conftest import a_driver, an_offer, audits, book_on, submit, text

NEW = "/records/vehicles/new"


def car(**changes: Any) -> dict[str, Any]:
    """A valid car as the form posts it (the driver is added by each test)."""
    return {"colour": "緑", "make_model": "日産 セレナ", "plate": "旭川　５００　さ　１２－３４",
            "seats": "６", "wheelchair_spaces": "1", "fuel_economy_km_per_l": "１３．５",
            **changes}


def plate(session: Session, text_: str) -> Vehicle | None:
    session.expire_all()
    return session.exec(select(Vehicle).where(Vehicle.plate == text_)).first()


def test_add_a_car_typed_with_full_width_characters(staff_client: FlaskClient, session: Session,
                                                    teshio: Town) -> None:
    driver, resident = a_driver(session, teshio)
    assert f'<option selected value="{driver.id}">' in text(
        staff_client.get(NEW, query_string={"driver_id": driver.id}))
    response = submit(staff_client, NEW, car(driver_id=driver.id))
    assert response.status_code == 302
    added = plate(session, "旭川 500 さ 12-34")
    assert (added.driver_id, added.seats, added.wheelchair_spaces) == (driver.id, 6, 1)
    assert added.fuel_economy_km_per_l == 13.5 and added.active
    assert audits(session, "create", "vehicle")[0].resident_id == resident.id
    html = text(staff_client.get("/records/vehicles", query_string={"q": "セレナ"}))
    assert "旭川 500 さ 12-34" in html and resident.family_name in html


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"seats": "0"}, "seats", "1〜9席で入力してください。"),
    ({"seats": "12"}, "seats", "1〜9席で入力してください。"),
    ({"seats": "three"}, "seats", "整数で入力してください。"),
    ({"wheelchair_spaces": "7"}, "wheelchair_spaces", "座席数より多くできません"),
    ({"fuel_economy_km_per_l": "0"}, "fuel_economy_km_per_l", "1〜99 km/L"),
    ({"fuel_economy_km_per_l": "abc"}, "fuel_economy_km_per_l", "数字で入力してください"),
    ({"colour": ""}, "colour", "車の色を入力してください。"),
    ({"plate": "旭川 500 あ 11-23"}, "plate", "このナンバーはすでに登録されています。"),
])
def test_bad_cars_are_refused_next_to_the_field(staff_client: FlaskClient, session: Session,
                                                teshio: Town, changes: dict[str, Any],
                                                field: str, message: str) -> None:
    driver, _ = a_driver(session, teshio)
    response = submit(staff_client, NEW, car(driver_id=driver.id, **changes))
    html = text(response)
    assert response.status_code == 400 and message in html
    assert f'id="{field}-error"' in html
    assert plate(session, "旭川 500 さ 12-34") is None


def test_edit_a_car(staff_client: FlaskClient, session: Session, teshio: Town) -> None:
    driver, _ = a_driver(session, teshio)
    vehicle = session.exec(select(Vehicle).where(Vehicle.driver_id == driver.id)).first()
    url = f"/records/vehicles/{vehicle.id}"
    assert vehicle.plate in text(staff_client.get(url))
    response = submit(staff_client, url, car(plate=vehicle.plate, colour="金"))
    assert response.status_code == 302
    session.expire_all()
    changed = session.get(Vehicle, vehicle.id)
    assert changed.colour == "金" and changed.seats == 6 and changed.driver_id == driver.id
    assert "colour" in audits(session, "update", "vehicle")[0].reason


def test_a_car_with_booked_riders_stays_in_service(staff_client: FlaskClient, session: Session,
                                                   teshio: Town) -> None:
    driver, _ = a_driver(session, teshio)
    offer = an_offer(session, driver)
    url = f"/records/vehicles/{offer.vehicle_id}"
    book_on(session, offer)
    response = submit(staff_client, f"{url}/deactivate", {}, page=url)
    assert response.status_code == 409 and "予約中の乗車があります" in text(response)
    session.expire_all()
    assert session.get(Vehicle, offer.vehicle_id).active


def test_take_a_car_out_of_service(staff_client: FlaskClient, session: Session,
                                   teshio: Town) -> None:
    driver, _ = a_driver(session, teshio)
    submit(staff_client, NEW, car(driver_id=driver.id))
    added = plate(session, "旭川 500 さ 12-34")
    url = f"/records/vehicles/{added.id}"
    assert submit(staff_client, f"{url}/deactivate", {}, page=url).status_code == 302
    assert not plate(session, "旭川 500 さ 12-34").active
    assert "12-34" not in text(staff_client.get("/records/vehicles"))
    assert "12-34" in text(staff_client.get("/records/vehicles", query_string={"inactive": "1"}))


def test_another_towns_car_is_not_found(staff_client: FlaskClient,
                                        other_town: dict[str, Any]) -> None:
    url = f"/records/vehicles/{other_town['car'].id}"
    assert staff_client.get(url).status_code == 404
    assert submit(staff_client, url, car(), page=NEW).status_code == 404
    assert submit(staff_client, f"{url}/deactivate", {}, page=NEW).status_code == 404
    response = submit(staff_client, NEW, car(driver_id=other_town["driver"].id))
    assert response.status_code == 400


def test_a_car_comes_back_into_service(staff_client: FlaskClient, session: Session,
                                       teshio: Town) -> None:
    driver, _ = a_driver(session, teshio)
    submit(staff_client, NEW, car(driver_id=driver.id))
    url = f"/records/vehicles/{plate(session, '旭川 500 さ 12-34').id}"
    submit(staff_client, f"{url}/deactivate", {}, page=url)
    assert submit(staff_client, f"{url}/reactivate", {}, page=url).status_code == 302
    assert plate(session, "旭川 500 さ 12-34").active
    assert audits(session, "reactivate", "vehicle")
