"""roads: month factors for every travel model, and road closures (issue 20)

- ``town_travel_settings``: ``winter_factor`` and ``winter_months`` become ``month_factors``,
  twelve factors January to December (a winter month keeps its factor, the others 1.00).
- ``road_closure``: a closure (通行止め) entered by staff for one day, a stretch of road or an
  area, lifted rather than deleted.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import carshare.models.base

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = carshare.models.base.AwareDateTime(timezone=True)
SETTINGS = sa.table('town_travel_settings', sa.column('id', sa.Integer()),
                    sa.column('winter_factor', sa.Float()), sa.column('winter_months', sa.String()),
                    sa.column('month_factors', sa.String()))


def _factors(winter_factor: float, months: str) -> str:
    return ",".join(f"{winter_factor:.2f}" if flag == "1" else "1.00" for flag in months)


def _winter(factors: str) -> tuple[float, str]:
    values = [float(v) for v in factors.split(",")]
    winter = max(values)
    return (winter if winter >= 1.0 else 1.0), "".join(
        "1" if v > 1.0 and v == winter else "0" for v in values)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('town_travel_settings') as batch:
        batch.add_column(sa.Column('month_factors', sqlmodel.sql.sqltypes.AutoString(length=72),
                                   nullable=True))
    conn = op.get_bind()
    for row_id, factor, months in conn.execute(sa.select(
            SETTINGS.c.id, SETTINGS.c.winter_factor, SETTINGS.c.winter_months)).all():
        conn.execute(SETTINGS.update().where(SETTINGS.c.id == row_id)
                     .values(month_factors=_factors(factor, months)))
    with op.batch_alter_table('town_travel_settings') as batch:
        batch.alter_column('month_factors', nullable=False)
        batch.drop_constraint(batch.f('ck_town_travel_settings_winter_factor_range'),
                             type_='check')
        batch.drop_constraint(batch.f('ck_town_travel_settings_winter_months'), type_='check')
        batch.drop_column('winter_factor')
        batch.drop_column('winter_months')
        batch.create_check_constraint(batch.f('ck_town_travel_settings_month_factors_length'),
                                      'length(month_factors) BETWEEN 23 AND 72')
    op.create_table('road_closure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('segment', 'area', name='closure_kind', native_enum=False,
                              create_constraint=True, length=11), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat2', sa.Float(), nullable=True),
    sa.Column('lon2', sa.Float(), nullable=True),
    sa.Column('radius_m', sa.Integer(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', WHEN, nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('lifted_at', WHEN, nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180',
                       name=op.f('ck_road_closure_closure_point')),
    sa.CheckConstraint("(kind = 'area' AND lat2 IS NULL AND lon2 IS NULL) OR (kind = 'segment'"
                       " AND lat2 BETWEEN -90 AND 90 AND lon2 BETWEEN -180 AND 180)",
                       name=op.f('ck_road_closure_closure_shape')),
    sa.CheckConstraint('radius_m BETWEEN 10 AND 20000', name=op.f('ck_road_closure_closure_radius')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_road_closure_town_id_town')),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'],
                            name=op.f('fk_road_closure_created_by_id_staff_user')),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['staff_user.id'],
                            name=op.f('fk_road_closure_lifted_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_road_closure')),
    )
    with op.batch_alter_table('road_closure') as batch:
        batch.create_index(batch.f('ix_road_closure_town_id'), ['town_id'], unique=False)
        batch.create_index(batch.f('ix_road_closure_day'), ['day'], unique=False)


def downgrade() -> None:
    """Revert this revision (a month that is not the winter factor becomes 1.0)."""
    op.drop_table('road_closure')
    with op.batch_alter_table('town_travel_settings') as batch:
        batch.add_column(sa.Column('winter_factor', sa.Float(), nullable=True))
        batch.add_column(sa.Column('winter_months', sqlmodel.sql.sqltypes.AutoString(length=12),
                                   nullable=True))
    conn = op.get_bind()
    for row_id, factors in conn.execute(sa.select(SETTINGS.c.id, SETTINGS.c.month_factors)).all():
        factor, months = _winter(factors)
        conn.execute(SETTINGS.update().where(SETTINGS.c.id == row_id)
                     .values(winter_factor=factor, winter_months=months))
    with op.batch_alter_table('town_travel_settings') as batch:
        batch.alter_column('winter_factor', nullable=False)
        batch.alter_column('winter_months', nullable=False)
        batch.drop_constraint(batch.f('ck_town_travel_settings_month_factors_length'),
                             type_='check')
        batch.drop_column('month_factors')
        batch.create_check_constraint(batch.f('ck_town_travel_settings_winter_factor_range'),
                                      'winter_factor BETWEEN 1.0 AND 2.0')
        batch.create_check_constraint(
            batch.f('ck_town_travel_settings_winter_months'), "length(winter_months) = 12"
            " AND replace(replace(winter_months, '0', ''), '1', '') = ''")
