"""Bring a deactivated record back (deactivation is never a deletion, so it can be undone)."""

from __future__ import annotations

from sqlmodel import Session

from carshare.models import Place, Resident, StaffUser
from carshare.services import audit
from carshare.services.records.common import RecordError
from carshare.services.records.drivers import own_driver
from carshare.services.records.place_queries import own_place
from carshare.services.records.residents import own_resident
from carshare.services.records.vehicles import own_vehicle


def reactivate_resident(session: Session, staff: StaffUser, resident_id: int) -> Resident:
    """Make a resident active again (their driver role stays ended); audit; commit.

    :raise RecordNotFound: no such resident in the staff member's town.
    """
    resident = own_resident(session, staff, resident_id)
    resident.active, resident.left_at = True, None
    return _saved(session, staff, resident, "resident", resident.id, resident.id)


def reactivate_driver(session: Session, staff: StaffUser, driver_id: int) -> None:
    """Give the driver role back. :raise RecordError: the resident is deactivated."""
    driver, resident = own_driver(session, staff, driver_id)
    if not resident.active:
        raise RecordError("form", "resident_inactive")
    driver.active = True
    _saved(session, staff, driver, "driver", driver.id, resident.id)


def reactivate_vehicle(session: Session, staff: StaffUser, vehicle_id: int) -> None:
    """Put a car back in service. :raise RecordError: its driver role has ended."""
    row = own_vehicle(session, staff, vehicle_id)
    if not row.driver.active:
        raise RecordError("form", "driver_inactive")
    row.vehicle.active = True
    _saved(session, staff, row.vehicle, "vehicle", row.vehicle.id, row.resident.id)


def reactivate_place(session: Session, staff: StaffUser, place_id: int) -> Place:
    """Offer a place among the choices again; audit; commit."""
    place = own_place(session, staff, place_id)
    place.active = True
    return _saved(session, staff, place, "place", place.id, None)


def _saved(session: Session, staff: StaffUser, row, entity: str, entity_id: int,  # type: ignore[no-untyped-def]
           resident_id: int | None):
    session.add(row)
    audit.record(session, staff, "reactivate", entity, entity_id, resident_id, "records")
    session.commit()
    return row
