"""Everything the workspace keeps, as one JSON-ready dict (``python -m churn_core workspace
list``), and the storage it uses."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from churn_core.workspace.database import Workspace, get_revision
from churn_core.workspace.datasets import list_datasets
from churn_core.workspace.last_used import get_last_in_use
from churn_core.workspace.lists import list_at_risk_lists
from churn_core.workspace.registry import list_models
from churn_core.workspace.settings import list_settings
from churn_core.workspace.training_queue import list_jobs
from churn_core.workspace.usage import summarize_storage


def get_storage_used(workspace: Workspace) -> Any:
    """One row per kind of record: how many are kept and the megabytes they take."""
    with workspace.reading() as session:
        return summarize_storage(session)


def describe_workspace(workspace: Workspace) -> dict[str, Any]:
    """Datasets, models (which is in use), lists, settings, trainings and storage used."""
    in_use = get_last_in_use(workspace)
    storage = get_storage_used(workspace)
    return {
        "database": workspace.database,
        "schema_version": get_revision(workspace.engine),
        "last_in_use": {
            "dataset_id": in_use.dataset.id if in_use.dataset else None,
            "model_id": in_use.model.id if in_use.model else None,
        },
        "datasets": [
            {**{k: v for k, v in asdict(d).items() if k != "column_names"}, "kind": d.kind}
            for d in list_datasets(workspace)
        ],
        "models": [asdict(m) for m in list_models(workspace)],
        "lists": [asdict(x) for x in list_at_risk_lists(workspace)],
        "settings": [
            {"name": s.name, "scope": s.scope, "updated_at": s.updated_at}
            for s in list_settings(workspace)
        ],
        "trainings": [
            {k: v for k, v in asdict(j).items() if k != "params"} for j in list_jobs(workspace)
        ],
        "storage": storage.to_dict(orient="records"),
        "storage_used_mb": round(float(storage["MB"].sum()), 2),
    }
