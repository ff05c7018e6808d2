"""The track record: a delivered list checked against who really left (one check per list),
with each listed customer's outcome, so the record can be shown again and followed over time.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_checks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "list_id",
            sa.Integer,
            sa.ForeignKey(
                "at_risk_lists.id", ondelete="CASCADE", name="fk_list_checks_list_id_at_risk_lists"
            ),
            nullable=False,
        ),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("later_name", sa.String(255), nullable=False),
        sa.Column("label_column", sa.String(255)),
        sa.Column("missing_means_left", sa.Boolean, nullable=False),
        sa.Column("matched", sa.Integer, nullable=False),
        sa.Column("population", sa.Integer, nullable=False),
        sa.Column("base_rate", sa.Float),
        sa.Column("listed", sa.Integer, nullable=False),
        sa.Column("unknown", sa.Integer, nullable=False),
        sa.Column("expected_churners", sa.Float, nullable=False),
        sa.Column("actual_churners", sa.Integer, nullable=False),
        sa.Column("flagged", sa.Integer, nullable=False),
        sa.Column("flagged_expected", sa.Float, nullable=False),
        sa.Column("flagged_actual", sa.Integer, nullable=False),
        sa.Column("precision", sa.Float),
        sa.Column("lift", sa.Float),
        sa.Column("outcomes", sa.Text, nullable=False),
        sa.UniqueConstraint("list_id", name="uq_list_checks_list_id"),
    )


def downgrade() -> None:
    op.drop_table("list_checks")
