"""The retention job: rides and messages older than the town's period are anonymised,
residents who left before it are removed; the statistics stay the same; it is idempotent,
audited as the system, and the period is the admin's to set."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.jobs import tasks
from carshare.models import (
    DeviceSession,
    Notification,
    NotificationState,
    Place,
    PlaceKind,
    RequestStatus,
    Resident,
    ResidentConsent,
    ResidentPhone,
    RideRequest,
    Stop,
    Town,
    utcnow,
)
from carshare.services.anonymise import ANON_NAME
from carshare.services.reports import monthly_report
from carshare.services.retention import RetentionResult, run_all
from tests.conftest import csrf_token
from tests.driver.conftest import book, tomorrow
from tests.privacy.conftest import audit_rows

LATER = timedelta(days=4 * 365)  # the job runs four years on; the default period is three
#: Figures that depend on the exact position of a home: approximate after anonymisation.
FROM_HOME = ("rider_km", "taxi_fares_yen", "co2_alone_kg", "co2_service_g_per_rider_km",
             "avg_direct_minutes")


@pytest.fixture
def history(session: Session, town: dict[str, Any]) -> dict[str, Any]:
    """Two rides tomorrow (one completed, one no-show with a note), their sent messages, a
    rider who leaves the town today, and a recent ride that must stay as it is."""
    rider0, rider1 = town["riders"]
    for rider in (rider0, rider1):
        rider.birth_year = 1941
        session.add(rider)
    done, missed = book(session, town, 0), book(session, town, 1)
    done.status, done.note = RequestStatus.COMPLETED, "鍵は植木鉢の下、090-1234-5678"
    missed.status, missed.outcome_code = RequestStatus.NO_SHOW, "no_show"
    missed.outcome_reason = "留守だった（天塩町新栄通7丁目）"
    for row in session.exec(select(Notification)):
        row.state = NotificationState.SENT
        session.add(row)
    rider1.active, rider1.left_at, rider1.staff_notes = False, date.today(), "稚内へ転居"
    session.add(DeviceSession(resident_id=rider1.id, token_hash="h" * 64, label="phone",
                              last_seen_at=utcnow(), expires_at=utcnow() + timedelta(days=1)))
    recent_day = datetime.combine(date.today() + LATER - timedelta(days=30),
                                  datetime.min.time()).astimezone()
    recent = RideRequest(town_id=town["town"].id, rider_id=rider0.id,
                         pickup_place_id=rider0.home_place_id,
                         dropoff_place_id=town["clinic"].id, window_kind="arrive_by",
                         window_start=recent_day, window_end=recent_day + timedelta(hours=1),
                         status=RequestStatus.COMPLETED, note="最近の乗車")
    session.add_all([done, missed, rider1, recent])
    session.commit()
    return {"done": done, "missed": missed, "leaver": rider1, "stayer": rider0,
            "recent": recent}


def _report(session: Session, town_id: int) -> dict[str, Any]:
    day = tomorrow()
    figures = asdict(monthly_report(session, town_id, day.replace(day=1), day))
    return json.loads(json.dumps(figures, default=str))


def test_old_rides_and_messages_are_anonymised_keeping_the_statistics(
        session: Session, town: dict[str, Any], history: dict[str, Any]) -> None:
    before = _report(session, town["town"].id)
    result = run_all(session, utcnow() + LATER)
    assert result.rides == 2 and result.residents == 1 and result.notifications >= 2
    session.expire_all()
    after = _report(session, town["town"].id)
    exact = {k for k in before if k not in FROM_HOME}
    assert {k: after[k] for k in exact} == {k: before[k] for k in exact}
    assert before["served"] == 1 and before["riders_by_age_band"]  # the figures are not empty
    for name in FROM_HOME:  # measured from the settlement area instead of the exact home
        assert after[name] == pytest.approx(before[name], rel=0.15), name
    done = session.get(RideRequest, history["done"].id)
    missed = session.get(RideRequest, history["missed"].id)
    assert done.note == "" and missed.outcome_reason == "" and missed.outcome_code == "no_show"
    assert done.status == RequestStatus.COMPLETED and done.anonymised_at is not None
    home = session.get(Place, done.pickup_place_id)
    assert (home.kind, home.name, home.settlement) == (PlaceKind.HOME, ANON_NAME, "本町")
    assert home.id != history["stayer"].home_place_id  # the home itself is still in use
    stops = session.exec(select(Stop).where(Stop.request_id == done.id)).all()
    assert stops and history["stayer"].home_place_id not in {s.place_id for s in stops}
    for row in session.exec(select(Notification)):
        assert row.recipient in ("+0", "staff") and row.payload == {} and row.anonymised_at
    recent = session.get(RideRequest, history["recent"].id)
    assert recent.note == "最近の乗車" and recent.anonymised_at is None


def test_residents_who_left_are_removed_but_still_counted(
        session: Session, town: dict[str, Any], history: dict[str, Any]) -> None:
    run_all(session, utcnow() + LATER)
    session.expire_all()
    leaver = session.get(Resident, history["leaver"].id)
    assert leaver.family_name == ANON_NAME and leaver.family_name_kana == ""
    assert (leaver.staff_notes, leaver.caregiver_phone, leaver.birth_year) == ("", None, 1941)
    for model in (ResidentPhone, ResidentConsent, DeviceSession):
        assert session.exec(select(model).where(model.resident_id == leaver.id)).all() == []
    home = session.get(Place, leaver.home_place_id)
    assert home.name == ANON_NAME and home.settlement == "本町" and not home.active
    stayer = session.get(Resident, history["stayer"].id)
    assert stayer.family_name == "利用0" and stayer.anonymised_at is None
    assert session.exec(select(ResidentPhone).where(
        ResidentPhone.resident_id == stayer.id)).all()


def test_the_job_is_idempotent_and_audited_as_the_system(
        app: Flask, session: Session, town: dict[str, Any], history: dict[str, Any]) -> None:
    first = run_all(session, utcnow() + LATER)
    assert first != RetentionResult()
    assert run_all(session, utcnow() + LATER) == RetentionResult()
    [summary] = audit_rows(session, action="anonymise", entity="retention")
    assert summary.actor == "system" and summary.staff_user_id is None
    assert "2 rides" in summary.reason and "1 residents" in summary.reason
    [removal] = audit_rows(session, action="remove", entity="resident")
    assert removal.resident_id == history["leaver"].id and removal.actor == "system"


def test_nothing_happens_within_the_period(app: Flask, session: Session,
                                           history: dict[str, Any]) -> None:
    assert tasks.retention_cleanup(app) == 0
    session.expire_all()
    assert session.get(RideRequest, history["done"].id).note.startswith("鍵は")
    assert audit_rows(session, action="anonymise") == []


def test_a_shorter_period_set_by_the_town_applies(session: Session, town: dict[str, Any],
                                                  history: dict[str, Any]) -> None:
    other = Town(slug="other", name="他町", retention_days=4000)
    session.add(other)
    row = town["town"]
    row.retention_days = 400
    session.add(row)
    session.commit()
    assert run_all(session, utcnow() + timedelta(days=402)).rides == 2


def test_only_admins_set_the_period_within_bounds(
        client: FlaskClient, staff: FlaskClient, session: Session,
        town: dict[str, Any]) -> None:
    assert staff.get("/privacy/retention").status_code == 403


@pytest.mark.parametrize(("days", "status"), [("1825", 302), ("１０９５", 302), ("30", 400),
                                              ("99999", 400), ("three", 400), ("", 400)])
def test_the_admin_sets_the_period(admin: FlaskClient, session: Session, town: dict[str, Any],
                                   days: str, status: int) -> None:
    page = admin.get("/privacy/retention").get_data(as_text=True)
    assert 'value="1095"' in page
    response = admin.post("/privacy/retention", data={"csrf_token": csrf_token(page),
                                                      "days": days})
    assert response.status_code == status
    session.expire_all()
    stored = session.get(Town, town["town"].id).retention_days
    if status == 302:
        assert stored == int(days.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        [entry] = audit_rows(session, action="update", entity="town")
        assert entry.reason == f"retention period 1095 -> {stored} days"
    else:
        assert stored == 1095 and audit_rows(session, entity="town") == []


def test_cancellation_words_leave_the_audit_log_with_the_ride(
        session: Session, town: dict[str, Any]) -> None:
    from carshare.services.trips import cancel_ride
    from carshare.timeutil import TOKYO

    ride = book(session, town, 0)
    cancel_ride(session, town["staff"], ride, "rider_cancel", "入院のため（心臓）", TOKYO)
    [entry] = audit_rows(session, action="cancel")
    assert entry.reason == "rider_cancel: 入院のため（心臓）"
    run_all(session, utcnow() + LATER)
    [entry] = audit_rows(session, action="cancel")
    assert entry.reason == "rider_cancel" and entry.staff_user_id == town["staff"].id
    assert session.get(RideRequest, ride.id).outcome_reason == ""
