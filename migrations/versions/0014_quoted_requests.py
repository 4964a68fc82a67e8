"""quoted requests: options read out during a call are not yet a ride request (issue 18)

A request whose options are being quoted is stored with status ``quoted``: invisible to
the plan, the dashboard, the rider's page, exports and reports, and deleted when abandoned.
This widens the CHECK constraint of ``ride_request.status``; the downgrade deletes any
quotes left (they were never requests) and narrows it again.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 03:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ('requested', 'waiting', 'planned', 'confirmed', 'completed', 'no_show', 'cancelled',
       'unmet')
NEW = ('quoted', *OLD)
NAME = 'ck_ride_request_request_status'


def _within(values: tuple[str, ...]) -> str:
    return "status IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _replace(values: tuple[str, ...]) -> None:
    with op.batch_alter_table('ride_request', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(NAME), type_='check')
        batch_op.create_check_constraint(op.f(NAME), _within(values))


def upgrade() -> None:
    """Apply this revision."""
    _replace(NEW)


def downgrade() -> None:
    """Revert this revision: quotes were never requests, so they go."""
    requests = sa.table('ride_request', sa.column('id', sa.Integer()),
                        sa.column('status', sa.String()), sa.column('outbound_id', sa.Integer()))
    quoted = sa.select(requests.c.id).where(requests.c.status == 'quoted')
    op.execute(requests.delete().where(requests.c.outbound_id.in_(quoted)))
    op.execute(requests.delete().where(requests.c.status == 'quoted'))
    _replace(OLD)
