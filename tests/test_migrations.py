"""Migrations match the models and go up, down and up again on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from carshare import migrate
from carshare.db import make_engine
from tests.dbs import empty_database


@pytest.fixture
def empty_url(backend: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    with empty_database(backend, tmp_path) as url:
        yield url


def _diff(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                          "include_name": migrate.include_name})
            return compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_autogenerate_finds_no_difference(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    assert _diff(empty_url) == []


def test_upgrade_downgrade_upgrade(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    model_tables = set(SQLModel.metadata.tables)
    assert model_tables <= _tables(empty_url)
    migrate.downgrade(empty_url, "base")
    assert _tables(empty_url) & model_tables == set()
    migrate.upgrade(empty_url)
    assert model_tables <= _tables(empty_url)
    engine = make_engine(empty_url)
    assert migrate.is_up_to_date(engine)
    engine.dispose()


def test_every_revision_file_is_named_after_its_revision() -> None:
    versions = Path(migrate.MIGRATIONS_DIR, "versions")
    for path in versions.glob("*.py"):
        revision = path.name.split("_", 1)[0]
        assert f"revision: str = '{revision}'" in path.read_text(encoding="utf-8")
