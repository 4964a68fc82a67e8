"""The audit log: who looked at or changed which resident's data, and why."""

from __future__ import annotations

from sqlmodel import Session

from carshare.models import AuditLog, StaffUser


def record(
    session: Session, staff: StaffUser, action: str, entity: str, entity_id: int | None = None,
    resident_id: int | None = None, reason: str = "",
) -> AuditLog:
    """Add an audit entry to ``session``; it commits with the change it describes.

    :param action: a verb such as ``view``, ``search``, ``create``, ``update``, ``cancel``.
    :param entity: the table touched, e.g. ``resident`` or ``ride_request``.
    """
    entry = AuditLog(town_id=staff.town_id, staff_user_id=staff.id, actor=staff.username,
                     action=action, entity=entity, entity_id=entity_id,
                     resident_id=resident_id, reason=reason[:300])
    session.add(entry)
    return entry
