"""api: tokens for staff users and integrations (issue 7)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 11:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import carshare.models.base

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        'api_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('town_id', sa.Integer(), nullable=False),
        sa.Column('staff_user_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('prefix', sa.String(length=12), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('scope', sa.Enum('read', 'write', name='api_scope', native_enum=False,
                                   create_constraint=True, length=9), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', carshare.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', carshare.models.base.AwareDateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', carshare.models.base.AwareDateTime(timezone=True), nullable=True),
        sa.CheckConstraint('length(name) > 0', name=op.f('ck_api_token_name_not_empty')),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'],
                                name=op.f('fk_api_token_created_by_id_staff_user')),
        sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'],
                                name=op.f('fk_api_token_staff_user_id_staff_user')),
        sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_api_token_town_id_town')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash')),
        sa.UniqueConstraint('town_id', 'name', name=op.f('uq_api_token_town_id_name')),
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_town_id'), ['town_id'], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_town_id'))
    op.drop_table('api_token')
