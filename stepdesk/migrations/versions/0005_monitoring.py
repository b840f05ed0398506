"""equalities fields on the subject: sex, ethnicity, disability (CIN census codes)

Issue 18 (monitoring, measure 6). Age bands come from the date of birth already held.

Revision ID: 0005_monitoring
Revises: 0004
Create Date: 2026-12-04 18:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_monitoring"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the three nullable columns (nothing recorded yet on existing subjects)."""
    with op.batch_alter_table("subject") as batch:
        batch.add_column(sa.Column("sex", sa.String(20), nullable=True))
        batch.add_column(sa.Column("ethnicity", sa.String(8), nullable=True))
        batch.add_column(sa.Column("disability", sa.String(8), nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("subject") as batch:
        batch.drop_column("disability")
        batch.drop_column("ethnicity")
        batch.drop_column("sex")
