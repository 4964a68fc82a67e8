"""own trips: offers say where the driver is going and when (issue 17)

A planned trip gets a "there by" time (``arrive_by``) and a "leaving after" time
(``leave_after``; none for a one-way trip), the wheelchair spaces offered, and
``extra_minutes``: the driving the volunteer accepts for riders over the whole trip, which
replaces the per-rider ``detour_minutes``.

Existing offers with a destination get ``arrive_by`` a third into their window and
``leave_after`` a third before its end (both rounded down to 5 minutes) and
``extra_minutes = min(600, detour_minutes × seats)``; offers without one (availability)
get the minutes of their window, at most 600. ``wheelchair_spaces`` is the car's.
The downgrade gives back ``detour_minutes`` (whole-trip minutes ÷ seats, at most 180).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 19:20:00.000000
"""
from collections.abc import Sequence
from datetime import time

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_EXTRA = 600
MAX_DETOUR = 180
OWN_TRIP = (
    "(destination_place_id IS NULL AND arrive_by IS NULL AND leave_after IS NULL)"
    " OR (destination_place_id IS NOT NULL AND arrive_by IS NOT NULL"
    " AND depart_after <= arrive_by AND arrive_by <= return_by"
    " AND (leave_after IS NULL"
    " OR (arrive_by <= leave_after AND leave_after <= return_by))"
    " AND (leave_after IS NOT NULL OR end_place_id = destination_place_id))"
)
OFFER = sa.table('offer', sa.column('id', sa.Integer()), sa.column('vehicle_id', sa.Integer()),
                 sa.column('depart_after', sa.Time()), sa.column('return_by', sa.Time()),
                 sa.column('destination_place_id', sa.Integer()),
                 sa.column('seats', sa.Integer()), sa.column('detour_minutes', sa.Integer()),
                 sa.column('arrive_by', sa.Time()), sa.column('leave_after', sa.Time()),
                 sa.column('wheelchair_spaces', sa.Integer()),
                 sa.column('extra_minutes', sa.Integer()))
VEHICLE = sa.table('vehicle', sa.column('id', sa.Integer()),
                   sa.column('wheelchair_spaces', sa.Integer()))


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('arrive_by', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('leave_after', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('wheelchair_spaces', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('extra_minutes', sa.Integer(), nullable=False,
                                      server_default='0'))
    _fill_own_trips()
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_offer_detour_range'), type_='check')
        batch_op.drop_column('detour_minutes')
        batch_op.alter_column('wheelchair_spaces', server_default=None)
        batch_op.alter_column('extra_minutes', server_default=None)
        batch_op.create_check_constraint(batch_op.f('ck_offer_wheelchair_spaces_range'),
                                         'wheelchair_spaces BETWEEN 0 AND 9')
        batch_op.create_check_constraint(batch_op.f('ck_offer_extra_range'),
                                         f'extra_minutes BETWEEN 0 AND {MAX_EXTRA}')
        batch_op.create_check_constraint(batch_op.f('ck_offer_own_trip'), OWN_TRIP)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detour_minutes', sa.Integer(), nullable=False,
                                      server_default='15'))
    _restore_detours()
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_offer_own_trip'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_offer_extra_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_offer_wheelchair_spaces_range'), type_='check')
        batch_op.drop_column('extra_minutes')
        batch_op.drop_column('wheelchair_spaces')
        batch_op.drop_column('leave_after')
        batch_op.drop_column('arrive_by')
        batch_op.alter_column('detour_minutes', server_default=None)
        batch_op.create_check_constraint(batch_op.f('ck_offer_detour_range'),
                                         f'detour_minutes BETWEEN 0 AND {MAX_DETOUR}')


def _fill_own_trips() -> None:
    """Give every existing offer its own stop times, whole-trip minutes and wheelchair spaces."""
    conn = op.get_bind()
    rows = conn.execute(sa.select(
        OFFER.c.id, OFFER.c.depart_after, OFFER.c.return_by, OFFER.c.destination_place_id,
        OFFER.c.seats, OFFER.c.detour_minutes, VEHICLE.c.wheelchair_spaces,
    ).select_from(OFFER.join(VEHICLE, OFFER.c.vehicle_id == VEHICLE.c.id))).all()
    for offer_id, depart, back, destination, seats, detour, spaces in rows:
        start, end = _seconds(depart), _seconds(back)
        values = {"wheelchair_spaces": spaces}
        if destination is None:
            values["extra_minutes"] = min(MAX_EXTRA, (end - start) // 60)
        else:
            arrive = max(start, _floor5(start + (end - start) // 3))
            leave = max(arrive, _floor5(end - (end - start) // 3))
            values |= {"arrive_by": _clock(arrive), "leave_after": _clock(leave),
                       "extra_minutes": min(MAX_EXTRA, detour * seats)}
        conn.execute(OFFER.update().where(OFFER.c.id == offer_id).values(**values))


def _restore_detours() -> None:
    """Per-rider detour again: a trip's minutes shared among its seats; a window's as they were."""
    conn = op.get_bind()
    rows = conn.execute(sa.select(OFFER.c.id, OFFER.c.destination_place_id, OFFER.c.seats,
                                  OFFER.c.extra_minutes)).all()
    for offer_id, destination, seats, extra in rows:
        detour = extra // max(seats, 1) if destination is not None else extra
        conn.execute(OFFER.update().where(OFFER.c.id == offer_id)
                     .values(detour_minutes=min(MAX_DETOUR, detour)))


def _seconds(clock: time) -> int:
    return clock.hour * 3600 + clock.minute * 60 + clock.second


def _floor5(seconds: int) -> int:
    """Round down to 5 minutes."""
    return seconds // 300 * 300


def _clock(seconds: int) -> time:
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)
