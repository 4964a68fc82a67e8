"""Throw-away databases for tests: SQLite files, and PostgreSQL schemas when configured."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

PG_ENV = "CARSHARE_TEST_DATABASE_URL"
BACKENDS = ("sqlite", "postgresql")


def pg_base_url() -> str | None:
    """Return the PostgreSQL URL given to the test suite, if any."""
    return os.environ.get(PG_ENV) or None


@contextmanager
def empty_database(backend: str, tmp_dir: Path) -> Iterator[str]:
    """Yield the URL of a new, empty database of ``backend``; drop it afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_dir / f'{uuid.uuid4().hex}.db'}"
        return
    base = pg_base_url()
    assert base, f"{PG_ENV} is not set"
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        sep = "&" if "?" in base else "?"
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def seed_demo_at(url: str) -> None:
    """Load the demo town (as of 2026-12-07 09:00 in Tokyo) into the database at ``url``."""
    from datetime import datetime

    from sqlmodel import Session

    from carshare.db import make_engine
    from carshare.services.demo import seed_demo
    from carshare.timeutil import TOKYO

    engine = make_engine(url)
    with Session(engine) as session:
        seed_demo(session, datetime(2026, 12, 7, 9, 0, tzinfo=TOKYO), TOKYO)
        session.commit()
    engine.dispose()
