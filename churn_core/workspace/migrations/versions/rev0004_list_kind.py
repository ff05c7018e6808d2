"""A kept list remembers the kind of data its model was trained for, so it still serves for who
moved (and for how this month is flagged) after that model is deleted.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("at_risk_lists") as table:
        table.add_column(sa.Column("kind", sa.String(16)))
    op.create_index("ix_at_risk_lists_kind", "at_risk_lists", ["kind"])
    op.execute(
        "UPDATE at_risk_lists SET kind = "
        "(SELECT models.kind FROM models WHERE models.id = at_risk_lists.model_id)"
    )


def downgrade() -> None:
    op.drop_index("ix_at_risk_lists_kind", "at_risk_lists")
    with op.batch_alter_table("at_risk_lists") as table:
        table.drop_column("kind")
