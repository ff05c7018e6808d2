"""The model registry: every trained model is kept, signed; one is *in use* per kind of data.

A bundle is unpickled only after its signature checks (see :mod:`~churn_core.workspace.
signing`). A model is added in one transaction with everything about it, so a training that
fails halfway never shows as a model.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from churn_core.model import ChurnModel, dump_model, load_model_bytes
from churn_core.workspace.database import Workspace
from churn_core.workspace.datasets import READY, get_data_kind
from churn_core.workspace.faults import not_found, refuse
from churn_core.workspace.signing import sign_bundle, verify_bundle
from churn_core.workspace.tables import Dataset, Model, ModelInUse, now, utc
from churn_core.workspace.upserts import upsert
from churn_core.workspace.usage import count_stored_bytes

#: The held-out figures kept next to each model, for listing without reading its card.
HELD_OUT = ("roc_auc", "pr_auc", "brier", "top_decile_lift", "precision", "recall", "f1")


@dataclass(frozen=True)
class ModelRecord:
    """A kept model: what it is, what it learned from, how good it was on held-out customers."""

    id: int
    name: str
    kind: str
    label_column: str
    dataset_id: int | None
    dataset_name: str
    trained_at: datetime
    metrics: dict[str, Any]
    size_bytes: int
    in_use: bool

    def describe(self) -> str:
        """``Gradient boosting on customers.csv, trained 2026-05-01 09:30 UTC (ROC-AUC 0.84)``."""
        auc = self.metrics.get("roc_auc")
        figure = f" (held-out ROC-AUC {auc:.2f})" if isinstance(auc, float) else ""
        return (
            f"{self.name} on {self.dataset_name}, trained {self.trained_at:%Y-%m-%d %H:%M} UTC"
            f"{figure}"
        )


def register_model(
    workspace: Workspace, model: ChurnModel, dataset_id: int, *, use: bool | None = None
) -> ModelRecord:
    """Keep a trained model, learned from the kept dataset ``dataset_id``.

    ``use``: None puts it in use only when no model of its kind is (the first one), True
    always, False never. Raises ChurnDataError when the bundle is over the limits.
    """
    with workspace.writing() as session:
        return _record(session, add_model(session, workspace, model, dataset_id, use=use))


def add_model(
    session: Session,
    workspace: Workspace,
    model: ChurnModel,
    dataset_id: int,
    *,
    use: bool | None = None,
) -> Model:
    """:func:`register_model` inside a transaction the caller holds (the training queue marks
    its job done in the same one)."""
    dataset = session.get(Dataset, dataset_id)
    if dataset is None:
        raise not_found("Dataset", dataset_id)
    if dataset.status != READY:
        raise refuse(
            f'"{dataset.name}" has not been read yet, so its model cannot be kept.',
            "Wait until the file has been read, then train again.",
            "dataset_not_read",
        )
    bundle, card = dump_model(model)
    limits = workspace.limits
    what = f"the {model.name.lower()} model"
    used = count_stored_bytes(session)
    limits.check(what, len(bundle), limits.model_mb, used=used, stored=len(bundle))
    card_text = json.dumps(card, ensure_ascii=False, default=str)
    row = Model(
        dataset_id=dataset.id,
        dataset_name=dataset.name,
        name=model.name,
        kind=get_data_kind(dataset.column_names, model.label_column),
        label_column=model.label_column,
        trained_at=datetime.fromisoformat(card["trained_at"]),
        metrics={
            **{k: card["metrics"].get(k) for k in HELD_OUT},
            "test_rows": card["data"]["test_rows"],
        },
        card=card_text,
        bundle=bundle,
        signature=sign_bundle(workspace.secret_key, bundle, card_text),
        size_bytes=len(bundle),
    )
    session.add(row)
    session.flush()
    if use is not False:
        values = {"kind": row.kind, "model_id": row.id, "since": now()}
        upsert(session, ModelInUse, values, ["kind"], update=bool(use))
    return row


def list_models(workspace: Workspace) -> list[ModelRecord]:
    """Every kept model, newest first, each saying whether it is in use."""
    with workspace.reading() as session:
        rows = session.scalars(select(Model).order_by(Model.id.desc())).all()
        in_use = set(session.scalars(select(ModelInUse.model_id)))
        return [_record(session, row, in_use=row.id in in_use) for row in rows]


def get_model_record(workspace: Workspace, model_id: int) -> ModelRecord:
    with workspace.reading() as session:
        return _record(session, _get(session, model_id))


def load_registered_model(workspace: Workspace, model_id: int) -> ChurnModel:
    """The kept model, unpickled only after its signature, format and versions check.

    Raises ChurnDataError for a row that was changed, damaged or signed with another key.
    """
    with workspace.reading() as session:
        row = _get(session, model_id)
        bundle, card_text, signature = row.bundle, row.card, row.signature
    where = f"workspace model {model_id}"
    verify_bundle(workspace.secret_key, bundle, card_text, signature, where)
    return load_model_bytes(bundle, json.loads(card_text), where=where)


def use_model(workspace: Workspace, model_id: int) -> ModelRecord:
    """Put a model in use for its kind of data (the one there was is kept, no longer in use)."""
    with workspace.writing() as session:
        row = _get(session, model_id)
        values = {"kind": row.kind, "model_id": row.id, "since": now()}
        upsert(session, ModelInUse, values, ["kind"])
        return _record(session, row, in_use=True)


def get_model_in_use(workspace: Workspace, kind: str) -> ModelRecord | None:
    """The model in use for a kind of data (see ``get_data_kind``), if any."""
    with workspace.reading() as session:
        row = session.scalar(
            select(Model)
            .join(ModelInUse, ModelInUse.model_id == Model.id)
            .where(ModelInUse.kind == kind)
        )
        return None if row is None else _record(session, row, in_use=True)


def find_model_in_use(workspace: Workspace, columns: Iterable[str]) -> ModelRecord | None:
    """The model in use for data with these columns (with or without the churn label)."""
    names = list(columns)
    with workspace.reading() as session:
        rows = session.scalars(select(Model).join(ModelInUse, ModelInUse.model_id == Model.id))
        for row in rows:
            if get_data_kind(names, row.label_column) == row.kind:
                return _record(session, row, in_use=True)
    return None


def delete_model(workspace: Workspace, model_id: int) -> None:
    """Delete a model; lists made with it are kept. Deleting the one in use leaves its kind of
    data with none until another is put in use."""
    with workspace.writing() as session:
        session.delete(_get(session, model_id))


def _get(session: Session, model_id: int) -> Model:
    row = session.get(Model, model_id)
    if row is None:
        raise not_found("Model", model_id)
    return row


def _record(session: Session, row: Model, *, in_use: bool | None = None) -> ModelRecord:
    if in_use is None:
        current = session.scalar(select(ModelInUse.model_id).where(ModelInUse.kind == row.kind))
        in_use = current == row.id
    return ModelRecord(
        id=row.id,
        name=row.name,
        kind=row.kind,
        label_column=row.label_column,
        dataset_id=row.dataset_id,
        dataset_name=row.dataset_name,
        trained_at=utc(row.trained_at),
        metrics=dict(row.metrics),
        size_bytes=row.size_bytes,
        in_use=in_use,
    )
