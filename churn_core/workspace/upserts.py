"""Insert-or-update in one statement (``INSERT ... ON CONFLICT``), on SQLite and PostgreSQL.

Two people saving the same setting, or training the first two models of a kind, at the same
moment: one statement each, so neither fails and neither is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from churn_core.workspace.tables import Base


def upsert(
    session: Session,
    table: type[Base],
    values: dict[str, Any],
    keys: Sequence[str],
    *,
    update: bool = True,
) -> None:
    """Insert ``values``; when a row with the same ``keys`` exists, update it (or, with
    ``update=False``, leave it as it is)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(**values)
    changes = {name: statement.excluded[name] for name in values if name not in keys}
    if update and changes:
        session.execute(statement.on_conflict_do_update(index_elements=keys, set_=changes))
    else:
        session.execute(statement.on_conflict_do_nothing(index_elements=keys))
