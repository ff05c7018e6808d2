"""What was in use last (the data and the model), so the app opens on it after a reload, a
restart, or in a colleague's browser."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from churn_core.errors import ChurnDataError
from churn_core.workspace.database import Workspace
from churn_core.workspace.datasets import DatasetRecord, get_dataset
from churn_core.workspace.registry import ModelRecord, get_model_record
from churn_core.workspace.tables import LastUsed, now
from churn_core.workspace.upserts import upsert

ROW = 1  # the table holds one row
Record = TypeVar("Record")


@dataclass(frozen=True)
class InUse:
    """The data and the model in use last; either is None when none was, or it was deleted."""

    dataset: DatasetRecord | None
    model: ModelRecord | None

    def describe(self) -> str:
        """One sentence for the app's first page and sidebar."""
        if self.dataset is None and self.model is None:
            return "Nothing from the workspace is in use yet."
        data = f"data {self.dataset.describe()}" if self.dataset else "no saved data"
        model = f"model {self.model.describe()}" if self.model else "no saved model"
        return f"In use: {data}; {model}."


def remember_in_use(workspace: Workspace, *, dataset_id: int | None, model_id: int | None) -> None:
    """Record the data and the model now in use (for everyone who opens the app next)."""
    with workspace.writing() as session:
        values = {"id": ROW, "dataset_id": dataset_id, "model_id": model_id, "updated_at": now()}
        upsert(session, LastUsed, values, ["id"])


def get_last_in_use(workspace: Workspace) -> InUse:
    """The data and the model in use last (each None if there was none or it was deleted)."""
    with workspace.reading() as session:
        row = session.get(LastUsed, ROW)
        dataset_id, model_id = (None, None) if row is None else (row.dataset_id, row.model_id)
    return InUse(
        _or_none(get_dataset, workspace, dataset_id),
        _or_none(get_model_record, workspace, model_id),
    )


def _or_none(
    get: Callable[[Workspace, int], Record], workspace: Workspace, record_id: int | None
) -> Record | None:
    if record_id is None:
        return None
    try:
        return get(workspace, record_id)
    except ChurnDataError as error:
        if error.problems[0].code == "not_in_workspace":  # deleted since: nothing to open
            return None
        raise
