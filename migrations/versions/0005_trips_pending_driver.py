"""trips: no schema change (waiting-for-driver is derived from assignments); kept as a no-op

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 11:20:00.000000
"""
from collections.abc import Sequence

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""


def downgrade() -> None:
    """Revert this revision."""
