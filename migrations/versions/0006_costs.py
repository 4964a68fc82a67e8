"""costs: fuel prices, trip cost items, split rules, gifts (issue 7)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 11:20:00.000000
"""
from collections.abc import Sequence

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""


def downgrade() -> None:
    """Revert this revision."""
