"""Two towns with one of everything each, and clients signed in as every role.

Town A uses the configured slug (``teshio``), so its residents can sign in on ``/me``; town B
is a neighbour whose ids staff of town A must never reach. Every name in town B carries the
marker ``MARK_B`` so that a test can tell whether any of B's data leaked into a page.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import (
    Assignment,
    DeviceSession,
    Notification,
    PlanningRun,
    Route,
    RunStatus,
    StaffRole,
    StaffTown,
    StaffUser,
    TripEvent,
    TripEventKind,
    utcnow,
)
from carshare.services.driver_calendar import reset_token
from carshare.timeutil import TOKYO, local_today
from tests.driver.conftest import book
from tests.factories import add, small_town

MARK_A = "本町秘密"
MARK_B = "隣町秘密"


@dataclass
class Town:
    """One town's rows, by the name of the URL argument that reaches them."""

    data: dict[str, Any]
    ids: dict[str, Any] = field(default_factory=dict)


def tomorrow() -> date:
    """Tomorrow in the town."""
    return local_today(TOKYO) + timedelta(days=1)


def build_town(session: Session, slug: str, mark: str = "") -> Town:
    """A small town with a confirmed ride tomorrow, a planning run, a message and a question."""
    t = small_town(session, seats=2, slug=slug)
    rider = t["riders"][0]  # the one with a ride: only their town's staff see their surname
    rider.family_name = f"{mark}{rider.family_name}"
    session.add(rider)
    t["offer"].service_date = tomorrow()
    t["offer"].auto_accept = True
    session.add(t["offer"])
    session.commit()
    request = book(session, t, 0)
    route = session.exec(select(Route).where(Route.offer_id == t["offer"].id)).first()
    run = add(session, PlanningRun(town_id=t["town"].id, service_date=tomorrow(),
                                   status=RunStatus.DONE, time_limit_s=5,
                                   requested_by_id=t["staff"].id, finished_at=utcnow(),
                                   served=1, waiting=0))
    note = session.exec(select(Notification).where(
        Notification.resident_id == t["riders"][0].id)).first()
    asked = add(session, Assignment(request_id=request.id, offer_id=t["offer"].id,
                                    asked_at=utcnow(), deadline=utcnow() + timedelta(hours=2)))
    feed = reset_token(session, t["driver"])
    started = add(session, TripEvent(town_id=t["town"].id, offer_id=t["offer"].id,
                                     service_date=tomorrow(), kind=TripEventKind.STARTED,
                                     happened_at=utcnow(), client_event_id=f"{slug}-started-1",
                                     by_resident_id=t["driver"].resident_id))
    session.commit()
    extra = _other_rows(session, t, request.id)
    session.refresh(rider)
    extra |= {"rider_given": rider.given_name, "rider_family": rider.family_name,
              "rider_kana": rider.family_name_kana}
    ids = {"request_id": request.id, "route_id": route.id if route else 0,
           "resident_id": t["riders"][0].id, "driver_id": t["driver"].id,
           "vehicle_id": t["car"].id, "place_id": t["clinic"].id, "offer_id": t["offer"].id,
           "run_id": run.id, "row_id": note.id if note else 0, "assignment_id": asked.id,
           "event_id": started.id,
           "token": feed, "day_text": tomorrow().isoformat(), "choice": "accept",
           "code": "en", "filename": "style.css", "slug": slug, **extra}
    return Town(t, ids)


def _other_rows(session: Session, t: dict[str, Any], request_id: int) -> dict[str, int]:
    """Rows of the costs, API and closure pages: a fuel price, a toll, an API token and a
    road closure of the town."""
    from decimal import Decimal

    from carshare.models import ApiToken, ClosureKind, FuelPrice, RoadClosure, TripCostItem
    from carshare.models.costs import ItemKind

    town_id = t["town"].id
    price = add(session, FuelPrice(town_id=town_id, valid_from=date(2026, 1, 1),
                                   yen_per_litre=Decimal("170.0")))
    item = add(session, TripCostItem(town_id=town_id, offer_id=t["offer"].id,
                                     service_date=tomorrow(), kind=ItemKind.TOLL,
                                     amount_yen=300,
                                     entered_by_resident_id=t["driver"].resident_id))
    token = add(session, ApiToken(town_id=town_id, staff_user_id=t["staff"].id, name="x",
                                  prefix="x", token_hash=secrets.token_hex(32)))
    closure = add(session, RoadClosure(town_id=town_id, day=tomorrow(), kind=ClosureKind.AREA,
                                       lat=t["clinic"].lat, lon=t["clinic"].lon, radius_m=100,
                                       created_by_id=t["staff"].id))
    session.commit()
    return {"price_id": price.id, "item_id": item.id, "token_id": token.id,
            "closure_id": closure.id}


def staff_login(client: FlaskClient, user: StaffUser) -> FlaskClient:
    """Sign ``client`` in as ``user`` (the session Flask-Login would write)."""
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = user.get_id()
        flask_session["_fresh"] = True
        flask_session["seen_at"] = __import__("time").time()
    return client


def phone_login(client: FlaskClient, session: Session, resident_id: int) -> FlaskClient:
    """Sign ``client`` in on the phone pages as a resident (a device session of theirs)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(DeviceSession(resident_id=resident_id,
                              token_hash=hashlib.sha256(token.encode()).hexdigest(),
                              created_at=now, last_seen_at=now,
                              expires_at=now + timedelta(days=1)))
    session.commit()
    client.set_cookie("carshare_phone", token)
    return client


def admin_of(session: Session, home: Town, *others: Town) -> StaffUser:
    """An admin of ``home`` who may also switch to ``others``."""
    user = add(session, StaffUser(town_id=home.data["town"].id, username="admin-x",
                                  display_name="管理者", password_hash="x", role=StaffRole.ADMIN,
                                  session_token=secrets.token_hex(16)))
    for other in others:
        add(session, StaffTown(staff_user_id=user.id, town_id=other.data["town"].id))
    session.commit()
    return user


def clients(app: Flask, session: Session, a: Town, b: Town) -> dict[str, FlaskClient | None]:
    """A fresh client per role: anonymous, rider, driver, staff of A and B, admin."""
    driver = a.data["driver"]
    return {
        "anonymous": app.test_client(),
        "rider": phone_login(app.test_client(), session, a.data["riders"][1].id),
        "driver": phone_login(app.test_client(), session, driver.resident_id),
        "staff_a": staff_login(app.test_client(), a.data["staff"]),
        "staff_b": staff_login(app.test_client(), b.data["staff"]),
        "admin": staff_login(app.test_client(), admin_of(session, a, b)),
    }
