"""Alembic environment: migrations are generated from and checked against SQLModel metadata."""

from __future__ import annotations

import os

from alembic import context
from sqlmodel import SQLModel

import carshare.models  # noqa: F401  (registers every table)
from carshare.db import make_engine
from carshare.migrate import include_name

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    return url or os.environ.get("CARSHARE_DATABASE_URL", "sqlite:///instance/carshare.db")


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it."""
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations against a live database (batch mode makes SQLite ALTERs work)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _sqlite_foreign_keys(connection, on=False)
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection, on: bool) -> None:  # type: ignore[no-untyped-def]
    """Switch SQLite's foreign keys off while batch mode rebuilds tables (with them on, dropping
    the old copy of a parent table deletes or refuses its children's rows), and back on after
    checking that every reference still holds.

    :raise RuntimeError: when the migrated data breaks a foreign key.
    """
    if connection.in_transaction():
        connection.commit()
    if on:
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
    connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
