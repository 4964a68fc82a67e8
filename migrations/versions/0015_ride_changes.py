"""ride changes: a booked ride can be replaced by a changed one (issue 18)

Staff change a caller's booked ride by quoting the new one with ``replaces_id`` pointing at
the old ride; when the caller takes the new one up, the old ride (and its open return) is
cancelled as ``changed``. Until then the old ride stays booked.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 06:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = 'fk_ride_request_replaces_id_ride_request'


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('ride_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f(FK), 'ride_request', ['replaces_id'], ['id'])


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('ride_request', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(FK), type_='foreignkey')
        batch_op.drop_column('replaces_id')
