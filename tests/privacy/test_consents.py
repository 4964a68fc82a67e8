"""Consents with their scope, date, method and recorder; the system respects each of them."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import (
    ConsentMethod,
    ConsentScope,
    ContactChannel,
    Notification,
    NotificationState,
    Resident,
    ResidentConsent,
    RideRequest,
    WindowKind,
    utcnow,
)
from carshare.notifications.settings import NotifySettings
from carshare.services import consents
from carshare.services.booking import BookingError, BookingInput, create_booking
from carshare.services.call_list import call_list
from carshare.services.consents import ConsentInput
from carshare.services.notify_codes import enqueue_signin_code
from carshare.services.notify_dispatch import drain
from carshare.services.notify_rider import enqueue_confirmation
from carshare.timeutil import TOKYO
from tests.conftest import csrf_token
from tests.driver.conftest import book, tomorrow
from tests.privacy.conftest import audit_rows

FORM = {"family_name": "北村", "given_name": "春子", "family_name_kana": "キタムラ",
        "given_name_kana": "ハルコ", "phone": "090-9876-5432", "contact_channel": "sms",
        "language": "ja"}


def _withdraw(session: Session, staff: Any, resident: Resident, *scopes: ConsentScope) -> None:
    wanted = {s: None for s in scopes}
    consents.set_consents(session, staff, resident, wanted, date.today())
    session.commit()


def _post_form(client: FlaskClient, url: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def test_the_form_records_each_consent_with_date_method_and_recorder(
        staff: FlaskClient, session: Session) -> None:
    response = _post_form(staff, "/records/residents/new", FORM | {
        "consent_rides": "y", "consent_rides_on": "2026-01-05", "consent_rides_how": "phone",
        "consent_provider_abroad": "y", "consent_provider_abroad_on": "2026-01-06",
        "consent_provider_abroad_how": "paper"})
    assert response.status_code == 302
    resident = session.exec(select(Resident).where(Resident.family_name == "北村")).one()
    rows = {c.scope: c for c in session.exec(select(ResidentConsent).where(
        ResidentConsent.resident_id == resident.id))}
    assert set(rows) == {ConsentScope.RIDES, ConsentScope.PROVIDER_ABROAD}
    assert (rows[ConsentScope.RIDES].given_on, rows[ConsentScope.RIDES].method) == (
        date(2026, 1, 5), ConsentMethod.PHONE)
    assert rows[ConsentScope.PROVIDER_ABROAD].method == ConsentMethod.PAPER
    clerk = audit_rows(session, action="create", entity="resident")[0].staff_user_id
    assert {r.recorded_by_id for r in rows.values()} == {clerk}
    logged = audit_rows(session, action="consent", resident_id=resident.id)
    assert sorted(r.reason for r in logged) == ["provider_abroad: paper", "rides: phone"]
    page = staff.get(f"/records/residents/{resident.id}").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="consent_rides"', page)
    assert not re.search(r'<input checked[^>]*name="consent_needs"', page)
    assert 'value="2026-01-06"' in page


@pytest.mark.parametrize(("extra", "field"), [
    ({"consent_rides": "y", "consent_rides_how": "phone"}, "consent_rides_on"),
    ({"consent_rides": "y", "consent_rides_on": "2026-01-05"}, "consent_rides_how"),
    ({"consent_rides": "y", "consent_rides_on": "2026-01-05", "consent_rides_how": "fax"},
     "consent_rides_how"),
    ({"consent_rides": "y", "consent_rides_on": "2099-01-05", "consent_rides_how": "paper"},
     "consent_rides_on"),
    ({"consent_rides": "y", "consent_rides_on": "5 January", "consent_rides_how": "paper"},
     "consent_rides_on"),
    ({"wheelchair": "y"}, "form"),
])
def test_incomplete_consents_and_needs_without_consent_are_refused(
        staff: FlaskClient, session: Session, extra: dict[str, str], field: str) -> None:
    stored = len(session.exec(select(ResidentConsent)).all())
    response = _post_form(staff, "/records/residents/new", FORM | extra)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (f'id="{field}-error"' in page if field != "form"
            else '<p class="error" role="alert">' in page)
    assert session.exec(select(Resident).where(Resident.family_name == "北村")).first() is None
    assert len(session.exec(select(ResidentConsent)).all()) == stored


def test_needs_are_stored_with_their_consent_and_cleared_when_it_is_withdrawn(
        session: Session, town: dict[str, Any]) -> None:
    rider = town["riders"][0]
    rider.wheelchair = True
    session.add(rider)
    session.commit()
    _withdraw(session, town["staff"], rider, ConsentScope.NEEDS)
    session.expire_all()
    assert not session.get(Resident, rider.id).wheelchair
    [row] = audit_rows(session, action="withdraw", resident_id=rider.id)
    assert row.reason == "needs: withdrawn"


def test_a_booking_with_needs_needs_their_consent(session: Session,
                                                   town: dict[str, Any]) -> None:
    rider = town["riders"][1]
    _withdraw(session, town["staff"], rider, ConsentScope.NEEDS)
    data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=town["clinic"].id, day=tomorrow(),
                        window_kind=WindowKind.ARRIVE_BY, clock=time(10), walker=True)
    with pytest.raises(BookingError, match="needs_without_consent"):
        create_booking(session, town["staff"], data, utcnow(), TOKYO)
    session.rollback()
    booked = create_booking(session, town["staff"],
                            BookingInput(**{**data.__dict__, "walker": False}), utcnow(), TOKYO)
    assert not booked.outbound.walker


def _sent_to(session: Session, resident_id: int) -> list[Notification]:
    session.expire_all()
    return list(session.exec(select(Notification).where(
        Notification.resident_id == resident_id, Notification.channel != "staff")))


def test_without_consent_to_send_abroad_nothing_goes_to_the_provider(
        session: Session, town: dict[str, Any], app: Any) -> None:
    rider = town["riders"][0]
    _withdraw(session, town["staff"], rider, ConsentScope.PROVIDER_ABROAD)
    assert consents.effective_channel(session, rider) == ContactChannel.STAFF_CALL
    ride = book(session, town, 0, tomorrow())
    enqueue_confirmation(session, ride.id, settings=NotifySettings.from_app())
    session.commit()
    assert all(n.state != NotificationState.PENDING for n in _sent_to(session, rider.id))
    items = call_list(session, town["town"].id, tomorrow(), TOKYO)
    assert [(i.rider.id, i.why) for i in items] == [(rider.id, "staff_call")]


def test_a_driver_without_that_consent_is_phoned_by_staff(
        session: Session, town: dict[str, Any]) -> None:
    driver = session.get(Resident, town["driver"].resident_id)
    _withdraw(session, town["staff"], driver, ConsentScope.PROVIDER_ABROAD)
    book(session, town, 0, tomorrow())
    rows = _sent_to(session, driver.id)
    assert rows and all(r.state == NotificationState.NEEDS_ATTENTION for r in rows)
    assert all("no consent" in r.last_error for r in rows)


def test_withdrawing_holds_messages_already_written_and_the_dispatcher_checks_again(
        session: Session, town: dict[str, Any], app: Any) -> None:
    rider = town["riders"][0]
    ride = book(session, town, 0, tomorrow())
    enqueue_confirmation(session, ride.id, settings=NotifySettings.from_app())
    session.commit()
    pending = [n for n in _sent_to(session, rider.id) if n.state == NotificationState.PENDING]
    assert pending
    _withdraw(session, town["staff"], rider, ConsentScope.PROVIDER_ABROAD)
    assert all(n.state == NotificationState.NEEDS_ATTENTION for n in _sent_to(session, rider.id))

    sent: list[str] = []

    class Recorder:
        def send(self, message: Any) -> str:
            sent.append(message.to)
            return f"id-{len(sent)}"

    [row] = [n for n in pending if n.template == "confirmation"]  # as if it slipped through
    row.state = NotificationState.PENDING
    session.add(row)
    session.commit()
    later = row.due_at  # due, within calling hours, before the pick-up
    drain(session.get_bind(), Recorder(), NotifySettings.from_app(), clock=lambda: later)
    assert row.recipient not in sent
    session.expire_all()
    assert session.get(Notification, row.id).state == NotificationState.NEEDS_ATTENTION


def test_no_sign_in_code_is_sent_without_that_consent(session: Session,
                                                       town: dict[str, Any]) -> None:
    rider = town["riders"][0]
    assert enqueue_signin_code(session, rider.id, "n1") is not None
    _withdraw(session, town["staff"], rider, ConsentScope.PROVIDER_ABROAD)
    assert enqueue_signin_code(session, rider.id, "n2") is None


def test_the_caregiver_gets_copies_only_with_that_consent(session: Session,
                                                         town: dict[str, Any]) -> None:
    rider = town["riders"][0]
    rider.caregiver_phone = "+819055556666"
    session.add(rider)
    _withdraw(session, town["staff"], rider, ConsentScope.CAREGIVER)
    ride = book(session, town, 0, tomorrow())
    enqueue_confirmation(session, ride.id, settings=NotifySettings.from_app())
    session.commit()
    assert "+819055556666" not in {n.recipient for n in _sent_to(session, rider.id)}
    consents.set_consents(session, town["staff"], rider, {ConsentScope.CAREGIVER: ConsentInput(
        date.today(), ConsentMethod.IN_PERSON)}, date.today())
    ride2 = book(session, town, 1, tomorrow())
    assert ride2  # rider 1 has no caregiver: only rider 0's next message would copy
    from carshare.services.notify_facts import ride_facts
    from carshare.services.notify_rider import ride_drafts
    drafts = ride_drafts(session, ride_facts(session, ride.id), "k", "change", utcnow(),
                         NotifySettings.from_app())
    assert "+819055556666" in {d.recipient for d in drafts}


@pytest.mark.parametrize("given", [(), ("consent_rides",),
                                   ("consent_rides", "consent_provider_abroad")])
def test_a_new_caller_gives_consents_on_the_call(staff: FlaskClient, session: Session,
                                                 given: tuple[str, ...]) -> None:
    response = _post_form(staff, "/residents/new", {
        "family_name": "新井", "given_name": "一", "family_name_kana": "あらい",
        "given_name_kana": "はじめ", "phone": "090-5555-1212", "settlement": "本町",
        **{name: "y" for name in given}})
    assert response.status_code == 302
    resident = session.exec(select(Resident).where(Resident.family_name == "新井")).one()
    stored = {c.scope.value: c for c in session.exec(select(ResidentConsent).where(
        ResidentConsent.resident_id == resident.id))}
    assert set(stored) == {name.removeprefix("consent_") for name in given}
    assert all(c.method == ConsentMethod.PHONE and c.recorded_by_id for c in stored.values())
    reached = consents.effective_channel(session, resident)
    assert reached == (ContactChannel.SMS if "consent_provider_abroad" in given
                       else ContactChannel.STAFF_CALL)


def test_needs_kept_without_their_consent_are_not_shown(staff: FlaskClient, session: Session,
                                                        town: dict[str, Any]) -> None:
    rider = town["riders"][0]  # as migrated: needs on file, but no consent for them
    session.delete(session.exec(select(ResidentConsent).where(
        ResidentConsent.resident_id == rider.id,
        ResidentConsent.scope == ConsentScope.NEEDS)).one())
    rider.wheelchair = True
    session.add(rider)
    session.commit()
    listing = staff.get("/records/residents", query_string={"q": "利用0"}).get_data(as_text=True)
    assert "利用0" in listing and "車いす" not in listing.split("<tbody>")[1]
    for page in (f"/records/residents/{rider.id}", f"/book/{rider.id}"):
        html = staff.get(page).get_data(as_text=True)
        assert not re.search(r'<input checked[^>]*name="wheelchair"', html), page
    rider.wheelchair = True
    consents.set_consents(session, town["staff"], rider, {ConsentScope.NEEDS: ConsentInput(
        date.today(), ConsentMethod.PAPER)}, date.today())
    session.commit()
    html = staff.get(f"/book/{rider.id}").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="wheelchair"', html)
    listing = staff.get("/records/residents", query_string={"q": "利用0"}).get_data(as_text=True)
    assert "車いす" in listing.split("<tbody>")[1]


def test_the_booking_form_asks_for_missing_consents_and_refuses_needs_without_one(
        staff: FlaskClient, session: Session, town: dict[str, Any]) -> None:
    rider = town["riders"][1]
    assert "why=consent" not in staff.get(f"/book/{rider.id}").get_data(as_text=True)
    _withdraw(session, town["staff"], rider, ConsentScope.RIDES, ConsentScope.NEEDS)
    html = staff.get(f"/book/{rider.id}").get_data(as_text=True)
    assert f"/records/residents/{rider.id}?why=consent" in html
    response = staff.post(f"/book/{rider.id}", data={
        "csrf_token": csrf_token(html), "pickup_place_id": rider.home_place_id,
        "dropoff_place_id": town["clinic"].id, "day": tomorrow().isoformat(),
        "window_kind": "arrive_by", "clock": "10:00", "party_size": "1", "walker": "y",
        "return_mode": "none"})
    assert response.status_code == 400
    assert '<p class="error" role="alert">' in response.get_data(as_text=True)
    assert session.exec(select(RideRequest).where(RideRequest.rider_id == rider.id)).all() == []


def test_a_rider_booking_on_the_phone_page_uses_needs_only_with_their_consent(
        client: FlaskClient, session: Session, town: dict[str, Any]) -> None:
    from tests.driver.conftest import sign_in

    rider = town["riders"][0]
    rider.wheelchair = True  # on file from before, without the consent for needs
    session.add(rider)
    session.delete(session.exec(select(ResidentConsent).where(
        ResidentConsent.resident_id == rider.id,
        ResidentConsent.scope == ConsentScope.NEEDS)).one())
    session.commit()
    sign_in(client, session, "01632-2-1000")
    html = client.get("/me/book").get_data(as_text=True)
    response = client.post("/me/book", data={
        "csrf_token": csrf_token(html), "dropoff_place_id": town["clinic"].id,
        "day": tomorrow().isoformat(), "window_kind": "arrive_by", "clock": "10:00",
        "return_mode": "none"})
    assert response.status_code == 302
    [ride] = session.exec(select(RideRequest).where(RideRequest.rider_id == rider.id)).all()
    assert not ride.wheelchair
