"""Migration 0014 lets a request be a quote; its downgrade removes quotes, keeps requests."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from carshare import migrate
from carshare.db import make_engine
from tests.dbs import empty_database, seed_demo_at

REQUESTS = sa.table("ride_request", sa.column("id", sa.Integer()),
                    sa.column("status", sa.String()), sa.column("outbound_id", sa.Integer()))


def _set_status(url: str, request_id: int, status: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(REQUESTS.update().where(REQUESTS.c.id == request_id)
                         .values(status=status))
    finally:
        engine.dispose()


def _unreferenced(url: str) -> int:
    """A requested ride that no plan, trip, message or return leg refers to."""
    engine = make_engine(url)
    with engine.connect() as conn:
        found = conn.execute(sa.text(
            "SELECT id FROM ride_request r WHERE status = 'requested'"
            " AND NOT EXISTS (SELECT 1 FROM ride_request o WHERE o.outbound_id = r.id)"
            " AND NOT EXISTS (SELECT 1 FROM stop s WHERE s.request_id = r.id)"
            " AND NOT EXISTS (SELECT 1 FROM trip_event t WHERE t.request_id = r.id)"
            " AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.request_id = r.id)"
            " AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.ride_request_id = r.id)"
            " ORDER BY id")).first()
    engine.dispose()
    assert found is not None
    return int(found[0])


def _statuses(url: str) -> dict[int, str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.select(REQUESTS.c.id, REQUESTS.c.status)).all())
    engine.dispose()
    return rows


def test_quotes_allowed_after_and_removed_by_the_downgrade(backend: str,
                                                           tmp_path: Path) -> None:
    with empty_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        seed_demo_at(url)  # the demo is written by today's models
        migrate.downgrade(url, "0013")
        before = _statuses(url)
        first = _unreferenced(url)
        with pytest.raises(IntegrityError):  # not a status before 0014
            _set_status(url, first, "quoted")
        migrate.upgrade(url)
        _set_status(url, first, "quoted")
        with pytest.raises(IntegrityError):  # the constraint still holds
            _set_status(url, first, "guessed")
        migrate.downgrade(url, "0013")
        after = _statuses(url)
        assert first not in after
        assert after == {k: v for k, v in before.items() if k != first}
        migrate.upgrade(url)
