"""Migrating a database that holds data keeps every row (SQLite rebuilds tables in batch mode)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from carshare import migrate
from carshare.db import make_engine
from carshare.services.demo import seed_demo
from carshare.timeutil import TOKYO
from tests.dbs import empty_database

COUNTED = ("town", "place", "resident", "resident_phone", "driver", "vehicle", "offer",
           "ride_request", "staff_user")


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                    for t in COUNTED}
    finally:
        engine.dispose()


@pytest.mark.parametrize("back_to", ["0004", "0006"])
def test_upgrading_a_database_with_data_keeps_every_row(backend: str, tmp_path: Path,
                                                        back_to: str) -> None:
    with empty_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        with Session(engine) as session:
            seed_demo(session, datetime(2026, 12, 7, 9, 0, tzinfo=TOKYO), TOKYO)
            session.commit()
        engine.dispose()
        before = _counts(url)
        assert before["resident_phone"] > 0
        migrate.downgrade(url, back_to)
        assert _counts(url) == before
        migrate.upgrade(url)
        assert _counts(url) == before
