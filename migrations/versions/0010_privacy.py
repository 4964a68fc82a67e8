"""privacy: consent scopes, retention, erasure (issue 8)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 11:20:00.000000
"""
from collections.abc import Sequence

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""


def downgrade() -> None:
    """Revert this revision."""
