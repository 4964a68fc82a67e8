"""The task queue on PostgreSQL: Procrastinate (jobs are rows in ``procrastinate_jobs``).

Enqueueing is one insert on a connection of our own engine, so a task can join the
transaction of the booking that causes it (it exists if and only if that commits). Workers
(``flask --app app worker``) run in their own processes on any number of machines: each
takes one job at a time (``SELECT ... FOR UPDATE SKIP LOCKED`` inside Procrastinate), sends
a heartbeat, and hands the jobs of a worker that stopped beating (killed, cut off) back to
the queue (:meth:`ProcrastinateQueue.recover_stalled`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import procrastinate
import sqlalchemy as sa
from flask import Flask
from procrastinate import exceptions, manager, sql
from procrastinate.jobs import Job
from procrastinate.sync_psycopg_connector import SyncPsycopgConnector
from sqlalchemy.engine import Engine

from carshare.models import utcnow
from carshare.tasks import catalogue
from carshare.tasks.port import FAILED, QUEUED, RUNNING, Enqueued, TaskRow

log = logging.getLogger("carshare.tasks")
QUEUE = "carshare"
#: A job handed back this many times after its worker died is failed instead (a task that
#: kills its worker every time must not loop for ever).
MAX_STALLED_RETRIES = 3
STATUS = {"todo": QUEUED, "doing": RUNNING, "failed": FAILED}
ROWS = sa.text("""
SELECT j.id, j.task_name, j.args, j.status, j.attempts, e.at
  FROM procrastinate_jobs j
  JOIN LATERAL (SELECT max(at) AS at FROM procrastinate_events WHERE job_id = j.id) e ON true
 WHERE j.status IN ('todo', 'doing')
    OR (j.status = 'failed' AND e.at > now() - interval '1 day')
 ORDER BY e.at, j.id
 LIMIT :limit""")


def conninfo(engine: Engine) -> str:
    """Return the engine's database as a libpq connection string (for Procrastinate)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


