"""What a task has already done, so running it again (after a crash, on another worker) does
nothing twice."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from carshare.models.base import AwareDateTime, utcnow


class TaskMark(SQLModel, table=True):
    """A task's work, committed in the same transaction as the work itself.

    ``key`` names the work (``plan:<town>:<day>``, ``replan:<run>``): a task that finds its
    key here skips that work, whoever did it.
    """

    __tablename__ = "task_mark"

    key: str = Field(primary_key=True, max_length=120)
    done_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
