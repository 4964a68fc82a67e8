"""The task queue inside the app process: the embedded default (SQLite, ``make run``).

Tasks run in a small thread pool of the process that enqueued them (``in-process``), or at
once in the enqueueing thread (``inline``: tests, one-off commands). Locks, queueing locks
and retries with backoff behave as on Procrastinate, within this one process; what waits
here is lost if the process ends (the scheduler enqueues it again at its next tick).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from carshare.models import utcnow
from carshare.tasks import catalogue
from carshare.tasks.port import FAILED, QUEUED, RUNNING, Enqueued, TaskRow

log = logging.getLogger("carshare.tasks")
#: Failed tasks stay listed this long (and at most this many).
FAILED_KEPT, FAILED_MAX = timedelta(days=1), 100


@dataclass
class _Record:
    id: str
    name: str
    kwargs: Mapping[str, Any]
    queueing_lock: str | None
    status: str = QUEUED
    since: datetime = field(default_factory=utcnow)
    attempts: int = 0
    error: str = ""

    def row(self) -> TaskRow:
        town = self.kwargs.get("town_id")
        return TaskRow(self.id, self.name, town if isinstance(town, int) else None,
                       self.status, self.attempts, self.since, dict(self.kwargs))


class InProcessQueue:
    """Run tasks in this process: ``threads`` > 0 in a pool, 0 at once (``inline``)."""

    def __init__(self, app: Flask, threads: int) -> None:
        self.app = app
        self.mode = "in-process" if threads > 0 else "inline"
        self._pool = (ThreadPoolExecutor(threads, thread_name_prefix="carshare-task")
                      if threads > 0 else None)
        self._records: dict[str, _Record] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def enqueue(self, name: str, session: Any = None, **kwargs: Any) -> Enqueued:
        """Run task ``name`` soon (or now, inline); with a ``session``, once it commits."""
        catalogue.task(name)  # an unknown task fails here, where it is enqueued
        handle = Enqueued(id=None, done=threading.Event())
        if session is None:
            self._submit(name, kwargs, handle)
            return handle
        _on_commit(session, lambda: self._submit(name, kwargs, handle))
        return handle

    def _submit(self, name: str, kwargs: Mapping[str, Any], handle: Enqueued) -> None:
        spec = catalogue.task(name)
        queueing_lock = spec.queueing_lock(kwargs)
        with self._guard:
            if queueing_lock is not None and any(
                    r.queueing_lock == queueing_lock and r.status == QUEUED
                    for r in self._records.values()):
                handle.duplicate = True
                handle.done.set()  # type: ignore[union-attr]
                return
            record = _Record(uuid.uuid4().hex[:12], name, dict(kwargs), queueing_lock)
            self._records[record.id] = record
        handle.id = record.id
        self._start(record, handle)

    def _start(self, record: _Record, handle: Enqueued) -> None:
        if self._pool is None:
            self._execute(record, handle)
        else:
            self._pool.submit(self._execute, record, handle)

    def _execute(self, record: _Record, handle: Enqueued) -> None:
        spec = catalogue.task(record.name)
        lock_name = spec.lock(record.kwargs)
        with self._guard:
            lock = self._locks.setdefault(lock_name, threading.Lock()) if lock_name else None
        with lock or contextlib.nullcontext():
            with self._guard:
                record.status, record.since = RUNNING, utcnow()
                record.attempts += 1
            try:
                result = catalogue.run(self.app, record.name, record.kwargs)
            except Exception as error:  # noqa: BLE001  recorded, retried or listed as failed
                log.exception("task %s %s failed (attempt %d)", record.name,
                              dict(record.kwargs), record.attempts)
                self._failed(record, handle, spec, error)
                return
        with self._guard:
            self._records.pop(record.id, None)
        handle.result, handle.ran = result, True
        handle.done.set()  # type: ignore[union-attr]

    def _failed(self, record: _Record, handle: Enqueued, spec: catalogue.TaskDef,
                error: Exception) -> None:
        with self._guard:
            record.error = str(error)[:300]
            if self._pool is not None and record.attempts < spec.max_attempts:
                record.status, record.since = QUEUED, utcnow()
                timer = threading.Timer(spec.wait_before(record.attempts), self._start,
                                        (record, handle))
                timer.daemon = True
                timer.start()
                return
            record.status, record.since = FAILED, utcnow()
            self._forget_old_failures()
        handle.error, handle.ran = record.error, True
        handle.done.set()  # type: ignore[union-attr]

    def _forget_old_failures(self) -> None:
        failed = sorted((r for r in self._records.values() if r.status == FAILED),
                        key=lambda r: r.since)
        cutoff = utcnow() - FAILED_KEPT
        for stale in [r for r in failed if r.since < cutoff] + failed[:-FAILED_MAX]:
            self._records.pop(stale.id, None)

    def rows(self, limit: int = 200) -> list[TaskRow]:
        """Return the tasks waiting, running and failed in this process, oldest first."""
        with self._guard:
            self._forget_old_failures()
            records = sorted(self._records.values(), key=lambda r: r.since)
            return [r.row() for r in records[:limit]]

    def workers_alive(self) -> None:
        """No workers: this process runs the tasks."""
        return None

    def close(self) -> None:
        """Stop taking tasks; the running ones finish in their threads."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def _on_commit(session: Any, action: Any) -> None:
    """Call ``action`` once the session's transaction commits; never if it rolls back first."""
    settled = threading.Event()

    def committed(_session: Any) -> None:
        if not settled.is_set():
            settled.set()
            action()

    sa.event.listen(session, "after_commit", committed, once=True)
    sa.event.listen(session, "after_rollback", lambda _s: settled.set(), once=True)
