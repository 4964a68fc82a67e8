"""Readiness: can we reach the database, and is it migrated?"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from carshare import migrate


@dataclass(frozen=True)
class Readiness:
    """The answer of a readiness check."""

    ready: bool
    database: str  # "ok", "unreachable" or "not_migrated"
    revision: str | None
    head: str | None


def readiness(engine: Engine) -> Readiness:
    """Check that the database answers and sits at the newest migration."""
    head = migrate.head_revision()
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        current = migrate.current_revision(engine)
    except sa.exc.SQLAlchemyError:
        return Readiness(False, "unreachable", None, head)
    if current != head:
        return Readiness(False, "not_migrated", current, head)
    return Readiness(True, "ok", current, head)
