"""Riders are told only once the ride is confirmed: a ride on an offer that is not auto-accept
waits for its driver, who is asked at once; the rider hears only of the final outcome."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import (
    Assignment,
    AssignmentState,
    ContactChannel,
    Notification,
    Resident,
    RideRequest,
    WindowKind,
    utcnow,
)
from carshare.services.booking import BookingInput, create_booking
from carshare.services.dashboard import day_overview
from carshare.services.driver_answers import AnswerError, answer, expire_overdue
from carshare.services.driver_assignments import ask_new, pending
from carshare.services.driver_pending import is_awaiting
from carshare.services.notify_hooks import apply_keypress
from carshare.services.quoting import place
from carshare.services.rider_portal import upcoming
from carshare.timeutil import TOKYO
from tests.conftest import csrf_token, login
from tests.driver.conftest import book, second_driver, tomorrow
from tests.driver.test_assignments import RULES


def _rows(session: Session, template: str, **where: Any) -> list[Notification]:
    query = select(Notification).where(Notification.template == template)
    for name, value in where.items():
        query = query.where(getattr(Notification, name) == value)
    return list(session.exec(query.order_by(Notification.id)))


def _question(session: Session, request: RideRequest) -> Assignment:
    return session.exec(select(Assignment).where(
        Assignment.request_id == request.id,
        Assignment.offer_id == request.promised_offer_id)).one()


def _answer(session: Session, town: dict[str, Any], row: Assignment, accept: bool,
            other: dict[str, Any] | None = None) -> bool:
    """Answer as the town's driver (or as ``other``, a :func:`second_driver`)."""
    driver = other["driver"] if other else town["driver"]
    resident = session.get(Resident, driver.resident_id)
    return answer(session, resident, driver, row, accept, utcnow(), TOKYO)


def test_confirm_asks_the_driver_at_once_and_holds_the_riders_message(
        session: Session, town: dict[str, Any]) -> None:
    request = book(session, town, 0)
    row = _question(session, request)
    assert row.state == AssignmentState.ASKED and row.deadline > row.asked_at
    [question] = _rows(session, "driver_request")
    assert question.idempotency_key == f"driver_request:{request.id}:{town['offer'].id}"
    assert question.resident_id == town["driver"].resident_id
    assert _rows(session, "confirmation") == [] and _rows(session, "reminder_evening") == []
    assert is_awaiting(session, request.id)
    assert session.get(RideRequest, request.id).promised_pickup_start is not None  # held


def test_the_job_does_not_ask_twice(app, session: Session,  # type: ignore[no-untyped-def]
                                    town: dict[str, Any]) -> None:
    from carshare.jobs.tasks import ask_drivers

    book(session, town, 0)
    assert ask_new(session, utcnow(), RULES) == []
    assert ask_drivers(app) == 0
    assert len(_rows(session, "driver_request")) == 1
    assert len(list(session.exec(select(Assignment)))) == 1


def test_accepting_sends_the_confirmation(session: Session, town: dict[str, Any]) -> None:
    request = book(session, town, 0)
    assert _answer(session, town, _question(session, request), True)
    session.expire_all()
    [told] = _rows(session, "confirmation", ride_request_id=request.id)
    assert told.payload["driver"] == "運転"
    assert not is_awaiting(session, request.id)
    assert _rows(session, "reminder_soon", ride_request_id=request.id)


def test_auto_accept_offers_confirm_at_once_without_asking(
        session: Session, town: dict[str, Any]) -> None:
    town["offer"].auto_accept = True
    session.add(town["offer"])
    session.commit()
    request = book(session, town, 0)
    assert _rows(session, "confirmation", ride_request_id=request.id)
    assert _rows(session, "driver_request") == []
    assert not is_awaiting(session, request.id)


def test_a_decline_moves_the_rider_who_hears_only_of_the_new_car(
        session: Session, town: dict[str, Any]) -> None:
    request = book(session, town, 0)
    other = second_driver(session, town)  # auto-accept
    assert _answer(session, town, _question(session, request), False) is True
    session.expire_all()
    moved = session.get(RideRequest, request.id)
    assert moved.promised_offer_id == other["offer"].id
    [told] = _rows(session, "confirmation", ride_request_id=request.id)
    assert told.payload["driver"] == "別"  # one message, naming the driver who takes them
    assert not is_awaiting(session, request.id)


def test_a_decline_onto_another_asking_driver_keeps_the_rider_waiting(
        session: Session, town: dict[str, Any]) -> None:
    request = book(session, town, 0)
    other = second_driver(session, town)
    other["offer"].auto_accept = False
    other["resident"].contact_channel = ContactChannel.SMS
    session.add_all([other["offer"], other["resident"]])
    session.commit()
    _answer(session, town, _question(session, request), False)
    session.expire_all()
    moved = session.get(RideRequest, request.id)
    assert moved.promised_offer_id == other["offer"].id and is_awaiting(session, request.id)
    assert _rows(session, "confirmation") == []
    asked = _question(session, moved)
    assert asked.state == AssignmentState.ASKED
    assert _rows(session, "driver_request", resident_id=other["resident"].id)
    assert pending(session, town["driver"], utcnow()) == []
    assert [a.id for a, _r in pending(session, other["driver"], utcnow())] == [asked.id]
    _answer(session, town, asked, True, other)
    [told] = _rows(session, "confirmation", ride_request_id=request.id)
    assert told.payload["driver"] == "別"


