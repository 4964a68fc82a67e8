"""The towns a staff member may work in (used by accounts, API tokens and the town switch)."""

from __future__ import annotations

from sqlmodel import Session, select

from carshare.models import StaffRole, StaffTown, StaffUser, Town


def towns_of(session: Session, user_id: int) -> list[Town]:
    """Return the towns a user may work in: their own, and for an admin the linked ones."""
    user = session.get(StaffUser, user_id)
    if user is None:
        return []
    ids = {user.town_id}
    if user.role is StaffRole.ADMIN:
        ids |= set(session.exec(select(StaffTown.town_id).where(
            StaffTown.staff_user_id == user_id)).all())
    return list(session.exec(select(Town).where(Town.id.in_(ids)).order_by(Town.id)).all())
