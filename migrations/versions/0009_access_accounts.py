"""access and accounts: roles, towns per admin, login hardening (issue 8)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 11:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision: the extra towns an admin may switch to."""
    op.create_table('staff_town',
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'],
                            name=op.f('fk_staff_town_staff_user_id_staff_user')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_staff_town_town_id_town')),
    sa.PrimaryKeyConstraint('staff_user_id', 'town_id', name=op.f('pk_staff_town'))
    )
    with op.batch_alter_table('staff_town', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_town_town_id'), ['town_id'], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('staff_town', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_town_town_id'))
    op.drop_table('staff_town')