class ProcrastinateQueue:
    """Enqueue on PostgreSQL; run a worker (:meth:`run_worker`) in its own process."""

    mode = "procrastinate"

    def __init__(self, app: Flask, engine: Engine) -> None:
        self.app, self.engine = app, engine
        self.procrastinate = procrastinate.App(
            connector=procrastinate.PsycopgConnector(conninfo=conninfo(engine)))
        for spec in catalogue.TASKS.values():
            self._register(spec)
        # enqueueing and recovery use our engine's connections, never a pool of their own
        self._jobs = manager.JobManager(SyncPsycopgConnector())

    def _register(self, spec: catalogue.TaskDef) -> None:
        app = self.app

        def body(**kwargs: Any) -> Any:
            return catalogue.run(app, spec.name, kwargs)

        body.__name__ = body.__qualname__ = spec.name
        retry: procrastinate.RetryStrategy | bool = (
            procrastinate.RetryStrategy(max_attempts=spec.max_attempts - 1,
                                        exponential_wait=spec.backoff_s)
            if spec.max_attempts > 1 else False)
        self.procrastinate.task(name=spec.name, queue=QUEUE, retry=retry)(body)

    def enqueue(self, name: str, session: Any = None, **kwargs: Any) -> Enqueued:
        """Insert the job; with a ``session``, inside its open transaction (a savepoint, so
        a duplicate leaves that transaction usable)."""
        spec = catalogue.task(name)
        job = Job(id=None, queue=QUEUE, lock=spec.lock(kwargs),
                  queueing_lock=spec.queueing_lock(kwargs), task_name=name,
                  task_kwargs=kwargs, priority=spec.priority)
        try:
            if session is not None:
                with session.begin_nested():
                    deferred = self._defer(session.connection(), job)
            else:
                with self.engine.begin() as conn:
                    deferred = self._defer(conn, job)
        except exceptions.AlreadyEnqueued:
            return Enqueued(id=None, duplicate=True)
        return Enqueued(id=str(deferred.id))

    def _defer(self, conn: sa.Connection, job: Job) -> Job:
        return self._jobs.defer_job(job, connection=conn.connection.driver_connection)

    def rows(self, limit: int = 200) -> list[TaskRow]:
        """Return the jobs queued, running and failed (the last day), oldest first."""
        with self.engine.connect() as conn:
            found = conn.execute(ROWS, {"limit": limit}).all()
        return [TaskRow(str(job_id), task, _town(args), STATUS[status], attempts,
                        since or utcnow(), args or {})
                for job_id, task, args, status, attempts, since in found]

    def workers_alive(self) -> int:
        """Return how many workers beat within ``TASK_STALLED_SECONDS``."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.text(
                "SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > "
                "now() - make_interval(secs => :seconds)"),
                {"seconds": float(self.app.config["TASK_STALLED_SECONDS"])}).scalar() or 0)

    @contextmanager
    def _driver(self) -> Iterator[Any]:
        with self.engine.begin() as conn:
            yield conn.connection.driver_connection

    def recover_stalled(self, seconds: float, running_here: frozenset[int] = frozenset()
                        ) -> list[int]:
        """Put back in the queue the running jobs of workers silent for ``seconds`` (killed,
        or cut off from the database), except ``running_here`` (this process's own); fail
        those already handed back too often. Safe in every worker at once: a job another
        one recovered first is skipped."""
        with self._driver() as driver:
            stalled = driver.execute(sql.queries["select_stalled_jobs_by_heartbeat"],
                                     {"queue": None, "task_name": None,
                                      "seconds_since_heartbeat": seconds}).fetchall()
        return [row[0] for row in stalled
                if row[0] not in running_here and self._hand_back(row[0], row[2], row[9])]

    def recover_orphans(self, worker_id: int | None, running_here: frozenset[int],
                        suspects: frozenset[int]) -> frozenset[int]:
        """Hand back the jobs the database says this worker runs but it does not (their end
        could not be recorded: the database was away when they finished or failed). A job is
        handed back when it was already a suspect at the previous check (a job just fetched
        is not yet among the running ones); return the suspects of this check."""
        if worker_id is None:
            return frozenset()
        with self._driver() as driver:
            mine = driver.execute("SELECT id, task_name, attempts FROM procrastinate_jobs "
                                  "WHERE status = 'doing' AND worker_id = %s",
                                  (worker_id,)).fetchall()
        orphans = {job_id: (task, attempts) for job_id, task, attempts in mine
                   if job_id not in running_here}
        for job_id in orphans.keys() & suspects:
            self._hand_back(job_id, *orphans[job_id])
        return frozenset(orphans.keys() - suspects)

    def _hand_back(self, job_id: int, task: str, attempts: int) -> bool:
        try:
            with self._driver() as driver:
                if attempts >= MAX_STALLED_RETRIES:
                    driver.execute("SELECT procrastinate_finish_job_v1(%s, 'failed', false)",
                                   (job_id,))
                else:
                    driver.execute("SELECT procrastinate_retry_job_v2(%s, now(), NULL, "
                                   "NULL, NULL)", (job_id,))
        except Exception as error:  # noqa: BLE001  psycopg's own error type
            # another worker took it back first, or it finished meanwhile
            log.debug("job %s not handed back: %s", job_id, error)
            return False
        log.warning("task %s (job %s) of a silent worker handed back to the queue", task, job_id)
        return True

    def run_worker(self, concurrency: int = 1, name: str | None = None,
                   poll_seconds: float = 5.0) -> None:
        """Run a worker in this process until SIGTERM/SIGINT (running tasks finish first),
        watching for the tasks of silent workers and for its own tasks whose end was lost."""
        from procrastinate.worker import Worker

        stalled = float(self.app.config["TASK_STALLED_SECONDS"])

        async def main() -> None:
            async with self.procrastinate.open_async():
                self.procrastinate.perform_import_paths()
                worker = Worker(
                    app=self.procrastinate, queues=[QUEUE], concurrency=concurrency,
                    name=name, wait=True, delete_jobs="successful",
                    update_heartbeat_interval=float(self.app.config["TASK_HEARTBEAT_SECONDS"]),
                    stalled_worker_timeout=stalled, fetch_job_polling_interval=poll_seconds,
                    abort_job_polling_interval=max(poll_seconds, 5.0))
                watch = asyncio.create_task(self._watch(worker, stalled))
                try:
                    await worker.run()
                finally:
                    watch.cancel()

        asyncio.run(main())

    async def _watch(self, worker: Any, stalled: float) -> None:
        """Every third of ``stalled``: hand back lost jobs. Silent workers are only judged
        once the database has answered for ``stalled`` seconds (after an outage every live
        worker needs a moment to beat again)."""
        answered_since, suspects = time.monotonic(), frozenset[int]()
        while True:
            await asyncio.sleep(max(1.0, stalled / 3))
            running = frozenset(c.job.id for c in list(worker._running_jobs.values())
                                if c.job.id is not None)
            try:
                suspects = await asyncio.to_thread(self.recover_orphans, worker.worker_id,
                                                   running, suspects)
                if time.monotonic() - answered_since >= stalled:
                    await asyncio.to_thread(self.recover_stalled, stalled, running)
            except Exception as error:  # noqa: BLE001  the database may be down: try again
                answered_since = time.monotonic()
                log.warning("stalled tasks not checked: %s", str(error)[:200])

    def close(self) -> None:
        """Nothing is held between calls (connections come from the engine's pool)."""


def _town(args: Any) -> int | None:
    town = args.get("town_id") if isinstance(args, dict) else None
    return town if isinstance(town, int) else None
