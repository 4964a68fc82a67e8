"""One scheduler per database: a PostgreSQL advisory lock, or a file lock beside SQLite."""

from __future__ import annotations

import fcntl
import os
from typing import IO

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

#: Advisory lock key of the scheduler (any constant shared by every process).
LOCK_KEY = 0x6361727368617265  # "carshare"


class SchedulerLock:
    """Held by the one process that runs the scheduler, released when it ends."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None
        self._file: IO[str] | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; return whether this process now holds it."""
        if self.engine.dialect.name == "postgresql":
            return self._acquire_advisory()
        return self._acquire_file()

    def _acquire_advisory(self) -> bool:
        conn = self.engine.connect()
        held = conn.execute(sa.text("SELECT pg_try_advisory_lock(:key)"),
                            {"key": LOCK_KEY}).scalar()
        conn.commit()
        if not held:
            conn.close()
            return False
        self._conn = conn
        return True

    def keep(self) -> bool:
        """Check that this process still holds the lock, taking it again after a lost
        connection (a PostgreSQL restart ends the session and with it the advisory lock).

        :return: False when the lock is lost and another process now holds it.
        """
        if self.engine.dialect.name != "postgresql":
            return True  # a file lock lives as long as this process
        if self._conn is not None:
            try:
                self._conn.execute(sa.text("SELECT 1"))
                self._conn.commit()
                return True
            except sa.exc.DBAPIError:
                self._conn.invalidate()
                self._conn.close()
                self._conn = None
        try:
            return self._acquire_advisory()
        except sa.exc.DBAPIError:
            return True  # the database is still down: nobody else can run jobs either

    def _acquire_file(self) -> bool:
        database = self.engine.url.database or ""
        path = f"{database}.scheduler.lock" if database and database != ":memory:" else None
        if path is None:
            return True  # an in-memory database lives in this process only
        handle = open(path, "w")  # noqa: SIM115 (kept open while the lock is held)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return True

    def release(self) -> None:
        """Give the lock up (a process that dies releases it too)."""
        if self._conn is not None:
            self._conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
            self._conn.close()
            self._conn = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
