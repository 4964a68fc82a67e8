"""notifications: index the outbox by state and due time for the dispatcher's claim

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 09:36:56.183156
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_state_due_at', ['state', 'due_at'], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_state_due_at')
