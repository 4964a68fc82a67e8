"""Accept or decline: asked with a deadline, answered on the page, moved on decline or timeout."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import (
    Assignment,
    AssignmentState,
    Notification,
    RideRequest,
    utcnow,
)
from carshare.notifications.decide import next_open, parse_hours
from carshare.services.driver_answers import expire_overdue
from carshare.services.driver_assignments import AskRules, ask_new, deadline
from carshare.timeutil import TOKYO
from tests.conftest import csrf_token
from tests.driver.conftest import book, second_driver

RULES = AskRules(2, time(18), TOKYO)


def _asked(session: Session, town: dict[str, Any], n: int = 0) -> Assignment:
    """Book rider ``n``: confirming asks the driver at once (the job finds nothing to ask)."""
    request = book(session, town, n)
    assert ask_new(session, utcnow(), RULES) == []
    return session.exec(select(Assignment).where(Assignment.request_id == request.id)).one()


def test_deadline_is_two_hours_but_never_after_the_evening_before() -> None:
    pickup = datetime(2026, 12, 8, 9, 0, tzinfo=TOKYO)
    early = datetime(2026, 12, 5, 10, 0, tzinfo=TOKYO)
    late = datetime(2026, 12, 7, 17, 30, tzinfo=TOKYO)
    assert deadline(early, pickup, RULES) == early + timedelta(hours=2)
    assert deadline(late, pickup, RULES) == datetime(2026, 12, 7, 18, 0, tzinfo=TOKYO)
    night = datetime(2026, 12, 7, 23, 0, tzinfo=TOKYO)  # the evening has passed: two hours,
    assert deadline(night, pickup, RULES) == night + timedelta(hours=2)  # still before 08:00
    close = datetime(2026, 12, 8, 7, 30, tzinfo=TOKYO)  # an hour before the ride
    assert deadline(close, pickup, RULES) == datetime(2026, 12, 8, 8, 0, tzinfo=TOKYO)
    closer = datetime(2026, 12, 8, 8, 10, tzinfo=TOKYO)
    assert deadline(closer, pickup, RULES) == closer + timedelta(minutes=15)  # the least


def test_deadline_counts_from_when_the_question_can_be_sent() -> None:
    rules = AskRules(2, time(18), TOKYO, (time(8), time(20)))
    asked = datetime(2026, 12, 8, 2, 10, tzinfo=TOKYO)  # a re-plan at night
    afternoon = datetime(2026, 12, 8, 14, 0, tzinfo=TOKYO)
    assert deadline(asked, afternoon, rules) == datetime(2026, 12, 8, 10, 0, tzinfo=TOKYO)
    nine = datetime(2026, 12, 8, 9, 0, tzinfo=TOKYO)  # sent at 08:00, an hour before the ride
    assert deadline(asked, nine, rules) == datetime(2026, 12, 8, 8, 15, tzinfo=TOKYO)
    evening = datetime(2026, 12, 6, 21, 0, tzinfo=TOKYO)  # sent at 08:00 two days before
    assert deadline(evening, nine, rules) == datetime(2026, 12, 7, 10, 0, tzinfo=TOKYO)


def test_driver_is_asked_once_with_a_message(session: Session, town: dict[str, Any]) -> None:
    row = _asked(session, town)
    assert row.state == AssignmentState.ASKED and row.deadline > row.asked_at
    assert ask_new(session, utcnow(), RULES) == []
    sent = session.exec(select(Notification).where(Notification.template == "driver_request"))
    assert len(list(sent)) == 1


def test_auto_accept_offers_are_not_asked(session: Session, town: dict[str, Any]) -> None:
    town["offer"].auto_accept = True
    session.add(town["offer"])
    session.commit()
    book(session, town, 0)
    assert ask_new(session, utcnow(), RULES) == []


def test_accept_on_the_page(driver_client: FlaskClient, session: Session,
                            town: dict[str, Any]) -> None:
    row = _asked(session, town)
    html = driver_client.get("/driver/day").get_data(as_text=True)
    assert f"/driver/requests/{row.id}/accept" in html
    response = driver_client.post(f"/driver/requests/{row.id}/accept",
                                  data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Assignment, row.id).state == AssignmentState.ACCEPTED
    again = driver_client.post(f"/driver/requests/{row.id}/decline",
                               data={"csrf_token": csrf_token(html)})
    assert again.status_code == 409
    assert session.get(Assignment, row.id).state == AssignmentState.ACCEPTED


def test_expired_documents_cannot_accept(driver_client: FlaskClient, session: Session,
                                         town: dict[str, Any]) -> None:
    row = _asked(session, town)
    town["driver"].insurance_expiry = utcnow().date() - timedelta(days=1)
    session.add(town["driver"])
    session.commit()
    html = driver_client.get("/driver/day").get_data(as_text=True)
    assert 'class="expiring"' in html
    response = driver_client.post(f"/driver/requests/{row.id}/accept",
                                  data={"csrf_token": csrf_token(html)})
    text = response.get_data(as_text=True)
    assert response.status_code == 409 and "tel:01632-2-1111" in text
    session.expire_all()
    assert session.get(Assignment, row.id).state == AssignmentState.ASKED


def test_decline_moves_the_rider(driver_client: FlaskClient, session: Session,
                                 town: dict[str, Any]) -> None:
    row = _asked(session, town)
    other = second_driver(session, town)
    token = csrf_token(driver_client.get("/driver/day").get_data(as_text=True))
    assert driver_client.post(f"/driver/requests/{row.id}/decline",
                              data={"csrf_token": token}).status_code == 302
    session.expire_all()
    assert session.get(Assignment, row.id).state == AssignmentState.DECLINED
    assert session.get(RideRequest, row.request_id).promised_offer_id == other["offer"].id


def test_missed_deadline_alerts_staff_when_no_car_can_take_over(
        session: Session, town: dict[str, Any]) -> None:
    row = _asked(session, town)
    assert expire_overdue(session, row.deadline - timedelta(seconds=1), TOKYO) == 0
    assert expire_overdue(session, row.deadline, TOKYO) == 1
    session.expire_all()
    assert session.get(Assignment, row.id).state == AssignmentState.EXPIRED
    alerts = session.exec(select(Notification).where(
        Notification.template == "staff_alert", Notification.ride_request_id == row.request_id))
    assert len(list(alerts)) == 1


def test_another_drivers_question_is_a_404(client: FlaskClient, session: Session,
                                           town: dict[str, Any]) -> None:
    from tests.driver.conftest import sign_in

    row = _asked(session, town)
    second_driver(session, town)
    sign_in(client, session, "090-3333-4444")
    token = csrf_token(client.get("/driver/day").get_data(as_text=True))
    assert client.post(f"/driver/requests/{row.id}/accept",
                       data={"csrf_token": token}).status_code == 404


def test_the_periodic_job_asks_and_expires(app, session: Session,  # type: ignore[no-untyped-def]
                                           town: dict[str, Any]) -> None:
    from carshare.jobs.registry import JOBS
    from carshare.jobs.tasks import ask_drivers

    assert "ask-drivers" in {spec.id for spec in JOBS}
    town["offer"].auto_accept = True
    session.add(town["offer"])
    session.commit()
    book(session, town, 0)  # taken without asking; then the driver wants to be asked
    town["offer"].auto_accept = False
    session.add(town["offer"])
    session.commit()
    assert ask_drivers(app) == 1
    assert ask_drivers(app) == 0
    session.expire_all()
    row = session.exec(select(Assignment)).one()
    reaches = next_open(row.asked_at, parse_hours(app.config["NOTIFY_HOURS"]), TOKYO)
    assert row.deadline <= reaches + timedelta(hours=app.config["DRIVER_ANSWER_HOURS"])
