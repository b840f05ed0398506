"""requests: background, consent recorded with the request, target panel

Revision ID: 0003_before
Revises: 0002
Create Date: 2026-11-22 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_before"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("background", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("consent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("target_panel_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_request_consent_id_consent"), "consent", ["consent_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_request_target_panel_id_panel"), "panel", ["target_panel_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_request_target_panel_id_panel"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_request_consent_id_consent"), type_="foreignkey")
        batch_op.drop_column("target_panel_id")
        batch_op.drop_column("consent_id")
        batch_op.drop_column("background")
