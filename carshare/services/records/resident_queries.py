"""Finding and opening residents' records; whatever staff see of a person is audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from carshare.models import (
    ConsentScope,
    Driver,
    Place,
    Resident,
    ResidentConsent,
    ResidentPhone,
    StaffUser,
)
from carshare.services import audit
from carshare.services.consents import consents_of
from carshare.services.records.common import LIST_LIMIT, audit_list, found, resident_filter
from carshare.services.records.contacts import phones_of


@dataclass(frozen=True)
class ResidentRow:
    """A resident with what the list and the form show beside them."""

    resident: Resident
    phones: list[ResidentPhone]
    home: Place | None
    is_driver: bool
    consents: dict[ConsentScope, ResidentConsent]


def list_residents(session: Session, staff: StaffUser, query: str = "",
                   inactive: bool = False) -> list[ResidentRow]:
    """Return up to 100 residents of the town matching ``query``, in kana order; audit; commit."""
    stmt = select(Resident).where(Resident.town_id == staff.town_id)
    if query.strip():
        stmt = stmt.where(resident_filter(query))
    if not inactive:
        stmt = stmt.where(Resident.active)
    stmt = stmt.order_by(Resident.family_name_kana, Resident.given_name_kana, Resident.id)
    rows = [_row(session, r) for r in session.exec(stmt.limit(LIST_LIMIT))]
    audit_list(session, staff, "resident", ((r.resident.id, r.resident.id) for r in rows))
    session.commit()
    return rows


def open_resident(session: Session, staff: StaffUser, resident_id: int,
                  reason: str = "records") -> ResidentRow:
    """Return a resident's record for staff to read or edit; audit the view; commit.

    :raise RecordNotFound: no such resident in the staff member's town.
    """
    resident = session.get(Resident, resident_id)
    found(resident, resident.town_id if resident else None, staff)
    audit.record(session, staff, "view", "resident", resident.id, resident.id, reason)
    session.commit()
    return _row(session, resident)


def resident_choices(session: Session, staff: StaffUser,
                     drivers_only: bool | None = None) -> list[Resident]:
    """Return the town's active residents, optionally only those with(out) a driver role."""
    stmt = select(Resident).where(Resident.town_id == staff.town_id, Resident.active)
    has_role = Resident.id.in_(select(Driver.resident_id))
    if drivers_only is not None:
        stmt = stmt.where(has_role if drivers_only else ~has_role)
    return list(session.exec(stmt.order_by(Resident.family_name_kana, Resident.given_name_kana)))


def _row(session: Session, resident: Resident) -> ResidentRow:
    home = session.get(Place, resident.home_place_id) if resident.home_place_id else None
    is_driver = session.exec(select(Driver.id).where(
        Driver.resident_id == resident.id)).first() is not None
    return ResidentRow(resident, phones_of(session, resident.id), home, is_driver,
                       consents_of(session, resident.id))
