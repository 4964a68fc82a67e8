"""The driver role of a resident: licence and passenger-insurance expiry, deactivation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from carshare.models import Driver, Offer, Resident, StaffUser, Vehicle
from carshare.services import audit
from carshare.services.records.common import (
    LIST_LIMIT,
    RecordError,
    audit_list,
    booked_rides,
    changed,
    expiry_state,
    found,
    resident_filter,
    snapshot,
    unique_or,
)

FURTHEST = timedelta(days=365 * 15)  # a later expiry is a typing error


@dataclass(frozen=True)
class DriverRow:
    """A driver with their name, cars and how their documents stand today."""

    driver: Driver
    resident: Resident
    vehicles: list[Vehicle]
    licence: str  # expired | soon | ok
    insurance: str


def own_driver(session: Session, staff: StaffUser, driver_id: int) -> tuple[Driver, Resident]:
    """Return a driver of the staff member's town with their resident record.

    :raise RecordNotFound: no such driver in the town.
    """
    driver = session.get(Driver, driver_id)
    resident = session.get(Resident, driver.resident_id) if driver else None
    found(driver, resident.town_id if resident else None, staff)
    return driver, resident


def open_driver(session: Session, staff: StaffUser, driver_id: int, today: date) -> DriverRow:
    """Return a driver's record for staff to read or edit; audit the view; commit."""
    driver, resident = own_driver(session, staff, driver_id)
    audit.record(session, staff, "view", "driver", driver.id, resident.id, "records")
    session.commit()
    return driver_row(session, driver, resident, today)


def list_drivers(session: Session, staff: StaffUser, today: date, query: str = "",
                 inactive: bool = False) -> list[DriverRow]:
    """Return up to 100 drivers of the town matching ``query``, in kana order; audit; commit."""
    stmt = select(Driver, Resident).join(Resident).where(Resident.town_id == staff.town_id)
    if query.strip():
        stmt = stmt.where(resident_filter(query))
    if not inactive:
        stmt = stmt.where(Driver.active)
    stmt = stmt.order_by(Resident.family_name_kana, Resident.given_name_kana, Driver.id)
    rows = [driver_row(session, d, r, today) for d, r in session.exec(stmt.limit(LIST_LIMIT))]
    audit_list(session, staff, "driver", ((r.driver.id, r.resident.id) for r in rows))
    session.commit()
    return rows


def driver_choices(session: Session, staff: StaffUser) -> list[tuple[int, Resident]]:
    """Return the town's active drivers (id and resident) for a select, in kana order."""
    stmt = (select(Driver.id, Resident).join(Resident, Driver.resident_id == Resident.id)
            .where(Resident.town_id == staff.town_id, Driver.active, Resident.active)
            .order_by(Resident.family_name_kana, Resident.given_name_kana))
    return list(session.exec(stmt))


def driver_row(session: Session, driver: Driver, resident: Resident, today: date) -> DriverRow:
    """Return a driver's row for lists and forms."""
    cars = list(session.exec(select(Vehicle).where(Vehicle.driver_id == driver.id)
                             .order_by(Vehicle.active.desc(), Vehicle.id)))
    return DriverRow(driver, resident, cars, expiry_state(driver.licence_expiry, today),
                     expiry_state(driver.insurance_expiry, today))


def _check_dates(licence: date, insurance: date, today: date) -> None:
    for field, value in (("licence_expiry", licence), ("insurance_expiry", insurance)):
        if not today - FURTHEST <= value <= today + FURTHEST:
            raise RecordError(field, "date_implausible")


def create_driver(session: Session, staff: StaffUser, resident_id: int, licence: date,
                  insurance: date, today: date) -> Driver:
    """Give a resident of the town the driver role; audit; commit.

    :raise RecordError: unknown resident, already a driver, or an implausible date.
    """
    resident = session.get(Resident, resident_id)
    if resident is None or resident.town_id != staff.town_id or not resident.active:
        raise RecordError("resident_id", "unknown_resident")
    if session.exec(select(Driver.id).where(Driver.resident_id == resident_id)).first():
        raise RecordError("resident_id", "already_driver")
    _check_dates(licence, insurance, today)
    driver = Driver(resident_id=resident_id, licence_expiry=licence, insurance_expiry=insurance)
    session.add(driver)
    with unique_or("resident_id", "already_driver"):
        session.flush()
    audit.record(session, staff, "create", "driver", driver.id, resident_id, "records")
    session.commit()
    return driver


def update_driver(session: Session, staff: StaffUser, driver_id: int, licence: date,
                  insurance: date, today: date) -> Driver:
    """Record new expiry dates of a driver's licence and insurance; audit; commit."""
    driver, resident = own_driver(session, staff, driver_id)
    _check_dates(licence, insurance, today)
    before = snapshot(driver, ("licence_expiry", "insurance_expiry"))
    driver.licence_expiry, driver.insurance_expiry = licence, insurance
    session.add(driver)
    audit.record(session, staff, "update", "driver", driver.id, resident.id, changed(
        before, {"licence_expiry": licence, "insurance_expiry": insurance}))
    session.commit()
    return driver


def driver_booked(session: Session, driver_id: int) -> int:
    """Return how many rides still to come are promised on the driver's offers."""
    offers = session.exec(select(Offer.id).where(Offer.driver_id == driver_id))
    return booked_rides(session, offers)


def deactivate_driver(session: Session, staff: StaffUser, driver_id: int) -> Driver:
    """End a driver role (the resident stays); audit; commit.

    :raise RecordError: riders are still booked with this driver.
    """
    driver, resident = own_driver(session, staff, driver_id)
    if driver_booked(session, driver.id):
        raise RecordError("form", "has_booked_rides")
    driver.active = False
    session.add(driver)
    audit.record(session, staff, "deactivate", "driver", driver.id, resident.id, "records")
    session.commit()
    return driver
