"""The audit log: who looked at or changed which resident's data, and why."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session

from carshare.models import AuditLog, Resident, StaffUser, utcnow

#: Who acts: a staff member, or a resident on their own phone page.
Actor = StaffUser | Resident


def record(
    session: Session, staff: Actor, action: str, entity: str,
    entity_id: int | None = None, resident_id: int | None = None, reason: str = "",
) -> AuditLog:
    """Add an audit entry to ``session``; it commits with the change it describes.

    :param staff: the staff user, or the resident acting for themselves on their phone.
    :param action: a verb such as ``view``, ``search``, ``create``, ``update``, ``cancel``.
    :param entity: the table touched, e.g. ``resident`` or ``ride_request``.
    """
    is_staff = isinstance(staff, StaffUser)
    entry = AuditLog(town_id=staff.town_id, staff_user_id=staff.id if is_staff else None,
                     actor=staff.username if is_staff else f"resident:{staff.id}",
                     action=action, entity=entity, entity_id=entity_id,
                     resident_id=resident_id, reason=reason[:300])
    session.add(entry)
    return entry


def record_residents(session: Session, staff: Actor, action: str, entity: str,
                     resident_ids: Iterable[int | None], reason: str,
                     entity_id: int | None = None) -> list[AuditLog]:
    """Add one audit entry per distinct resident whose data ``staff`` was shown (the caller
    commits, before the page is rendered)."""
    ids = sorted({r for r in resident_ids if r is not None})
    return [record(session, staff, action, entity, entity_id, r, reason) for r in ids]


def viewed(session: Session, staff: Actor, resident_ids: Iterable[int | None], reason: str,
           action: str = "view") -> None:
    """Audit that ``staff`` sees these residents' data on a page; commit before it renders.

    One entry per distinct resident, as :func:`record_residents` writes them, inserted in
    one statement (a day's list shows dozens of people).
    """
    ids = sorted({r for r in resident_ids if r is not None})
    if ids:
        is_staff = isinstance(staff, StaffUser)
        entry = {"at": utcnow(), "town_id": staff.town_id,
                 "staff_user_id": staff.id if is_staff else None,
                 "actor": staff.username if is_staff else f"resident:{staff.id}",
                 "action": action, "entity": "resident", "entity_id": None,
                 "reason": reason[:300]}
        session.flush()  # what the page shows is written first (the entries refer to it)
        session.execute(sa.insert(AuditLog.__table__),  # type: ignore[attr-defined]
                        [{**entry, "resident_id": r} for r in ids])
    session.commit()


def accessed(session: Session, staff: Actor, action: str, entity: str,
             rows: Iterable[tuple[int | None, int | None]], reason: str) -> None:
    """Audit what a page or a printout shows, one entry per distinct ``(entity_id,
    resident_id)``, and commit before it renders (a page that cannot log shows nothing).

    :param action: ``view``, ``print``, ``search`` or ``report``.
    :param rows: ``(entity_id, resident_id)`` of each thing shown.
    """
    for entity_id, resident_id in sorted(set(rows), key=lambda p: (p[0] or 0, p[1] or 0)):
        record(session, staff, action, entity, entity_id, resident_id, reason)
    session.commit()


def system(session: Session, town_id: int | None, action: str, entity: str,
           resident_id: int | None = None, reason: str = "",
           entity_id: int | None = None) -> AuditLog:
    """Add an audit entry of the system itself (a job), not of a person."""
    entry = AuditLog(town_id=town_id, staff_user_id=None, actor="system", action=action,
                     entity=entity, entity_id=entity_id, resident_id=resident_id,
                     reason=reason[:300])
    session.add(entry)
    return entry