def test_a_driver_without_automated_messages_is_phoned_by_staff(
        session: Session, town: dict[str, Any]) -> None:
    person = session.get(Resident, town["driver"].resident_id)
    person.contact_channel = ContactChannel.STAFF_CALL
    session.add(person)
    session.commit()
    request = book(session, town, 0)
    assert _question(session, request).state == AssignmentState.ASKED
    assert _rows(session, "driver_request") == []
    [alert] = _rows(session, "staff_alert", ride_request_id=request.id)
    assert alert.resident_id == person.id and "phone the driver" in alert.last_error
    assert ask_new(session, utcnow(), RULES) == []  # the job does not ask again


def test_a_missed_deadline_without_another_car_tells_staff_not_the_rider(
        session: Session, town: dict[str, Any]) -> None:
    request = book(session, town, 0)
    row = _question(session, request)
    assert expire_overdue(session, row.deadline, TOKYO) == 1
    session.expire_all()
    assert _rows(session, "staff_alert", ride_request_id=request.id)
    assert _rows(session, "confirmation") == []
    assert is_awaiting(session, request.id)  # still not confirmed: the office calls
    risks = day_overview(session, town["town"].id, tomorrow(), TOKYO).risks
    assert [(r.request.id, r.reason) for r in risks] == [(request.id, "driver_refused")]


def test_a_question_about_a_rider_moved_away_cannot_be_answered(
        session: Session, town: dict[str, Any]) -> None:
    request = book(session, town, 0)
    row = _question(session, request)
    other = second_driver(session, town)
    place(session, town["staff"], request, other["offer"].id, TOKYO, "reassign")
    session.expire_all()
    assert pending(session, town["driver"], utcnow()) == []
    with pytest.raises(AnswerError, match="already_answered"):
        _answer(session, town, session.get(Assignment, row.id), True)
    assert session.get(Assignment, row.id).state == AssignmentState.ASKED


def test_staff_putting_a_rider_back_asks_the_driver_again(
        session: Session, town: dict[str, Any]) -> None:
    request = book(session, town, 0)
    other = second_driver(session, town)
    _answer(session, town, _question(session, request), False)
    session.expire_all()
    place(session, town["staff"], session.get(RideRequest, request.id), town["offer"].id,
          TOKYO, "reassign")
    session.expire_all()
    again = _question(session, session.get(RideRequest, request.id))
    assert again.state == AssignmentState.ASKED and again.answered_at is None
    assert len(_rows(session, "driver_request", resident_id=town["driver"].resident_id)) == 2
    assert other["offer"].id != again.offer_id


def test_the_driver_answers_by_phone_keypress(session: Session, town: dict[str, Any]) -> None:
    request = book(session, town, 0)
    [question] = _rows(session, "driver_request")
    assert apply_keypress(session, question, "1") == "accepted"
    session.commit()
    session.expire_all()
    assert _question(session, request).state == AssignmentState.ACCEPTED
    assert _rows(session, "confirmation", ride_request_id=request.id)
    assert _rows(session, "staff_alert") == []


def test_a_late_keypress_goes_to_staff(session: Session, town: dict[str, Any]) -> None:
    request = book(session, town, 0)
    row = _question(session, request)
    row.deadline = row.asked_at + timedelta(minutes=15)
    row.state = AssignmentState.EXPIRED
    session.add(row)
    session.commit()
    [question] = _rows(session, "driver_request")
    assert apply_keypress(session, question, "1") == "accepted"
    session.commit()
    assert _rows(session, "staff_alert", ride_request_id=request.id)
    assert _rows(session, "confirmation") == []


def test_rider_page_and_dashboard_show_the_ride_as_waiting(
        session: Session, town: dict[str, Any]) -> None:
    request = book(session, town, 0)
    [ride] = upcoming(session, town["riders"][0], utcnow())
    assert ride.awaiting_driver and ride.driver_given_name == "" and ride.car_colour == ""
    overview = day_overview(session, town["town"].id, tomorrow(), TOKYO)
    assert overview.awaiting == {request.id}
    _answer(session, town, _question(session, request), True)
    [ride] = upcoming(session, town["riders"][0], utcnow())
    assert not ride.awaiting_driver and ride.driver_given_name == "太郎"
    assert day_overview(session, town["town"].id, tomorrow(), TOKYO).awaiting == set()


