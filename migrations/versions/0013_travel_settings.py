"""travel settings: a town's road circuity, average speed and winter slowdown (issue 17)

No row means the defaults, calibrated on Teshio town office → Wakkanai City Hospital
(59 km straight, 68 km by road, about 70 minutes in summer): circuity 1.15, 58 km/h,
winter × 1.2 from December to March.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 19:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import carshare.models.base

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('town_travel_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('circuity', sa.Float(), nullable=False),
    sa.Column('speed_kmh', sa.Float(), nullable=False),
    sa.Column('winter_factor', sa.Float(), nullable=False),
    sa.Column('winter_months', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('updated_at', carshare.models.base.AwareDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('circuity BETWEEN 1.0 AND 2.0',
                       name=op.f('ck_town_travel_settings_circuity_range')),
    sa.CheckConstraint('speed_kmh BETWEEN 20 AND 100',
                       name=op.f('ck_town_travel_settings_speed_range')),
    sa.CheckConstraint('winter_factor BETWEEN 1.0 AND 2.0',
                       name=op.f('ck_town_travel_settings_winter_factor_range')),
    sa.CheckConstraint("length(winter_months) = 12"
                       " AND replace(replace(winter_months, '0', ''), '1', '') = ''",
                       name=op.f('ck_town_travel_settings_winter_months')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'],
                            name=op.f('fk_town_travel_settings_town_id_town')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff_user.id'],
                            name=op.f('fk_town_travel_settings_updated_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_town_travel_settings')),
    sa.UniqueConstraint('town_id', name=op.f('uq_town_travel_settings_town_id'))
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table('town_travel_settings')
