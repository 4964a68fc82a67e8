"""What the task queue is doing, for the staff page and the metrics."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from carshare.models import utcnow
from carshare.tasks.port import STATUSES, TaskQueue, TaskRow


@dataclass(frozen=True)
class Overview:
    """One town's tasks (and the installation's own: retention, alerts) and the totals.

    :param totals: tasks per status in the whole queue, every town together (no town named).
    :param mode: where tasks run (``procrastinate``, ``in-process``, ``inline``).
    :param workers: workers alive (``None``: tasks run in the app process).
    """

    rows: list[TaskRow]
    totals: dict[str, int]
    mode: str
    workers: int | None = None


def overview(queue: TaskQueue, town_id: int, limit: int = 1000) -> Overview:
    """Return the rows of ``town_id`` and of no town, and the totals of every town."""
    rows = queue.rows(limit)
    counts = Counter(row.status for row in rows)
    return Overview([r for r in rows if r.town_id in (town_id, None)],
                    {status: counts.get(status, 0) for status in STATUSES}, queue.mode,
                    queue.workers_alive())


def gauges(rows: list[TaskRow], now: datetime | None = None
           ) -> dict[tuple[int | None, str, str], tuple[int, float]]:
    """Group rows by (town, task, status): how many, and the oldest one's age in seconds."""
    now = now or utcnow()
    found: dict[tuple[int | None, str, str], tuple[int, float]] = {}
    for row in rows:
        key = (row.town_id, row.task, row.status)
        count, oldest = found.get(key, (0, 0.0))
        found[key] = (count + 1, max(oldest, (now - row.since).total_seconds()))
    return found
