"""Every page that shows a resident's personal data writes an audit row per resident shown,
with who, what and why; a failed change leaves neither an audit row nor a change."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from carshare.models import ContactChannel, RideRequest, Route, WindowKind, utcnow
from carshare.services.booking import BookingInput, create_booking
from carshare.services.outbox import alert_staff
from carshare.services.records import contacts
from carshare.services.records.residents import ResidentInput, update_resident
from carshare.timeutil import TOKYO
from tests.conftest import csrf_token
from tests.driver.conftest import sign_in, tomorrow
from tests.privacy.conftest import audit_rows, last_audit_id

#: (page, action, reason, who is shown): the staff pages that show personal data.
STAFF_PAGES = [
    ("/call?q=利用", "search", "caller lookup", ("r0", "r1")),
    ("/call/search?q=リヨウ", "search", "caller lookup", ("r0", "r1")),
    ("/book/{r0}", "view", "booking", ("r0",)),
    ("/requests/{open}/options", "view", "booking options", ("r1",)),
    ("/requests/{ride}", "view", "booking summary", ("r0",)),
    ("/trips/{route}", "view", "trip detail", ("r0",)),
    ("/trips/{route}/manifest", "print", "manifest", ("r0",)),
    ("/requests/{ride}/slip", "print", "rider slip", ("r0",)),
    ("/call-list", "list", "call list", ("r0",)),
    ("/notifications/", "list", "messages page", ("r1", "driver")),
    ("/dashboard?day={tomorrow}", "list", "dashboard", ("r0", "r1", "driver")),
    ("/dashboard/days?day={tomorrow}", "list", "dashboard", ("r0", "r1", "driver")),
    ("/records/residents?q=利用", "list", "records list", ("r0", "r1")),
    ("/records/residents/{r0}?why=call", "view", "records: call", ("r0",)),
    ("/records/residents/{r0}", "view", "records: records", ("r0",)),
    ("/records/drivers/{driver_id}", "view", "records", ("driver",)),
]


@pytest.fixture
def ids(session: Session, town: dict[str, Any], ride: RideRequest, route: Route
        ) -> dict[str, Any]:
    """Ids to fill the pages in; rider 0 wants a call from the office (the call list)."""
    rider0, rider1 = town["riders"]
    rider0.contact_channel = ContactChannel.STAFF_CALL
    session.add(rider0)
    session.commit()
    data = BookingInput(rider_id=rider1.id, pickup_place_id=rider1.home_place_id,
                        dropoff_place_id=town["clinic"].id, day=tomorrow(),
                        window_kind=WindowKind.ARRIVE_BY, clock=time(11))
    open_request = create_booking(session, town["staff"], data, utcnow(), TOKYO).outbound
    alert_staff(session, town["town"].id, "test", "please phone", resident_id=rider1.id)
    session.commit()
    return {"r0": rider0.id, "r1": rider1.id, "driver": town["driver"].resident_id,
            "driver_id": town["driver"].id, "ride": ride.id, "open": open_request.id,
            "route": route.id, "tomorrow": tomorrow().isoformat()}


@pytest.mark.parametrize(("page", "action", "reason", "shown"), STAFF_PAGES,
                         ids=[p[0].split("?")[0] for p in STAFF_PAGES])
def test_each_staff_page_audits_every_resident_it_shows(
        staff: FlaskClient, session: Session, ids: dict[str, Any], page: str, action: str,
        reason: str, shown: tuple[str, ...]) -> None:
    for attempt in range(2):  # each time, not once
        before = last_audit_id(session)
        response = staff.get(page.format(**ids))
        assert response.status_code == 200, (page, response.status_code)
        rows = audit_rows(session, before, action=action, reason=reason)
        assert {r.resident_id for r in rows} >= {ids[k] for k in shown}, (page, attempt)
        assert all(r.actor == "clerk" and r.staff_user_id for r in rows)


def test_a_driver_opening_the_manifest_is_audited_per_rider(
        client: FlaskClient, session: Session, ids: dict[str, Any]) -> None:
    sign_in(client, session)
    before = last_audit_id(session)
    assert client.get(f"/driver/day?day={ids['tomorrow']}").status_code == 200
    rows = audit_rows(session, before, action="view", entity="manifest")
    assert [r.resident_id for r in rows] == [ids["r0"]]
    assert rows[0].actor == f"resident:{ids['driver']}"
    assert rows[0].reason.startswith("driver manifest")


def test_bookings_and_cancellations_are_audited_with_their_reason(
        staff: FlaskClient, session: Session, ids: dict[str, Any]) -> None:
    page = staff.get(f"/requests/{ids['ride']}").get_data(as_text=True)
    before = last_audit_id(session)
    response = staff.post(f"/requests/{ids['ride']}/cancel", data={
        "csrf_token": csrf_token(page), "outcome": "rider_cancel", "reason": "体調不良"})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    [row] = audit_rows(session, before, action="cancel")
    assert (row.resident_id, row.entity_id) == (ids["r0"], ids["ride"])
    assert row.reason == "rider_cancel: 体調不良"


def _input(resident: Any, **changes: Any) -> ResidentInput:
    values = dict(family_name=resident.family_name, given_name=resident.given_name,
                  family_name_kana=resident.family_name_kana,
                  given_name_kana=resident.given_name_kana, phones=("01632-2-1000",),
                  contact_channel=ContactChannel.VOICE)
    return ResidentInput(**(values | changes))


def test_a_failed_change_leaves_no_audit_row_and_no_change(
        session: Session, town: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    rider = town["riders"][0]
    before = last_audit_id(session)

    def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(contacts, "store_phones", broken)
    with pytest.raises(RuntimeError):
        update_resident(session, town["staff"], rider.id, _input(rider, given_name="変更"),
                        utcnow().date())
    session.rollback()
    session.expire_all()
    assert audit_rows(session, before) == []
    assert session.get(type(rider), rider.id).given_name == "花"


def test_refused_form_input_leaves_no_audit_of_a_change(
        staff: FlaskClient, session: Session, ids: dict[str, Any]) -> None:
    page = staff.get(f"/records/residents/{ids['r0']}").get_data(as_text=True)
    before = last_audit_id(session)
    response = staff.post(f"/records/residents/{ids['r0']}", data={
        "csrf_token": csrf_token(page), "family_name": "改ざん", "given_name": "花",
        "family_name_kana": "リヨウ", "given_name_kana": "ハナ", "phone": "12345",
        "contact_channel": "voice", "language": "ja"})
    assert response.status_code == 400
    assert audit_rows(session, before, action="update") == []
    session.expire_all()
    from carshare.models import Resident
    assert session.get(Resident, ids["r0"]).family_name == "利用0"


def test_other_towns_residents_are_neither_shown_nor_audited(
        staff: FlaskClient, session: Session, ids: dict[str, Any]) -> None:
    from tests.factories import small_town

    other = small_town(session, slug="elsewhere")
    before = last_audit_id(session)
    for page in (f"/records/residents/{other['riders'][0].id}", f"/book/{other['riders'][0].id}"):
        assert staff.get(page).status_code == 404
    assert audit_rows(session, before) == []


@pytest.mark.parametrize(("why", "reason"), [("consent", "records: consent"),
                                             ("disclosure", "records: disclosure"),
                                             ("<script>", "records: records")])
def test_the_reason_chosen_on_the_list_goes_with_each_record_opened(
        staff: FlaskClient, session: Session, ids: dict[str, Any], why: str,
        reason: str) -> None:
    listing = staff.get("/records/residents", query_string={"q": "利用", "why": why})
    html = listing.get_data(as_text=True)
    links = re.findall(r'href="(/records/residents/\d+[^"]*)"', html)
    assert links and "<script>" not in html.split("<main", 1)[1].split("</select>", 1)[1]
    before = last_audit_id(session)
    assert staff.get(links[0].replace("&amp;", "&")).status_code == 200
    [row] = audit_rows(session, before, action="view", entity="resident")
    assert row.reason == reason
