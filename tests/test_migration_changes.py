"""Migration 0015 records which booked ride a changed one replaces; the downgrade keeps rides."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from carshare import migrate
from carshare.db import make_engine
from tests.dbs import empty_database, seed_demo_at


def _run(url: str, sql: str, **params: object) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(sa.text(sql), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def test_replaced_rides_are_linked_and_the_downgrade_keeps_every_ride(backend: str,
                                                                     tmp_path: Path) -> None:
    with empty_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        seed_demo_at(url)
        migrate.downgrade(url, "0014")
        before = _run(url, "SELECT id, status FROM ride_request ORDER BY id")
        old, new = before[0][0], before[1][0]
        migrate.upgrade(url)
        _run(url, "UPDATE ride_request SET replaces_id = :old WHERE id = :new", old=old, new=new)
        assert _run(url, "SELECT replaces_id FROM ride_request WHERE id = :new", new=new) == [
            (old,)]
        with pytest.raises(IntegrityError):  # a ride that does not exist cannot be replaced
            _run(url, "UPDATE ride_request SET replaces_id = 999999 WHERE id = :new", new=new)
        migrate.downgrade(url, "0014")
        assert _run(url, "SELECT id, status FROM ride_request ORDER BY id") == before
        migrate.upgrade(url)
        assert _run(url, "SELECT count(*) FROM ride_request WHERE replaces_id IS NOT NULL") == [
            (0,)]
