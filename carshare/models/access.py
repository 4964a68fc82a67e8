"""Which towns an admin may work in besides their own (the town switcher's choices)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class StaffTown(SQLModel, table=True):
    """An extra town an admin account may switch to; staff work only in their own town."""

    __tablename__ = "staff_town"

    staff_user_id: int = Field(foreign_key="staff_user.id", primary_key=True)
    town_id: int = Field(foreign_key="town.id", primary_key=True, index=True)
