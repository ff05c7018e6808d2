"""First schema: datasets (read before they were saved), models with an in-use flag, at-risk
lists and settings.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("sheet", sa.String(255)),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("columns", sa.Integer, nullable=False),
        sa.Column("column_names", sa.Text, nullable=False),
        sa.Column("label_column", sa.String(255)),
        sa.Column("roles", sa.Text, nullable=False),
        sa.Column("churned_value", sa.String(255)),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("stored_bytes", sa.BigInteger, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_at", WHEN, nullable=False),
    )
    op.create_index("ix_datasets_digest", "datasets", ["digest"])
    op.create_table(
        "models",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "dataset_id",
            sa.Integer,
            sa.ForeignKey("datasets.id", ondelete="SET NULL", name="fk_models_dataset_id_datasets"),
        ),
        sa.Column("dataset_name", sa.String(255), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label_column", sa.String(255), nullable=False),
        sa.Column("in_use", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("trained_at", WHEN, nullable=False),
        sa.Column("metrics", sa.Text, nullable=False),
        sa.Column("card", sa.Text, nullable=False),
        sa.Column("bundle", sa.LargeBinary, nullable=False),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_models_dataset_id", "models", ["dataset_id"])
    op.create_index("ix_models_kind", "models", ["kind"])
    op.create_table(
        "at_risk_lists",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column(
            "dataset_id",
            sa.Integer,
            sa.ForeignKey(
                "datasets.id", ondelete="SET NULL", name="fk_at_risk_lists_dataset_id_datasets"
            ),
        ),
        sa.Column(
            "model_id",
            sa.Integer,
            sa.ForeignKey(
                "models.id", ondelete="SET NULL", name="fk_at_risk_lists_model_id_models"
            ),
        ),
        sa.Column("data_name", sa.String(255), nullable=False),
        sa.Column("model_name", sa.String(100), nullable=False),
        sa.Column("policy", sa.Text, nullable=False),
        sa.Column("threshold", sa.Float),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("flagged", sa.Integer, nullable=False),
        sa.Column("expected_churners", sa.Float, nullable=False),
        sa.Column("id_column", sa.String(255), nullable=False),
        sa.Column("dtypes", sa.Text, nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("stored_bytes", sa.BigInteger, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_at_risk_lists_dataset_id", "at_risk_lists", ["dataset_id"])
    op.create_index("ix_at_risk_lists_model_id", "at_risk_lists", ["model_id"])
    op.create_table(
        "settings",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("scope", sa.String(255), nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("name", "scope", name="pk_settings"),
    )


def downgrade() -> None:
    for table in ("settings", "at_risk_lists", "models", "datasets"):
        op.drop_table(table)
