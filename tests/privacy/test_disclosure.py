"""A resident's data: disclosed as JSON on request, erased on request (rides kept anonymous,
promised rides cancelled and their drivers told); admins only; both audited."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import (
    Driver,
    Notification,
    NotificationState,
    Offer,
    OfferStatus,
    RequestStatus,
    Resident,
    ResidentConsent,
    ResidentPhone,
    RideRequest,
    Vehicle,
    utcnow,
)
from carshare.services import anonymise
from tests.conftest import csrf_token
from tests.factories import small_town
from tests.privacy.conftest import audit_rows, last_audit_id

PAGE = "/privacy/residents/{id}"


def _post(client: FlaskClient, resident_id: int, action: str, **fields: str):  # type: ignore[no-untyped-def]
    page = client.get(PAGE.format(id=resident_id)).get_data(as_text=True)
    data = {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(f"{PAGE.format(id=resident_id)}/{action}",
                       data={**data, "csrf_token": csrf_token(page)})


def test_the_disclosure_holds_everything_about_the_resident(
        admin: FlaskClient, session: Session, town: dict[str, Any], ride: RideRequest) -> None:
    rider = town["riders"][0]
    before = last_audit_id(session)
    response = _post(admin, rider.id, "export", reason="本人からの開示請求（6月3日付）")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["resident"]["family_name"] == "利用0"
    assert [p["e164"] for p in data["phones"]] == ["+81163221000"]
    assert {c["scope"] for c in data["consents"]} == {"rides", "needs", "provider_abroad",
                                                       "caregiver"}
    assert [r["id"] for r in data["rides"]] == [ride.id]
    assert data["home"]["id"] == rider.home_place_id
    assert any(a["action"] == "create" for a in data["audit_log"])
    assert data["driver"] is None and data["notifications"] is not None
    other = town["riders"][1]
    assert all(r["rider_id"] == rider.id for r in data["rides"])
    assert str(other.id) not in {str(p["resident_id"]) for p in data["phones"]}
    [entry] = audit_rows(session, before, action="export")
    assert entry.resident_id == rider.id and entry.reason.startswith("disclosure: 本人")


def test_a_driver_disclosure_holds_the_car_and_offers_but_no_secrets(
        admin: FlaskClient, town: dict[str, Any]) -> None:
    person = town["driver"].resident_id
    data = json.loads(_post(admin, person, "export", reason="開示請求").get_data(as_text=True))
    assert data["driver"]["id"] == town["driver"].id and "calendar_token_hash" not in data["driver"]
    assert [v["plate"] for v in data["vehicles"]] == ["teshio 1"]
    assert [o["id"] for o in data["offers"]] == [town["offer"].id]


@pytest.mark.parametrize("reason", ["", "  ", "ab"])
def test_a_disclosure_needs_a_reason(admin: FlaskClient, session: Session,
                                     town: dict[str, Any], reason: str) -> None:
    before = last_audit_id(session)
    response = _post(admin, town["riders"][0].id, "export", reason=reason)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert audit_rows(session, before, action="export") == []


def test_staff_who_are_not_admins_get_403(staff: FlaskClient, session: Session,
                                         town: dict[str, Any]) -> None:
    rider = town["riders"][0]
    token = csrf_token(staff.get("/dashboard").get_data(as_text=True))
    before = last_audit_id(session)
    assert staff.get(PAGE.format(id=rider.id)).status_code == 403
    for action in ("export", "erase"):
        response = staff.post(f"{PAGE.format(id=rider.id)}/{action}", data={
            "csrf_token": token, f"{action}-reason": "見たい", f"{action}-confirmation":
            str(rider.id)})
        assert response.status_code == 403
    assert staff.get("/privacy/retention").status_code == 403
    assert audit_rows(session, before) == []
    session.expire_all()
    assert session.get(Resident, rider.id).family_name == "利用0"


def test_other_towns_residents_are_not_found(admin: FlaskClient, session: Session,
                                             town: dict[str, Any]) -> None:
    elsewhere = small_town(session, slug="elsewhere")["riders"][0]
    assert admin.get(PAGE.format(id=elsewhere.id)).status_code == 404
    assert admin.get(PAGE.format(id=999999)).status_code == 404


def test_erasure_cancels_promised_rides_tells_drivers_and_keeps_rides_anonymous(
        admin: FlaskClient, session: Session, town: dict[str, Any], ride: RideRequest) -> None:
    rider = town["riders"][0]
    before = last_audit_id(session)
    response = _post(admin, rider.id, "erase", reason="本人の削除請求", confirmation=str(rider.id))
    assert response.status_code == 302
    session.expire_all()
    erased = session.get(Resident, rider.id)
    assert erased.family_name == anonymise.ANON_NAME and erased.anonymised_at is not None
    assert not erased.active and erased.staff_notes == "" and erased.family_name_kana == ""
    for model in (ResidentPhone, ResidentConsent):
        assert session.exec(select(model).where(model.resident_id == rider.id)).all() == []
    stored = session.get(RideRequest, ride.id)
    assert stored.status == RequestStatus.CANCELLED and stored.outcome_code == "rider_cancel"
    assert stored.anonymised_at is not None and stored.outcome_reason == ""
    told = session.exec(select(Notification).where(
        Notification.template == "driver_change",
        Notification.resident_id == town["driver"].resident_id)).all()
    assert told, "the driver is told through the usual cancel flow"
    for row in session.exec(select(Notification).where(Notification.resident_id == rider.id)):
        assert row.recipient == "+0" and row.state != NotificationState.PENDING
    actions = [(r.action, r.resident_id) for r in audit_rows(session, before)]
    assert ("cancel", rider.id) in actions and ("erase", rider.id) in actions
    [entry] = audit_rows(session, before, action="erase")
    assert entry.reason == "erasure: 本人の削除請求; 1 rides cancelled"
    page = admin.get(PAGE.format(id=rider.id)).get_data(as_text=True)
    assert "erase-confirmation" not in page  # nothing left to erase


@pytest.mark.parametrize(("fields", "status"), [
    ({"reason": "削除請求", "confirmation": "0"}, 400),
    ({"reason": "削除請求", "confirmation": ""}, 400),
    ({"reason": "", "confirmation": "{id}"}, 400),
])
def test_erasure_needs_the_confirmation_and_a_reason(
        admin: FlaskClient, session: Session, town: dict[str, Any], ride: RideRequest,
        fields: dict[str, str], status: int) -> None:
    rider = town["riders"][0]
    before = last_audit_id(session)
    filled = {k: v.format(id=rider.id) for k, v in fields.items()}
    assert _post(admin, rider.id, "erase", **filled).status_code == status
    session.expire_all()
    assert session.get(Resident, rider.id).family_name == "利用0"
    assert session.get(RideRequest, ride.id).status == RequestStatus.CONFIRMED
    assert audit_rows(session, before, action="erase") == []
    assert audit_rows(session, before, action="cancel") == []


def test_a_failed_erasure_changes_nothing(admin: FlaskClient, session: Session,
                                          town: dict[str, Any], ride: RideRequest,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    rider = town["riders"][0]
    page = admin.get(PAGE.format(id=rider.id)).get_data(as_text=True)
    before = last_audit_id(session)

    def broken(*_args: object) -> bool:
        raise RuntimeError("connection lost")

    monkeypatch.setattr("carshare.services.privacy.anonymise_resident", broken)
    response = admin.post(f"{PAGE.format(id=rider.id)}/erase", data={
        "csrf_token": csrf_token(page), "erase-reason": "削除請求",
        "erase-confirmation": str(rider.id)})
    assert response.status_code == 500
    session.expire_all()
    assert session.get(RideRequest, ride.id).status == RequestStatus.CONFIRMED
    assert session.get(Resident, rider.id).family_name == "利用0"
    assert audit_rows(session, before) == []


def test_a_driver_with_booked_riders_is_not_erased(admin: FlaskClient, session: Session,
                                                   town: dict[str, Any],
                                                   ride: RideRequest) -> None:
    person = town["driver"].resident_id
    response = _post(admin, person, "erase", reason="削除請求", confirmation=str(person))
    assert response.status_code == 409
    session.expire_all()
    assert session.get(Resident, person).anonymised_at is None


def test_erasing_a_driver_withdraws_their_offers_and_forgets_the_car(
        admin: FlaskClient, session: Session, town: dict[str, Any]) -> None:
    person = town["driver"].resident_id
    response = _post(admin, person, "erase", reason="退会と削除の請求", confirmation=str(person))
    assert response.status_code == 302
    session.expire_all()
    offer, car = session.get(Offer, town["offer"].id), session.get(Vehicle, town["car"].id)
    assert offer.status == OfferStatus.WITHDRAWN and offer.note == ""
    assert car.plate == f"{anonymise.ANON_NAME}-{car.id}" and not car.active
    assert not session.get(Driver, town["driver"].id).active


def test_a_disclosure_never_holds_a_sign_in_secret(admin: FlaskClient, session: Session,
                                                   town: dict[str, Any]) -> None:
    from datetime import datetime, time

    from carshare.services.resident_auth import CodePolicy, request_code
    from carshare.timeutil import TOKYO

    rider = town["riders"][0]
    policy = CodePolicy(key="testing-secret-key", hours=(time(8), time(20)), tz=TOKYO)
    day = datetime.combine(utcnow().astimezone(TOKYO).date(), time(10), tzinfo=TOKYO)
    assert request_code(session, town["town"].id, "01632-2-1000", day, policy)
    text = _post(admin, rider.id, "export", reason="開示請求").get_data(as_text=True)
    data = json.loads(text)
    [sent] = [n for n in data["notifications"] if n["template"] == "signin_code"]
    assert sent["payload"]["nonce"] == "******" and "code" not in sent["payload"]
    assert "code_hash" not in text and "token_hash" not in text


@pytest.mark.parametrize(("action", "fields"), [
    ("export", {"reason": "開示\x00請求"}),
    ("erase", {"reason": "削除\x00請求", "confirmation": "{id}"}),
    ("erase", {"reason": "削除請求", "confirmation": "{id}\x1b"}),
])
def test_control_characters_are_refused_and_nothing_is_written(
        admin: FlaskClient, session: Session, town: dict[str, Any], action: str,
        fields: dict[str, str]) -> None:
    rider = town["riders"][0]
    before = last_audit_id(session)
    filled = {k: v.format(id=rider.id) for k, v in fields.items()}
    assert _post(admin, rider.id, action, **filled).status_code == 400
    assert audit_rows(session, before, action=action) == []
    session.expire_all()
    assert session.get(Resident, rider.id).anonymised_at is None


def test_the_privacy_page_shows_each_consent_with_who_recorded_it(
        admin: FlaskClient, session: Session, town: dict[str, Any]) -> None:
    rider = town["riders"][0]
    consent = session.exec(select(ResidentConsent).where(
        ResidentConsent.resident_id == rider.id)).first()
    consent.recorded_by_id = town["staff"].id
    session.add(consent)
    session.commit()
    before = last_audit_id(session)
    html = admin.get(PAGE.format(id=rider.id)).get_data(as_text=True)
    assert "職員" in html and "書面で" in html  # the recorder's name, how it was given
    [entry] = audit_rows(session, before, action="view")
    assert (entry.resident_id, entry.reason) == (rider.id, "privacy page")


def test_an_erased_resident_cannot_be_erased_again(admin: FlaskClient, session: Session,
                                                   town: dict[str, Any]) -> None:
    rider = town["riders"][1]
    assert _post(admin, rider.id, "erase", reason="削除請求",
                 confirmation=str(rider.id)).status_code == 302
    page = admin.get(PAGE.format(id=rider.id)).get_data(as_text=True)
    before = last_audit_id(session)
    response = admin.post(f"{PAGE.format(id=rider.id)}/erase", data={
        "csrf_token": csrf_token(page), "erase-reason": "もう一度",
        "erase-confirmation": str(rider.id)})
    assert response.status_code == 409
    assert audit_rows(session, before, action="erase") == []


def test_an_admin_of_several_towns_works_in_the_town_switched_to(
        admin: FlaskClient, session: Session, town: dict[str, Any]) -> None:
    from carshare.models import StaffTown, StaffUser, Town

    other = small_town(session, slug="elsewhere")
    chief = session.exec(select(StaffUser).where(StaffUser.username == "chief")).one()
    session.add(StaffTown(staff_user_id=chief.id, town_id=other["town"].id))
    session.commit()
    home_rider, far_rider = town["riders"][0], other["riders"][0]
    assert admin.get(PAGE.format(id=far_rider.id)).status_code == 404
    token = csrf_token(admin.get("/dashboard").get_data(as_text=True))
    assert admin.post("/town", data={"csrf_token": token, "town_id": other["town"].id}
                      ).status_code == 302
    g.pop("_login_user", None)  # the test's app context is shared: reload the user
    assert admin.get(PAGE.format(id=home_rider.id)).status_code == 404
    before = last_audit_id(session)
    assert _post(admin, far_rider.id, "export", reason="開示請求").status_code == 200
    [entry] = audit_rows(session, before, action="export")
    assert entry.town_id == other["town"].id
    page = admin.get("/privacy/retention").get_data(as_text=True)
    admin.post("/privacy/retention", data={"csrf_token": csrf_token(page), "days": "500"})
    session.expire_all()
    assert session.get(Town, other["town"].id).retention_days == 500
    assert session.get(Town, town["town"].id).retention_days == 1095
