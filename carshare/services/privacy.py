"""A resident's rights under the APPI: disclose everything held about them, or erase it.

Both are for admins, need a reason, and are audited in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from carshare.models import (
    OPEN_STATUSES,
    AuditLog,
    DeviceSession,
    Driver,
    Notification,
    Offer,
    Place,
    Resident,
    ResidentConsent,
    ResidentPhone,
    RideRequest,
    StaffRole,
    StaffUser,
    TripEvent,
    Vehicle,
)
from carshare.services import audit
from carshare.services.anonymise import (
    anonymise_notification,
    anonymise_resident,
    anonymise_ride,
    trim_cancel_reasons,
)

ERASE_OUTCOME = "rider_cancel"  # erasure is the rider's own wish: cancelled as by the rider


class PrivacyError(ValueError):
    """The request cannot be carried out; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def admin_resident(session: Session, staff: StaffUser, resident_id: int) -> Resident:
    """Return a resident of the town the admin works in (an admin of several towns switches
    town first, which sets ``staff.town_id``).

    :raise PrivacyError: ``not_admin`` for staff, ``not_found`` for other towns' residents.
    """
    if staff.role != StaffRole.ADMIN:
        raise PrivacyError("not_admin")
    resident = session.get(Resident, resident_id)
    if resident is None or resident.town_id != staff.town_id:
        raise PrivacyError("not_found")
    return resident


def _reason(reason: str) -> str:
    text = " ".join(reason.split())
    if len(text) < 4:
        raise PrivacyError("reason_missing")
    return text[:250]


def export_resident(session: Session, staff: StaffUser, resident_id: int,
                    reason: str) -> dict[str, Any]:
    """Return everything held about a resident as JSON-ready data; audit the export; commit.

    :raise PrivacyError: not an admin, no such resident, or no reason given.
    """
    why = _reason(reason)
    resident = admin_resident(session, staff, resident_id)
    data = disclosure(session, resident)
    audit.record(session, staff, "export", "resident", resident.id, resident.id,
                 f"disclosure: {why}")
    session.commit()
    return data


def disclosure(session: Session, resident: Resident) -> dict[str, Any]:
    """Return every row about ``resident``: profile, home, phones, consents, driver role,
    cars, offers, rides, trip events, messages, sessions and the audit entries about them."""
    rid = resident.id
    driver = session.exec(select(Driver).where(Driver.resident_id == rid)).first()
    rides = _rows(session, RideRequest, RideRequest.rider_id == rid)
    return {
        "format": "carshare-disclosure-1",
        "resident": _plain(resident),
        "home": _plain(session.get(Place, resident.home_place_id))
        if resident.home_place_id else None,
        "phones": _rows(session, ResidentPhone, ResidentPhone.resident_id == rid),
        "consents": _rows(session, ResidentConsent, ResidentConsent.resident_id == rid),
        "driver": _plain(driver, exclude={"calendar_token_hash"}) if driver else None,
        "vehicles": _rows(session, Vehicle, Vehicle.driver_id == driver.id) if driver else [],
        "offers": _rows(session, Offer, Offer.driver_id == driver.id) if driver else [],
        "rides": rides,
        "trip_events": _rows(session, TripEvent, TripEvent.request_id.in_(
            [r["id"] for r in rides])) if rides else [],
        "notifications": [_without_code(n) for n in _rows(
            session, Notification, Notification.resident_id == rid)],
        "device_sessions": [_plain(d, exclude={"token_hash"}) for d in session.exec(
            select(DeviceSession).where(DeviceSession.resident_id == rid))],
        "audit_log": _rows(session, AuditLog, AuditLog.resident_id == rid),
    }


def _without_code(message: dict[str, Any]) -> dict[str, Any]:
    """A sign-in code is a secret, even in a disclosure: keep that it was sent, not the code
    (nor the nonce it is derived from; codes of older rows were stored)."""
    payload = message.get("payload")
    if isinstance(payload, dict) and ("code" in payload or "nonce" in payload):
        message["payload"] = {k: "******" if k in ("code", "nonce") else v
                              for k, v in payload.items()}
    return message


def _rows(session: Session, model: type[SQLModel], where: sa.ColumnElement[bool]
          ) -> list[dict[str, Any]]:
    return [_plain(row) for row in session.exec(
        select(model).where(where).order_by(model.id))]  # type: ignore[attr-defined]


def _plain(row: SQLModel | None, exclude: set[str] | None = None) -> dict[str, Any] | None:
    """Return a row's columns with dates as ISO text and enums as their values."""
    if row is None:
        return None
    values = {}
    for column in sa.inspect(type(row)).columns:
        if exclude and column.key in exclude:
            continue
        value = getattr(row, column.key)
        if isinstance(value, datetime | date | time):
            value = value.isoformat()
        elif hasattr(value, "value"):
            value = value.value
        values[column.key] = value
    return values


def erase_resident(session: Session, staff: StaffUser, resident_id: int, reason: str,
                   confirmation: str, now: datetime, tz: ZoneInfo) -> int:
    """Erase a resident on their request: cancel their promised rides through the usual
    cancel flow (drivers are told), then anonymise them, their rides and their messages
    (rows stay for the statistics). One transaction; audited; commits.

    :param confirmation: must repeat the resident's number, as shown on the page.
    :return: how many future rides were cancelled.
    :raise PrivacyError: not an admin, no such resident, no reason, wrong confirmation, a
        driver with riders still booked, or already erased.
    """
    why = _reason(reason)
    resident = admin_resident(session, staff, resident_id)
    if confirmation.strip() != str(resident.id):
        raise PrivacyError("confirmation_wrong")
    if resident.anonymised_at is not None:
        raise PrivacyError("already_erased")
    _refuse_booked_driver(session, resident)
    cancelled = _cancel_open_rides(session, staff, resident, tz)
    rides = list(session.exec(select(RideRequest).where(RideRequest.rider_id == resident.id)))
    for ride in rides:
        anonymise_ride(session, ride, now)
    trim_cancel_reasons(session, [r.id for r in rides])
    for row in session.exec(select(Notification).where(Notification.resident_id == resident.id)):
        anonymise_notification(session, row, now)
    anonymise_resident(session, resident, now)
    audit.record(session, staff, "erase", "resident", resident.id, resident.id,
                 f"erasure: {why}; {cancelled} rides cancelled")
    session.commit()
    return cancelled


def _refuse_booked_driver(session: Session, resident: Resident) -> None:
    from carshare.services.records.drivers import driver_booked

    driver = session.exec(select(Driver).where(Driver.resident_id == resident.id)).first()
    if driver is not None and driver_booked(session, driver.id):
        raise PrivacyError("driver_booked")


def _cancel_open_rides(session: Session, staff: StaffUser, resident: Resident,
                       tz: ZoneInfo) -> int:
    from carshare.services.trips import close_ride

    rides = list(session.exec(select(RideRequest).where(
        RideRequest.rider_id == resident.id, RideRequest.status.in_(OPEN_STATUSES))))
    for ride in rides:
        close_ride(session, staff, ride, ERASE_OUTCOME, "erasure requested by the resident", tz)
    session.flush()
    return len(rides)
