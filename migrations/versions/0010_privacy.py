"""privacy: consent scopes, retention, erasure (issue 8)

Scoped consents move from ``resident.consent_date``/``consent_scope`` (free text) to
``resident_consent`` rows; rides, messages and residents get ``anonymised_at``.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 11:20:00.000000
"""
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
import sqlmodel
from alembic import op

import carshare.models.base

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Words of the old free-text scope and the consent each one becomes.
OLD_WORDS = {"rides": "rides", "mobility": "needs", "needs": "needs",
             "provider_abroad": "provider_abroad", "caregiver": "caregiver"}
AWARE = carshare.models.base.AwareDateTime(timezone=True)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('resident_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Enum('rides', 'needs', 'provider_abroad', 'caregiver',
                               name='consent_scope', native_enum=False, create_constraint=True,
                               length=19), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('method', sa.Enum('phone', 'paper', 'in_person', 'unrecorded',
                                name='consent_method', native_enum=False,
                                create_constraint=True, length=14), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', AWARE, nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_user.id'],
                            name=op.f('fk_resident_consent_recorded_by_id_staff_user')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'],
                            name=op.f('fk_resident_consent_resident_id_resident'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resident_consent')),
    sa.UniqueConstraint('resident_id', 'scope',
                        name=op.f('uq_resident_consent_resident_id_scope'))
    )
    with op.batch_alter_table('resident_consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_consent_resident_id'), ['resident_id'],
                              unique=False)
    _copy_old_consents()
    # Plain ALTERs, never a batch rebuild: rebuilding ``resident`` on SQLite (foreign keys on)
    # would delete the rows that cascade from it (phones, consents) or fail on rides.
    op.add_column('resident', sa.Column('anonymised_at', AWARE, nullable=True))
    op.drop_column('resident', 'consent_scope')
    op.drop_column('resident', 'consent_date')
    op.add_column('ride_request', sa.Column('anonymised_at', AWARE, nullable=True))
    op.add_column('notification', sa.Column('anonymised_at', AWARE, nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    op.drop_column('notification', 'anonymised_at')
    op.drop_column('ride_request', 'anonymised_at')
    op.add_column('resident', sa.Column('consent_date', sa.Date(), nullable=True))
    op.add_column('resident', sa.Column(
        'consent_scope', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
        server_default=''))
    op.drop_column('resident', 'anonymised_at')
    _restore_old_consents()
    if op.get_bind().dialect.name == "postgresql":  # SQLite would need a table rebuild
        op.alter_column('resident', 'consent_scope', server_default=None)
    with op.batch_alter_table('resident_consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_consent_resident_id'))
    op.drop_table('resident_consent')


def _copy_old_consents() -> None:
    """Turn each word of the old free-text scope into a consent row (how: unrecorded)."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, consent_date, consent_scope, created_at FROM resident")).all()
    consent = sa.table('resident_consent', sa.column('resident_id'), sa.column('scope'),
                       sa.column('given_on', sa.Date()), sa.column('method'),
                       sa.column('recorded_at', AWARE), sa.column('recorded_by_id'))
    new = []
    for resident_id, given, text, created in rows:
        scopes = {OLD_WORDS[w.strip()] for w in (text or "").split(",") if w.strip() in OLD_WORDS}
        day = _as_date(given) or _as_date(created) or date.today()
        new += [{"resident_id": resident_id, "scope": s, "given_on": day,
                 "method": "unrecorded", "recorded_at": carshare.models.base.utcnow(),
                 "recorded_by_id": None} for s in sorted(scopes)]
    if new:
        conn.execute(consent.insert(), new)


def _restore_old_consents() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT resident_id, scope, given_on FROM resident_consent ORDER BY scope")).all()
    found: dict[int, tuple[list[str], date]] = {}
    for resident_id, scope, given in rows:
        words, first = found.get(resident_id, ([], _as_date(given)))
        words.append("mobility" if scope == "needs" else scope)
        found[resident_id] = (words, min(first, _as_date(given)))
    for resident_id, (words, first) in found.items():
        conn.execute(sa.text("UPDATE resident SET consent_scope = :s, consent_date = :d "
                             "WHERE id = :i").bindparams(sa.bindparam("d", type_=sa.Date())),
                     {"s": ",".join(words), "d": first, "i": resident_id})


def _as_date(value: object) -> date | None:
    """Return a date from what the driver gives back (date, datetime or ISO text)."""
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") else value  # type: ignore[return-value]
