"""Privacy fixtures: the small town with a confirmed ride, staff and admin sign-ins."""

from __future__ import annotations

from typing import Any

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import AuditLog, Route, StaffRole, StaffUser
from carshare.services.users import hash_password
from tests.conftest import login
from tests.driver.conftest import book, tomorrow
from tests.driver.conftest import town as town  # noqa: F401  (the fixture, re-exported)
from tests.factories import add

PASSWORD = "privacy-test-password-2026"


def audit_rows(session: Session, after: int = 0, **where: Any) -> list[AuditLog]:
    """Return audit entries newer than id ``after`` matching ``where`` (column=value)."""
    session.expire_all()
    stmt = select(AuditLog).where(AuditLog.id > after)
    for name, value in where.items():
        stmt = stmt.where(getattr(AuditLog, name) == value)
    return list(session.exec(stmt.order_by(AuditLog.id)))


def last_audit_id(session: Session) -> int:
    """Return the newest audit entry's id (0 when there is none)."""
    rows = audit_rows(session)
    return rows[-1].id if rows else 0


def account(session: Session, town_id: int, username: str, role: StaffRole) -> StaffUser:
    """Add a staff account with ``PASSWORD``."""
    user = add(session, StaffUser(town_id=town_id, username=username, display_name=username,
                                  password_hash=hash_password(PASSWORD), role=role,
                                  session_token="s"))
    session.commit()
    return user


@pytest.fixture
def ride(session: Session, town: dict[str, Any]):  # type: ignore[no-untyped-def]  # noqa: F811
    """Rider 0 booked and confirmed on the driver's offer tomorrow."""
    return book(session, town, 0, tomorrow())


@pytest.fixture
def route(session: Session, ride: Any, town: dict[str, Any]) -> Route:  # noqa: F811
    """The driver's route carrying the ride."""
    return session.exec(select(Route).where(Route.offer_id == town["offer"].id)).first()


@pytest.fixture
def staff(client: FlaskClient, session: Session, town: dict[str, Any]) -> FlaskClient:  # noqa: F811
    """A client signed in as a staff member of the small town."""
    account(session, town["town"].id, "clerk", StaffRole.STAFF)
    return signed_in(client, "clerk")


@pytest.fixture
def admin(client: FlaskClient, session: Session, town: dict[str, Any]) -> FlaskClient:  # noqa: F811
    """A client signed in as an admin of the small town."""
    account(session, town["town"].id, "chief", StaffRole.ADMIN)
    return signed_in(client, "chief")


def signed_in(client: FlaskClient, username: str) -> FlaskClient:
    """Sign in; forget the CSRF token cached in ``g`` of the test's shared app context (the
    sign-in starts a new session, so the next page must put a new token in it)."""
    assert login(client, username, PASSWORD).status_code == 302
    g.pop("csrf_token", None)
    return client
