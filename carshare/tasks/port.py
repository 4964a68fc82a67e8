"""The task queue as the rest of the code sees it: enqueue a task by name, list what waits.

Two adapters implement :class:`TaskQueue`: Procrastinate on PostgreSQL (workers in their own
processes, on any number of machines) and a queue in the app process (SQLite: threads, or at
once in tests). Both run the same task functions (:mod:`carshare.tasks.work`) through
:func:`carshare.tasks.catalogue.run`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

#: Statuses shown to staff and exported as gauges.
QUEUED, RUNNING, FAILED = "queued", "running", "failed"
STATUSES = (QUEUED, RUNNING, FAILED)


@dataclass
class Enqueued:
    """What enqueueing did.

    :param id: the task's id in its queue (``None`` when it was already queued).
    :param duplicate: the same work was already waiting (its queueing lock), nothing added.
    :param ran: the task has already run (inline queue): ``result`` or ``error`` tell how.
    """

    id: str | None
    duplicate: bool = False
    ran: bool = False
    result: Any = None
    error: str = ""
    done: threading.Event | None = field(default=None, repr=False)

    def join(self, timeout: float | None = None) -> bool:
        """Wait until the task has run in this process (in-process queue); return whether
        it has. A task on a worker queue is not waited for (returns ``False`` at once)."""
        if self.ran:
            return True
        if self.done is None:
            return False
        return self.done.wait(timeout)


@dataclass(frozen=True)
class TaskRow:
    """One task waiting, running or failed, as staff and the CLI see it."""

    id: str
    task: str
    town_id: int | None
    status: str  # QUEUED, RUNNING or FAILED
    attempts: int
    since: datetime  # enqueued (queued), started (running), or failed at
    args: Mapping[str, Any]


class TaskQueue(Protocol):
    """Where tasks are enqueued and where staff see them."""

    mode: str  # "procrastinate", "in-process" or "inline"

    def enqueue(self, name: str, session: Any = None, **kwargs: Any) -> Enqueued:
        """Enqueue task ``name`` with JSON-serialisable ``kwargs``.

        :param session: a SQLModel session whose open transaction the task joins (it is
            enqueued when, and only if, that transaction commits); ``None``: at once.
        """
        ...

    def rows(self, limit: int = 200) -> list[TaskRow]:
        """Return the tasks queued, running and failed (failed: the last day), oldest first."""
        ...

    def workers_alive(self) -> int | None:
        """Return how many workers beat recently, or ``None`` when tasks run in process."""
        ...

    def close(self) -> None:
        """Release what the queue holds (threads, connections)."""
        ...
