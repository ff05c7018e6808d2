"""The registry and the queue: one model in use per kind of data (its own table, so the
database itself refuses two), uploads kept the moment they arrive (status, rows and columns
known once read), what was in use last, and the training queue.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("datasets") as table:
        table.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="ready"))
        table.add_column(sa.Column("problem", sa.Text))
        table.alter_column("rows", existing_type=sa.Integer, nullable=True)
        table.alter_column("columns", existing_type=sa.Integer, nullable=True)

    op.create_table(
        "models_in_use",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column(
            "model_id",
            sa.Integer,
            sa.ForeignKey("models.id", ondelete="CASCADE", name="fk_models_in_use_model_id_models"),
            nullable=False,
        ),
        sa.Column("since", WHEN, nullable=False),
        sa.UniqueConstraint("model_id", name="uq_models_in_use_model_id"),
    )
    # The newest flagged model of each kind stays in use (0001 did not stop two being flagged).
    op.execute(
        "INSERT INTO models_in_use (kind, model_id, since) "
        "SELECT kind, MAX(id), CURRENT_TIMESTAMP FROM models WHERE in_use GROUP BY kind"
    )
    with op.batch_alter_table("models") as table:
        table.drop_column("in_use")

    op.create_table(
        "last_used",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "dataset_id",
            sa.Integer,
            sa.ForeignKey(
                "datasets.id", ondelete="SET NULL", name="fk_last_used_dataset_id_datasets"
            ),
        ),
        sa.Column(
            "model_id",
            sa.Integer,
            sa.ForeignKey("models.id", ondelete="SET NULL", name="fk_last_used_model_id_models"),
        ),
        sa.Column("updated_at", WHEN, nullable=False),
    )
    op.create_table(
        "training_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column(
            "dataset_id",
            sa.Integer,
            sa.ForeignKey(
                "datasets.id", ondelete="SET NULL", name="fk_training_jobs_dataset_id_datasets"
            ),
        ),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("submitted_by", sa.String(100), nullable=False),
        sa.Column("submitted_at", WHEN, nullable=False),
        sa.Column("started_at", WHEN),
        sa.Column("finished_at", WHEN),
        sa.Column("progress", sa.Float, nullable=False, server_default="0"),
        sa.Column("message", sa.String(255), nullable=False, server_default=""),
        sa.Column(
            "model_id",
            sa.Integer,
            sa.ForeignKey(
                "models.id", ondelete="SET NULL", name="fk_training_jobs_model_id_models"
            ),
        ),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_training_jobs_status", "training_jobs", ["status"])
    op.create_index("ix_training_jobs_dataset_id", "training_jobs", ["dataset_id"])


def downgrade() -> None:
    op.drop_table("training_jobs")
    op.drop_table("last_used")
    with op.batch_alter_table("models") as table:
        table.add_column(sa.Column("in_use", sa.Boolean, nullable=False, server_default=sa.false()))
    op.execute("UPDATE models SET in_use = (id IN (SELECT model_id FROM models_in_use))")
    op.drop_table("models_in_use")
    op.execute("DELETE FROM datasets WHERE status <> 'ready'")
    with op.batch_alter_table("datasets") as table:
        table.alter_column("columns", existing_type=sa.Integer, nullable=False)
        table.alter_column("rows", existing_type=sa.Integer, nullable=False)
        table.drop_column("problem")
        table.drop_column("status")
