"""Residents' records: search, register, edit, deactivate; validated, audited, town-scoped."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import PhoneKind, Resident, ResidentPhone, Town
from tests.records.conftest import audits, submit, text

NEW = "/records/residents/new"


def resident_form(**changes: Any) -> dict[str, Any]:
    """A valid new resident, as the form posts it."""
    return {"family_name": "北村", "given_name": "春子", "family_name_kana": "きたむら",
            "given_name_kana": "ﾊﾙｺ", "phone": "０９０－９８７６－５４３２",
            "phone_2": "01632-2-9999",
            "contact_channel": "sms", "language": "ja", "consent_rides": "y",
            "consent_rides_on": "2026-01-05", "consent_rides_how": "paper", "consent_needs": "y",
            "consent_needs_on": "2026-01-05", "consent_needs_how": "paper",
            "staff_notes": "耳が遠い", "driver_notes": "玄関前で", "walker": "y", **changes}


def find(session: Session, family_name: str) -> Resident | None:
    session.expire_all()
    return session.exec(select(Resident).where(Resident.family_name == family_name)).first()


@pytest.mark.parametrize("query", ["さとう", "サトウ", "ｻﾄｳ", "佐藤", "佐藤和子", "かずこ"])
def test_search_matches_kanji_and_every_kana_form(staff_client: FlaskClient, query: str) -> None:
    html = text(staff_client.get("/records/residents", query_string={"q": query}))
    assert "佐藤 和子" in html and "鈴木 清" not in html


def test_search_by_phone_in_any_form(staff_client: FlaskClient, session: Session) -> None:
    phone = session.exec(select(ResidentPhone).join(Resident).where(
        Resident.family_name == "佐藤")).first()
    national = "0" + phone.e164.removeprefix("+81")
    wide = national.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for query in (national, wide, national[-4:]):
        html = text(staff_client.get("/records/residents", query_string={"q": query}))
        assert "佐藤 和子" in html, query


def test_list_is_audited_per_resident_shown(staff_client: FlaskClient, session: Session) -> None:
    staff_client.get("/records/residents", query_string={"q": "さとう"})
    entries = audits(session, "list", "resident")
    assert len(entries) == 1 and entries[0].actor == "madoguchi" and entries[0].resident_id


def test_register_stores_e164_phones_with_their_kind(staff_client: FlaskClient,
                                                     session: Session) -> None:
    response = submit(staff_client, NEW, resident_form())
    assert response.status_code == 302
    resident = find(session, "北村")
    assert (resident.family_name_kana, resident.given_name_kana) == ("キタムラ", "ハルコ")
    assert resident.walker and not resident.wheelchair and resident.staff_notes == "耳が遠い"
    phones = session.exec(select(ResidentPhone).where(ResidentPhone.resident_id == resident.id)
                          .order_by(ResidentPhone.is_primary.desc())).all()
    assert [(p.e164, p.kind, p.is_primary) for p in phones] == [
        ("+819098765432", PhoneKind.MOBILE, True), ("+81163229999", PhoneKind.LANDLINE, False)]
    assert [e.resident_id for e in audits(session, "create", "resident")] == [resident.id]


@pytest.mark.parametrize(("changes", "message"), [
    ({"phone": "12345"}, "正しい電話番号ではありません。"),
    ({"phone_2": "090-9876-5432"}, "この番号はすでに上に入力されています。"),
    ({"family_name_kana": "Kitamura"}, "ひらがなかカタカナで入力してください。"),
    ({"given_name_kana": ""}, "よみがなを入力してください。"),
    ({"phone": "01632-2-9998", "phone_2": ""}, "SMSには携帯電話の番号が必要です。"),
    ({"caregiver_phone": "abc"}, "正しい電話番号ではありません。"),
    ({"consent_rides_on": "2099-01-01"}, "同意日に未来の日付は入力できません。"),
    ({"home_place_id": "999999"}, "一覧から選んでください。"),
    ({"contact_channel": "pigeon"}, "一覧から選んでください。"),
])
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
        staff_client: FlaskClient, session: Session, changes: dict[str, Any],
        message: str) -> None:
    response = submit(staff_client, NEW, resident_form(**changes))
    assert response.status_code == 400
    assert 'class="error"' in text(response) and message in text(response)
    assert find(session, "北村") is None and audits(session, "create", "resident") == []


def test_a_phone_of_another_resident_is_refused(staff_client: FlaskClient,
                                                session: Session) -> None:
    taken = session.exec(select(ResidentPhone)).first()
    response = submit(staff_client, NEW, resident_form(phone_2="+" + taken.e164[1:]))
    assert response.status_code == 400 and "すでに登録されています" in text(response)
    assert find(session, "北村") is None


def test_edit_shows_the_record_audited_and_saves_changes(staff_client: FlaskClient,
                                                         session: Session) -> None:
    submit(staff_client, NEW, resident_form())
    resident = find(session, "北村")
    url = f"/records/residents/{resident.id}"
    page = text(staff_client.get(url))
    assert "090-9876-5432" in page and "耳が遠い" in page
    assert [e.resident_id for e in audits(session, "view", "resident")][-1] == resident.id
    response = submit(staff_client, url, resident_form(
        phone="01632-2-9999", phone_2="", contact_channel="voice", wheelchair="y"))
    assert response.status_code == 302
    resident = find(session, "北村")
    phones = session.exec(select(ResidentPhone).where(ResidentPhone.resident_id == resident.id))
    assert [(p.e164, p.is_primary) for p in phones] == [("+81163229999", True)]
    assert resident.wheelchair and resident.contact_channel == "voice"
    update = audits(session, "update", "resident")[-1]
    assert update.resident_id == resident.id and "phones" in update.reason
    assert "01632" not in update.reason  # names of fields, never their values


def test_deactivate_keeps_the_record_and_hides_it(staff_client: FlaskClient,
                                                  session: Session) -> None:
    submit(staff_client, NEW, resident_form())
    resident = find(session, "北村")
    url = f"/records/residents/{resident.id}"
    response = submit(staff_client, f"{url}/deactivate", {}, page=url)
    assert response.status_code == 302
    resident = find(session, "北村")
    assert not resident.active and resident.left_at is not None
    listed = "北村 春子</a>"
    assert listed not in text(staff_client.get("/records/residents", query_string={"q": "北村"}))
    assert listed in text(staff_client.get("/records/residents",
                                           query_string={"q": "北村", "inactive": "1"}))
    assert audits(session, "deactivate", "resident")[-1].resident_id == resident.id


def test_a_resident_with_booked_rides_cannot_be_deactivated(staff_client: FlaskClient,
                                                            session: Session) -> None:
    from carshare.models import OPEN_STATUSES, RideRequest

    ride = session.exec(select(RideRequest).where(RideRequest.status.in_(OPEN_STATUSES))).first()
    url = f"/records/residents/{ride.rider_id}"
    response = submit(staff_client, f"{url}/deactivate", {}, page=url)
    assert response.status_code == 409 and "予約" in text(response)
    session.expire_all()
    assert session.get(Resident, ride.rider_id).active


def test_another_towns_resident_is_not_found(staff_client: FlaskClient, session: Session,
                                             other_town: dict[str, Any]) -> None:
    rider = other_town["riders"][0]
    url = f"/records/residents/{rider.id}"
    assert staff_client.get(url).status_code == 404
    assert submit(staff_client, url, resident_form(), page=NEW).status_code == 404
    assert submit(staff_client, f"{url}/deactivate", {}, page=NEW).status_code == 404
    assert "利用0 花</a>" not in text(staff_client.get("/records/residents",
                                                   query_string={"q": "リヨウ"}))
    session.expire_all()
    assert session.get(Resident, rider.id).active and session.get(Town, other_town["town"].id)


def test_records_need_a_signed_in_staff(client: FlaskClient) -> None:
    response = client.get("/records/residents")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_deactivated_resident_can_be_made_active_again(staff_client: FlaskClient,
                                                         session: Session) -> None:
    submit(staff_client, NEW, resident_form())
    url = f"/records/residents/{find(session, '北村').id}"
    submit(staff_client, f"{url}/deactivate", {}, page=url)
    assert "もう一度有効にする" in text(staff_client.get(url))
    assert submit(staff_client, f"{url}/reactivate", {}, page=url).status_code == 302
    resident = find(session, "北村")
    assert resident.active and resident.left_at is None
    assert audits(session, "reactivate", "resident")[0].resident_id == resident.id


def test_the_home_choices_never_show_other_peoples_homes(staff_client: FlaskClient,
                                                         session: Session) -> None:
    sato = session.exec(select(Resident).where(Resident.family_name == "佐藤")).one()
    suzuki = session.exec(select(Resident).where(Resident.family_name == "鈴木")).one()
    own = text(staff_client.get(f"/records/residents/{sato.id}"))
    assert "佐藤 和子 宅" in own and "鈴木 清 宅" not in own and "天塩町役場" in own
    assert "鈴木 清 宅" not in text(staff_client.get(NEW))
    response = submit(staff_client, NEW, resident_form(home_place_id=suzuki.home_place_id))
    assert response.status_code == 400 and find(session, "北村") is None
