"""Saved choices: the action plan, the plays, the CLV assumptions, the segment choices.

Each is a JSON value under a name and a scope. The scope says what it applies to:
``"workspace"`` for everyone's defaults, or ``scope_for_kind(kind)`` for one kind of data (the
columns of a CRM export). Saving the same name and scope again replaces the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from churn_core.workspace.database import Workspace
from churn_core.workspace.tables import Setting, now, utc
from churn_core.workspace.upserts import upsert

WORKSPACE = "workspace"
#: The names the app saves under (any other name works too).
ACTION_PLAN = "action_plan"
PLAYS = "plays"
CLV_ASSUMPTIONS = "clv_assumptions"
SEGMENT_CHOICES = "segment_choices"


def scope_for_kind(kind: str) -> str:
    """The scope of a setting that belongs to one kind of data (see ``get_data_kind``)."""
    return f"kind:{kind}"


@dataclass(frozen=True)
class SettingRecord:
    name: str
    scope: str
    value: Any
    updated_at: datetime


def save_setting(workspace: Workspace, name: str, value: Any, *, scope: str = WORKSPACE) -> None:
    """Save (or replace) a JSON value; two people saving at once both succeed, the later wins."""
    with workspace.writing() as session:
        values = {"name": name, "scope": scope, "value": value, "updated_at": now()}
        upsert(session, Setting, values, ["name", "scope"])


def load_setting(
    workspace: Workspace, name: str, *, scope: str = WORKSPACE, default: Any = None
) -> Any:
    """The saved value, or ``default`` when nothing is saved under that name and scope."""
    with workspace.reading() as session:
        row = session.get(Setting, (name, scope))
        return default if row is None else row.value


def list_settings(workspace: Workspace, *, scope: str | None = None) -> list[SettingRecord]:
    """Every saved setting (of one scope, if given), by name."""
    with workspace.reading() as session:
        query = select(Setting).order_by(Setting.name, Setting.scope)
        if scope is not None:
            query = query.where(Setting.scope == scope)
        return [
            SettingRecord(row.name, row.scope, row.value, utc(row.updated_at))
            for row in session.scalars(query)
        ]


def delete_setting(workspace: Workspace, name: str, *, scope: str = WORKSPACE) -> None:
    """Forget a setting (nothing happens when none is saved)."""
    with workspace.writing() as session:
        row = session.get(Setting, (name, scope))
        if row is not None:
            session.delete(row)
