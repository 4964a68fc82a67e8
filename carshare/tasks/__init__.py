"""Tasks: planning a town's day, re-planning on request, sending a town's messages,
retention and document alerts, run by workers.

The scheduler (:mod:`carshare.jobs`, one process) only enqueues; the queue decides where
tasks run (``TASK_QUEUE``):

- ``procrastinate`` (PostgreSQL, the default there): ``flask --app app worker`` processes on
  any number of machines (:mod:`carshare.tasks.pg`);
- ``in-process`` (SQLite, the default there): threads of the app process, no extra service;
- ``inline``: at once, in the caller's thread (tests).

Every queue runs the same functions (:mod:`carshare.tasks.work`).
"""

from __future__ import annotations

import threading

from flask import Flask

from carshare.tasks.port import Enqueued, TaskQueue, TaskRow

__all__ = ["Enqueued", "TaskQueue", "TaskRow", "get_queue", "queue_mode"]

EXTENSION_KEY = "carshare.tasks"
MODES = ("auto", "procrastinate", "in-process", "inline")
_CREATING = threading.Lock()


def queue_mode(app: Flask) -> str:
    """Return where this app's tasks run: ``procrastinate``, ``in-process`` or ``inline``.

    :raise ValueError: for an unknown ``TASK_QUEUE``, or Procrastinate without PostgreSQL.
    """
    from carshare.db import ENGINE_KEY

    mode = app.config["TASK_QUEUE"]
    postgresql = app.extensions[ENGINE_KEY].dialect.name == "postgresql"
    if mode not in MODES:
        raise ValueError(f"CARSHARE_TASK_QUEUE must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "auto":
        return "procrastinate" if postgresql else "in-process"
    if mode == "procrastinate" and not postgresql:
        raise ValueError("CARSHARE_TASK_QUEUE=procrastinate needs PostgreSQL "
                         "(CARSHARE_DATABASE_URL=postgresql+psycopg://...)")
    return mode


def get_queue(app: Flask) -> TaskQueue:
    """Return the app's task queue, made on first use."""
    queue = app.extensions.get(EXTENSION_KEY)
    if queue is not None:
        return queue  # type: ignore[no-any-return]
    with _CREATING:
        if EXTENSION_KEY not in app.extensions:
            app.extensions[EXTENSION_KEY] = _make(app)
    return app.extensions[EXTENSION_KEY]  # type: ignore[no-any-return]


def _make(app: Flask) -> TaskQueue:
    from carshare.db import ENGINE_KEY

    mode = queue_mode(app)
    if mode == "procrastinate":
        from carshare.tasks.pg import ProcrastinateQueue

        return ProcrastinateQueue(app, app.extensions[ENGINE_KEY])
    from carshare.tasks.inprocess import InProcessQueue

    return InProcessQueue(app, int(app.config["TASK_THREADS"]) if mode == "in-process" else 0)
