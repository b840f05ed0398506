"""merge the three 0003 branches (before, protocol, trust) into one head

From here on ``alembic heads`` prints one line; every new revision follows this one.

Revision ID: 0004
Revises: 0003_before, 0003_protocol, 0003_trust
Create Date: 2026-12-04 17:40:00
"""

from collections.abc import Sequence

revision: str = "0004"
down_revision: str | Sequence[str] | None = ("0003_before", "0003_protocol", "0003_trust")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the merge only joins the branches."""


def downgrade() -> None:
    """Nothing to change: the merge only joins the branches."""
