"""Alembic migrations of the workspace database, run by ``churn_core.workspace.upgrade``.

Each version file changes the schema one step; never edit one that has shipped, add the next.
``env.py`` is Alembic's entry point and does nothing when merely imported.
"""
