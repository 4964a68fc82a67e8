"""Fixtures of the records tests: the demo town signed in, another town, form posting."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import (
    OPEN_STATUSES,
    AuditLog,
    Driver,
    Offer,
    OfferStatus,
    RequestStatus,
    Resident,
    RideRequest,
    Town,
    utcnow,
)
from tests.conftest import csrf_token
from tests.factories import small_town


def submit(client: FlaskClient, url: str, data: dict[str, Any], page: str | None = None):  # type: ignore[no-untyped-def]
    """Post ``data`` to ``url`` with the CSRF token of the form page (``url`` by default)."""
    token = csrf_token(client.get(page or url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def text(response) -> str:  # type: ignore[no-untyped-def]
    """Return a response's body as text."""
    return response.get_data(as_text=True)


@pytest.fixture
def other_town(session: Session, staff_client: FlaskClient) -> dict[str, Any]:
    """A second town, whose records the demo staff must never reach."""
    return small_town(session, seats=2, slug="other")


@pytest.fixture
def teshio(session: Session, staff_client: FlaskClient) -> Town:
    """The demo town the staff client works in."""
    return session.exec(select(Town).where(Town.slug == "teshio")).one()


def a_driver(session: Session, town: Town) -> tuple[Driver, Resident]:
    """Return the demo town's first driver (by kana) with their resident record."""
    return session.exec(select(Driver, Resident).join(Resident)
                        .where(Resident.town_id == town.id)
                        .order_by(Resident.family_name_kana)).first()


def audits(session: Session, action: str, entity: str) -> list[AuditLog]:
    """Return the audit entries of one action on one kind of record."""
    session.expire_all()
    return list(session.exec(select(AuditLog).where(AuditLog.action == action,
                                                    AuditLog.entity == entity)))


def book_on(session: Session, offer: Offer) -> RideRequest:
    """Confirm one of the town's open requests on ``offer`` with a promised pick-up."""
    ride = session.exec(select(RideRequest).where(
        RideRequest.town_id == offer.town_id, RideRequest.status.in_(OPEN_STATUSES),
        RideRequest.window_end > utcnow()).order_by(RideRequest.id)).first()
    ride.status, ride.promised_offer_id = RequestStatus.CONFIRMED, offer.id
    ride.promised_pickup_start, ride.promised_pickup_end = ride.window_start, ride.window_end
    session.add(ride)
    session.commit()
    return ride


def an_offer(session: Session, driver: Driver) -> Offer:
    """Return an active offer of ``driver``."""
    return session.exec(select(Offer).where(Offer.driver_id == driver.id,
                                            Offer.status == OfferStatus.ACTIVE)).first()
