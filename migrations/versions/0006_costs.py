"""costs: town cost settings, dated fuel prices, trip cost items and distances, gifts (issue 7)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 11:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import carshare.models.base

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('fuel_price',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('yen_per_litre', sa.Numeric(precision=6, scale=1), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', carshare.models.base.AwareDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('yen_per_litre BETWEEN 50 AND 500', name=op.f('ck_fuel_price_price_range')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['staff_user.id'], name=op.f('fk_fuel_price_entered_by_id_staff_user')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_fuel_price_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fuel_price')),
    sa.UniqueConstraint('town_id', 'valid_from', name=op.f('uq_fuel_price_town_id_valid_from'))
    )
    with op.batch_alter_table('fuel_price', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fuel_price_town_id'), ['town_id'], unique=False)

    op.create_table('town_cost_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('split_rule', sa.Enum('whole_trip', 'extra_only', name='split_rule', native_enum=False, create_constraint=True, length=14), nullable=False),
    sa.Column('rounding_unit', sa.Integer(), nullable=False),
    sa.Column('rounding_mode', sa.Enum('up', 'down', 'nearest', name='rounding_mode', native_enum=False, create_constraint=True, length=11), nullable=False),
    sa.Column('insurance_enabled', sa.Boolean(), nullable=False),
    sa.Column('rental_enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', carshare.models.base.AwareDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('rounding_unit IN (1, 10, 100)', name=op.f('ck_town_cost_settings_rounding_unit')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_town_cost_settings_town_id_town')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff_user.id'], name=op.f('fk_town_cost_settings_updated_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_town_cost_settings')),
    sa.UniqueConstraint('town_id', name=op.f('uq_town_cost_settings_town_id'))
    )
    op.create_table('gift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('driver_id', sa.Integer(), nullable=False),
    sa.Column('rider_id', sa.Integer(), nullable=True),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('value_yen', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', carshare.models.base.AwareDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(description) > 0', name=op.f('ck_gift_description_not_empty')),
    sa.CheckConstraint('value_yen IS NULL OR value_yen BETWEEN 0 AND 100000', name=op.f('ck_gift_value_range')),
    sa.ForeignKeyConstraint(['driver_id'], ['driver.id'], name=op.f('fk_gift_driver_id_driver')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_user.id'], name=op.f('fk_gift_recorded_by_id_staff_user')),
    sa.ForeignKeyConstraint(['rider_id'], ['resident.id'], name=op.f('fk_gift_rider_id_resident')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_gift_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gift'))
    )
    with op.batch_alter_table('gift', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gift_driver_id'), ['driver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gift_town_id'), ['town_id'], unique=False)

    op.create_table('trip_cost_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('service_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('fuel', 'toll', 'parking', 'insurance', 'rental', name='cost_item_kind', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('amount_yen', sa.Integer(), nullable=False),
    sa.Column('extra', sa.Boolean(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('entered_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('entered_by_resident_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', carshare.models.base.AwareDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind <> 'fuel'", name=op.f('ck_trip_cost_item_fuel_is_computed')),
    sa.CheckConstraint('amount_yen BETWEEN 0 AND 30000', name=op.f('ck_trip_cost_item_amount_range')),
    sa.ForeignKeyConstraint(['entered_by_resident_id'], ['resident.id'], name=op.f('fk_trip_cost_item_entered_by_resident_id_resident')),
    sa.ForeignKeyConstraint(['entered_by_staff_id'], ['staff_user.id'], name=op.f('fk_trip_cost_item_entered_by_staff_id_staff_user')),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_trip_cost_item_offer_id_offer')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_trip_cost_item_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trip_cost_item'))
    )
    with op.batch_alter_table('trip_cost_item', schema=None) as batch_op:
        batch_op.create_index('ix_trip_cost_item_offer_day', ['offer_id', 'service_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_trip_cost_item_town_id'), ['town_id'], unique=False)

    op.create_table('trip_distance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('service_date', sa.Date(), nullable=False),
    sa.Column('km', sa.Numeric(precision=6, scale=1), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', carshare.models.base.AwareDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('km >= 0 AND km <= 1000', name=op.f('ck_trip_distance_km_range')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['staff_user.id'], name=op.f('fk_trip_distance_entered_by_id_staff_user')),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_trip_distance_offer_id_offer')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_trip_distance_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trip_distance')),
    sa.UniqueConstraint('offer_id', 'service_date', name=op.f('uq_trip_distance_offer_id_service_date'))
    )
    with op.batch_alter_table('trip_distance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trip_distance_town_id'), ['town_id'], unique=False)



def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('trip_distance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trip_distance_town_id'))

    op.drop_table('trip_distance')
    with op.batch_alter_table('trip_cost_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trip_cost_item_town_id'))
        batch_op.drop_index('ix_trip_cost_item_offer_day')

    op.drop_table('trip_cost_item')
    with op.batch_alter_table('gift', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gift_town_id'))
        batch_op.drop_index(batch_op.f('ix_gift_driver_id'))

    op.drop_table('gift')
    op.drop_table('town_cost_settings')
    with op.batch_alter_table('fuel_price', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fuel_price_town_id'))

    op.drop_table('fuel_price')
