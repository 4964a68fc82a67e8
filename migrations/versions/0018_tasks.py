"""tasks: the task queue (issue 21)

- ``task_mark``: what a task has already done (a plan of a town's day, a staff re-planning),
  written in the same transaction as the work, so a task run again does nothing twice.
- PostgreSQL only: Procrastinate's schema (``procrastinate_*`` tables, types and functions) as
  shipped with Procrastinate 3.10.0, kept beside this file so this revision never changes.
  A later Procrastinate with schema changes comes with its own revision that applies its
  migration files. SQLite runs tasks in process and needs none of it.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 13:30:00.000000
"""
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
import sqlmodel
from alembic import op

import carshare.models.base

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = Path(__file__).resolve().parent.parent / "procrastinate" / "schema-3.10.0.sql"
TABLES = ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs",
          "procrastinate_workers")
TYPES = ("procrastinate_job_to_defer_v1", "procrastinate_job_event_type",
         "procrastinate_job_status")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('task_mark',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('done_at', carshare.models.base.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_task_mark'))
    )
    with op.batch_alter_table('task_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_mark_done_at'), ['done_at'], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # the driver's own connection, in this migration's transaction: the schema's
        # functions hold % and : that neither SQLAlchemy nor psycopg may read as parameters
        bind.connection.driver_connection.execute(SCHEMA.read_text(encoding="utf-8"))


def downgrade() -> None:
    """Revert this revision."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        driver = bind.connection.driver_connection
        functions = driver.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE p.proname LIKE 'procrastinate%' AND n.nspname = current_schema()"
        ).fetchall()
        for table in TABLES:
            driver.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
        for (signature,) in functions:
            driver.execute(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
        for type_name in TYPES:
            driver.execute(f"DROP TYPE IF EXISTS {type_name} CASCADE")
    with op.batch_alter_table('task_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_mark_done_at'))
    op.drop_table('task_mark')
