"""Alembic's entry point: migrate the connection ``churn_core.workspace.upgrade`` hands over.

Alembic runs this file; imported any other way (pytest collecting doctests, the import check)
it does nothing.
"""

from __future__ import annotations

from alembic import context

from churn_core.workspace.tables import Base


def run_migrations() -> None:
    """Upgrade on the connection in ``config.attributes`` (always given: there is no ini)."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite changes a column by copying its table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if getattr(context, "config", None) is not None:
    run_migrations()
