"""sign-in guards: counted tries, per-number limits, staff lockout, token expiry (issue 19)

- ``signin_code``: ``resident_id`` may be empty (a number nobody has gets a row too, so
  known and unknown numbers are answered alike) and ``phone_key`` (a keyed hash of town and
  number) is what per-number limits and the lockout count. Sign-in codes still waiting in the
  outbox are cancelled and every code is removed from outbox payloads (codes are now derived
  with the secret key when sent, never stored).
- ``staff_user``: ``failed_logins``, ``failed_since``, ``locked_until`` (per-account lockout).
- ``api_token``: ``expires_at``; tokens that exist get 90 days from the upgrade.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 07:00:00.000000
"""
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import sqlmodel
from alembic import op

import carshare.models.base

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = carshare.models.base.AwareDateTime(timezone=True)
NOTIFICATION = sa.table('notification', sa.column('id', sa.Integer()),
                        sa.column('template', sa.String()), sa.column('state', sa.String()),
                        sa.column('payload', sa.JSON()))


def _scrub_codes() -> None:
    conn = op.get_bind()
    codes = NOTIFICATION.c.template == 'signin_code'
    conn.execute(NOTIFICATION.update().where(codes, NOTIFICATION.c.state == 'pending')
                 .values(state='cancelled'))
    for row_id, payload in conn.execute(sa.select(NOTIFICATION.c.id, NOTIFICATION.c.payload)
                                        .where(codes)).all():
        if isinstance(payload, dict) and 'code' in payload:
            kept = {k: v for k, v in payload.items() if k != 'code'}
            conn.execute(NOTIFICATION.update().where(NOTIFICATION.c.id == row_id)
                         .values(payload=kept))


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('signin_code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_key', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=False, server_default=''))
        batch_op.alter_column('resident_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_signin_code_phone_key'), ['phone_key'],
                              unique=False)
    with op.batch_alter_table('signin_code', schema=None) as batch_op:
        batch_op.alter_column('phone_key', server_default=None)
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('failed_since', WHEN, nullable=True))
        batch_op.add_column(sa.Column('locked_until', WHEN, nullable=True))
        batch_op.create_check_constraint(op.f('ck_staff_user_failed_logins_non_negative'),
                                         'failed_logins >= 0')
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.alter_column('failed_logins', server_default=None)
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', WHEN, nullable=True))
    tokens = sa.table('api_token', sa.column('expires_at', WHEN))
    op.execute(tokens.update().values(expires_at=datetime.now(UTC) + timedelta(days=90)))
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=WHEN, nullable=False)
    _scrub_codes()


def downgrade() -> None:
    """Revert this revision (sign-ins of unknown numbers are dropped; codes stay unstored)."""
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_staff_user_failed_logins_non_negative'), type_='check')
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_since')
        batch_op.drop_column('failed_logins')
    codes = sa.table('signin_code', sa.column('resident_id', sa.Integer()))
    op.execute(codes.delete().where(codes.c.resident_id.is_(None)))
    with op.batch_alter_table('signin_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signin_code_phone_key'))
        batch_op.alter_column('resident_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('phone_key')