def test_staff_see_waiting_after_confirm_and_on_the_pages(
        client: FlaskClient, session: Session, town: dict[str, Any]) -> None:
    assert login(client, "teshio-staff", "x" * 12).status_code == 302
    g.pop("csrf_token", None)  # the test's app context outlives the sign-in's token
    rider = town["riders"][0]
    data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=town["clinic"].id, day=tomorrow(),
                        window_kind=WindowKind.ARRIVE_BY, clock=time(10))
    request = create_booking(session, town["staff"], data, utcnow(), TOKYO).outbound
    html = client.get(f"/requests/{request.id}/options").get_data(as_text=True)
    response = client.post(f"/requests/{request.id}/confirm", follow_redirects=True,
                           data={"csrf_token": csrf_token(html),
                                 "offer_id": town["offer"].id})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ドライバーの承諾待ち" in text and "乗車が確定しました。" not in text
    dashboard = client.get(f"/dashboard?day={tomorrow().isoformat()}").get_data(as_text=True)
    assert "ドライバーの承諾待ち" in dashboard
    trip = dashboard.split('href="/trips/')[1].split('"')[0]
    assert "ドライバーの承諾待ち" in client.get(f"/trips/{trip}").get_data(as_text=True)


def test_planning_a_day_asks_at_once_and_holds_the_riders_message(
        app, session: Session, town: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    from carshare.notifications.settings import NotifySettings
    from carshare.services.notify_planned import send_day_confirmations
    from carshare.services.planning import plan_day

    rider = town["riders"][0]
    data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=town["clinic"].id, day=tomorrow(),
                        window_kind=WindowKind.ARRIVE_BY, clock=time(10))
    request = create_booking(session, town["staff"], data, utcnow(), TOKYO).outbound
    plan_day(session, town["town"].id, tomorrow(), TOKYO, time_limit_s=2, deterministic=True)
    session.expire_all()
    planned = session.get(RideRequest, request.id)
    assert planned.promised_offer_id == town["offer"].id
    assert _question(session, planned).state == AssignmentState.ASKED
    assert len(_rows(session, "driver_request")) == 1
    settings = NotifySettings.from_config(app.config)
    assert send_day_confirmations(session, town["town"].id, tomorrow(), settings) == 1
    assert _rows(session, "confirmation") == []  # held until the driver accepts
    plan_day(session, town["town"].id, tomorrow(), TOKYO, time_limit_s=2, deterministic=True)
    assert len(_rows(session, "driver_request")) == 1  # a re-plan does not ask again


def test_the_rider_sees_waiting_on_the_phone_page(
        client: FlaskClient, session: Session, town: dict[str, Any]) -> None:
    from tests.driver.conftest import sign_in

    request = book(session, town, 0)
    sign_in(client, session, "01632-2-1000")  # rider 0's landline: the code is read out
    page = client.get("/me/rides").get_data(as_text=True)
    assert "ドライバーの承諾待ちです" in page and "太郎" not in page
    _answer(session, town, _question(session, request), True)
    page = client.get("/me/rides").get_data(as_text=True)
    assert "ドライバーの承諾待ちです" not in page and "運転様の車" in page


def test_a_rider_moved_to_an_asking_driver_hears_of_the_change_only_once_accepted(
        session: Session, town: dict[str, Any]) -> None:
    from carshare.models import NotificationState

    town["offer"].auto_accept = True
    session.add(town["offer"])
    session.commit()
    request = book(session, town, 0)
    [told] = _rows(session, "confirmation", ride_request_id=request.id)
    told.state = NotificationState.SENT  # the rider heard of the first car
    session.add(told)
    session.commit()
    other = second_driver(session, town)
    other["offer"].auto_accept = False
    other["resident"].contact_channel = ContactChannel.SMS
    session.add_all([other["offer"], other["resident"]])
    session.commit()
    place(session, town["staff"], request, other["offer"].id, TOKYO, "reassign")
    session.expire_all()
    assert _rows(session, "change") == [] and is_awaiting(session, request.id)
    stale = _rows(session, "reminder_soon", ride_request_id=request.id)
    assert stale and {r.state for r in stale} == {NotificationState.CANCELLED}
    _answer(session, town, _question(session, session.get(RideRequest, request.id)), True,
            other)
    [change] = _rows(session, "change", ride_request_id=request.id)
    assert (change.payload["old_driver"], change.payload["driver"]) == ("運転", "別")


def test_a_driver_who_declined_is_not_asked_again_by_replanning(
        app, session: Session, town: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    from carshare.services.planning import plan_day

    request = book(session, town, 0)
    assert _answer(session, town, _question(session, request), False) is False  # no other car
    plan_day(session, town["town"].id, tomorrow(), TOKYO, time_limit_s=2, deterministic=True)
    assert ask_new(session, utcnow(), RULES) == []
    session.expire_all()
    assert _question(session, session.get(RideRequest, request.id)).state == \
        AssignmentState.DECLINED
    assert len(_rows(session, "driver_request")) == 1


def test_a_decline_by_keypress_moves_the_rider(session: Session, town: dict[str, Any]) -> None:
    request = book(session, town, 0)
    other = second_driver(session, town)
    [question] = _rows(session, "driver_request")
    assert apply_keypress(session, question, "2") == "declined"
    session.commit()
    session.expire_all()
    assert session.get(RideRequest, request.id).promised_offer_id == other["offer"].id
    assert _rows(session, "staff_alert") == []
    assert apply_keypress(session, question, "7") == "unknown"  # asked again, nothing changes
