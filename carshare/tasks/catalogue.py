"""Every task, as data: its name, its function, its locks and how it is retried.

A task function takes the Flask app and JSON-serialisable keyword arguments and is
idempotent: running it again after a crash, on another worker, does nothing twice.

- ``lock``: two tasks with the same lock never run at the same time (one town's day is
  planned by one task at a time, nightly planning and a staff re-planning alike).
- ``queueing_lock``: a second task with the same queueing lock is not added while the first
  still waits (the scheduler's next tick finds the town's sending already queued).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask

Key = Callable[[Mapping[str, Any]], str | None]


def _none(_kwargs: Mapping[str, Any]) -> None:
    return None


@dataclass(frozen=True)
class TaskDef:
    """One task.

    :param func: ``module:function`` taking the Flask app and the task's keyword arguments.
    :param max_attempts: runs in all after a failure (1: never retried; the next tick of the
        scheduler enqueues it again anyway).
    :param backoff_s: the n-th retry waits ``backoff_s ** n`` seconds (2: 2, 4, 8, 16 s).
    :param priority: higher runs first when tasks wait (Procrastinate): messages before a
        staff re-planning before the nightly planning of every town before housekeeping.
    """

    name: str
    func: str
    lock: Key = _none
    queueing_lock: Key = _none
    max_attempts: int = 5
    backoff_s: int = 2
    priority: int = 0
    description: str = ""

    def wait_before(self, attempt: int) -> float:
        """Seconds to wait before running again after failed attempt number ``attempt``
        (1-based), Procrastinate's exponential formula."""
        return float(self.backoff_s ** attempt)


def _plan_lock(kwargs: Mapping[str, Any]) -> str:
    return f"plan:{kwargs['town_id']}:{kwargs['day']}"


TASKS: dict[str, TaskDef] = {spec.name: spec for spec in (
    TaskDef("plan_town_day", "carshare.tasks.work:plan_town_day",
            lock=_plan_lock, queueing_lock=_plan_lock,
            description="Plan one town's day and write its confirmations and manifests."),
    TaskDef("replan_run", "carshare.tasks.work:replan_run",
            lock=_plan_lock, queueing_lock=lambda kw: f"replan:{kw['run_id']}",
            max_attempts=3, priority=10,
            description="Re-plan a day as staff asked (the run records the outcome)."),
    TaskDef("send_town_messages", "carshare.tasks.work:send_town_messages",
            queueing_lock=lambda kw: f"send:{kw['town_id']}", max_attempts=1, priority=20,
            description="Send one town's due messages."),
    TaskDef("retention", "carshare.tasks.work:retention",
            lock=lambda _kw: "retention", queueing_lock=lambda _kw: "retention", priority=-10,
            description="Anonymise what is older than each town's retention period."),
    TaskDef("document_alerts", "carshare.tasks.work:document_alerts",
            lock=lambda _kw: "document-alerts", queueing_lock=lambda _kw: "document-alerts",
            priority=-10, description="Alert staff about drivers' documents expiring soon."),
)}


def task(name: str) -> TaskDef:
    """Return the task called ``name``.

    :raise KeyError: for an unknown task.
    """
    return TASKS[name]


def run(app: Flask, name: str, kwargs: Mapping[str, Any]) -> Any:
    """Run task ``name`` now, in this thread: the one code path of every queue."""
    module, _, attr = TASKS[name].func.partition(":")
    func = getattr(importlib.import_module(module), attr)
    return func(app, **kwargs)
