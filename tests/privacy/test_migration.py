"""Migration 0010 turns the old free-text consent into scoped consent rows, and back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from carshare import migrate
from carshare.db import make_engine
from tests.dbs import empty_database


@pytest.fixture
def url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the backend, migrated to 0009."""
    with empty_database(backend, tmp_path) as address:
        migrate.upgrade(address, "0009")
        yield address


def _row(conn: sa.Connection, table: str, **values: object) -> None:
    """Insert a row, giving every other required column a plain value (other helpers add
    columns to these tables as the schema grows)."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=conn)
    plain = {sa.String: "", sa.Integer: 0, sa.Boolean: False, sa.Float: 0.0}
    for column in reflected.columns:
        if column.name in values or column.nullable or column.server_default is not None:
            continue
        if column.primary_key:
            continue
        kind = next((v for t, v in plain.items() if isinstance(column.type, t)), None)
        values[column.name] = kind if kind is not None else "2024-02-03 04:05:06"
    conn.execute(reflected.insert().values(**values))


def _insert(conn: sa.Connection) -> None:
    _row(conn, "town", id=1, slug="t", name="町", timezone="Asia/Tokyo", retention_days=1095,
         created_at=sa.func.current_timestamp())
    for n, (day, scope) in enumerate([("2025-04-01", "rides,mobility,provider_abroad"),
                                      (None, "rides, caregiver, unknown"), (None, "")]):
        _row(conn, "resident", id=n + 1, town_id=1, family_name="姓", given_name="名",
             family_name_kana="セイ", given_name_kana="メイ", contact_channel="sms",
             language="ja", consent_date=day and date.fromisoformat(day), consent_scope=scope,
             active=True, created_at=datetime(2024, 2, 3, 4, 5, 6))
    _row(conn, "resident_phone", id=1, resident_id=1, e164="+819012345678", kind="mobile",
         is_primary=True)
    for place in (1, 2):
        _row(conn, "place", id=place, town_id=1, kind="home", name=f"場所{place}", lat=45.0,
             lon=141.8, active=True)
    _row(conn, "ride_request", id=1, town_id=1, rider_id=1, pickup_place_id=1,
         dropoff_place_id=2, window_kind="arrive_by", window_start=datetime(2025, 5, 1, 9),
         window_end=datetime(2025, 5, 1, 10), party_size=1, status="completed",
         channel="phone", created_at=datetime(2025, 4, 1))


def test_old_consents_become_scoped_rows_and_come_back(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        _insert(conn)
    migrate.upgrade(url, "0010")
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT resident_id, scope, given_on, method "
                                    "FROM resident_consent ORDER BY resident_id, scope")).all()
    found = [(r[0], r[1], str(r[2]), r[3]) for r in rows]
    assert found == [(1, "needs", "2025-04-01", "unrecorded"),
                     (1, "provider_abroad", "2025-04-01", "unrecorded"),
                     (1, "rides", "2025-04-01", "unrecorded"),
                     (2, "caregiver", "2024-02-03", "unrecorded"),
                     (2, "rides", "2024-02-03", "unrecorded")]
    assert _count(engine, "resident_phone") == 1 and _count(engine, "ride_request") == 1
    migrate.downgrade(url, "0009")
    assert _count(engine, "resident_phone") == 1 and _count(engine, "ride_request") == 1
    with engine.connect() as conn:
        back = conn.execute(sa.text("SELECT id, consent_scope, consent_date FROM resident "
                                    "ORDER BY id")).all()
    assert [(r[0], set(r[1].split(",")) - {""}, r[2] and str(r[2])) for r in back] == [
        (1, {"mobility", "provider_abroad", "rides"}, "2025-04-01"),
        (2, {"caregiver", "rides"}, "2024-02-03"), (3, set(), None)]
    engine.dispose()


def _count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
