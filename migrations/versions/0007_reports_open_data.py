"""reports and open data: town settings for taxi tariff, CO2, service hours (issue 7)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 11:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOWN_CHECKS = {
    'service_hours': 'service_start < service_end',
    'taxi_base_range': 'taxi_base_fare_yen BETWEEN 0 AND 100000',
    'taxi_per_km_range': 'taxi_yen_per_km BETWEEN 0 AND 10000',
    'co2_range': 'co2_g_per_km BETWEEN 0 AND 2000',
    'service_days': "length(service_days) = 7 AND service_days <> '0000000'"
                    " AND replace(replace(service_days, '0', ''), '1', '') = ''",
}


def upgrade() -> None:
    """Add the town's service hours and days, booking line, website, taxi tariff and CO2
    factor; residents' birth years."""
    with op.batch_alter_table('town', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_phone', sqlmodel.sql.sqltypes.AutoString(length=20),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('service_start', sa.Time(), nullable=False,
                                      server_default='08:00:00'))
        batch_op.add_column(sa.Column('service_end', sa.Time(), nullable=False,
                                      server_default='18:00:00'))
        batch_op.add_column(sa.Column('booking_cutoff', sa.Time(), nullable=False,
                                      server_default='17:00:00'))
        batch_op.add_column(sa.Column('taxi_base_fare_yen', sa.Integer(), nullable=False,
                                      server_default='670'))
        batch_op.add_column(sa.Column('taxi_yen_per_km', sa.Integer(), nullable=False,
                                      server_default='400'))
        batch_op.add_column(sa.Column('co2_g_per_km', sa.Integer(), nullable=False,
                                      server_default='150'))
        batch_op.add_column(sa.Column('service_days', sqlmodel.sql.sqltypes.AutoString(length=7),
                                      nullable=False, server_default='1111100'))
        batch_op.add_column(sa.Column('website', sqlmodel.sql.sqltypes.AutoString(length=200),
                                      nullable=False, server_default=''))
        for name, sql in TOWN_CHECKS.items():
            batch_op.create_check_constraint(op.f(f'ck_town_{name}'), sa.text(sql))
    with op.batch_alter_table('town', schema=None) as batch_op:
        batch_op.alter_column('office_phone', server_default=None)
        batch_op.alter_column('website', server_default=None)
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.add_column(sa.Column('birth_year', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_resident_birth_year_range'),
            sa.text('birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100'))


def downgrade() -> None:
    """Drop the reports' town settings and residents' birth years."""
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_resident_birth_year_range'), type_='check')
        batch_op.drop_column('birth_year')
    with op.batch_alter_table('town', schema=None) as batch_op:
        for name in reversed(TOWN_CHECKS):
            batch_op.drop_constraint(op.f(f'ck_town_{name}'), type_='check')
        for column in ('website', 'service_days', 'co2_g_per_km', 'taxi_yen_per_km',
                       'taxi_base_fare_yen', 'booking_cutoff', 'service_end', 'service_start',
                       'office_phone'):
            batch_op.drop_column(column)
