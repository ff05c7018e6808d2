"""At-risk lists as they were delivered: the rows (compressed CSV), when, from which data and
model, with which policy and threshold, so last month's list can be reopened and checked."""

from __future__ import annotations

import gzip
import io
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from churn_core.model import Policy
from churn_core.risk import AtRiskList
from churn_core.workspace.database import Workspace
from churn_core.workspace.faults import not_found
from churn_core.workspace.tables import AtRiskList as ListRow
from churn_core.workspace.tables import Dataset, Model, now, utc
from churn_core.workspace.usage import count_stored_bytes


@dataclass(frozen=True)
class ListRecord:
    """What the workspace knows about a delivered list (its rows are loaded when asked for)."""

    id: int
    created_at: datetime
    dataset_id: int | None
    model_id: int | None
    data_name: str
    model_name: str
    kind: str | None  # the model's kind of data (None: a model outside the workspace)
    policy: dict[str, Any]
    threshold: float | None
    rows: int
    flagged: int
    expected_churners: float
    id_column: str
    stored_bytes: int

    def get_policy(self) -> Policy:
        """The policy that flagged this list (keys a newer version does not know are left out)."""
        known = {f.name for f in fields(Policy)}
        return Policy(**{k: v for k, v in self.policy.items() if k in known})

    def describe(self) -> str:
        """``customers.csv, 2026-05-01 09:30 UTC: 4,000 customers, 800 flagged``."""
        return (
            f"{self.data_name}, {self.created_at:%Y-%m-%d %H:%M} UTC: {self.rows:,} customers, "
            f"{self.flagged:,} flagged"
        )


def save_at_risk_list(
    workspace: Workspace,
    at_risk: AtRiskList,
    *,
    policy: Policy,
    model_id: int | None,
    dataset_id: int | None = None,
    data_name: str | None = None,
    rows: pd.DataFrame | None = None,
) -> ListRecord:
    """Keep a list as delivered: ``rows`` (what was downloaded; the whole list by default),
    the policy and threshold that flagged it, the data and model it came from.

    ``data_name`` names the data when it is not a kept dataset (a file the command line read).
    Raises ChurnDataError, before anything is written, when the list is over the limits.
    """
    frame = at_risk.frame if rows is None else rows
    raw = frame.to_csv(index=False).encode("utf-8")
    packed = gzip.compress(raw, 6, mtime=0)
    limits = workspace.limits
    with workspace.writing() as session:
        used = count_stored_bytes(session)
        limits.check("this at-risk list", len(raw), limits.list_mb, used=used, stored=len(packed))
        model: Any = None if model_id is None else session.get(Model, model_id)
        row = ListRow(
            created_at=now(),
            dataset_id=dataset_id,
            model_id=model_id,
            data_name=(data_name or _name(session, Dataset, dataset_id) or "a file")[:255],
            model_name=(_name(session, Model, model_id) or "a model outside the workspace")[:100],
            kind=None if model is None else model.kind,
            policy=asdict(policy),
            threshold=at_risk.flagging.cutoff,
            rows=len(frame),
            flagged=int(at_risk.flagging.count),
            expected_churners=float(at_risk.flagging.expected_churners),
            id_column=at_risk.id_column,
            dtypes={str(c): str(t) for c, t in frame.dtypes.items()},
            size_bytes=len(raw),
            stored_bytes=len(packed),
            content=packed,
        )
        session.add(row)
        session.flush()
        return _record(row)


def list_at_risk_lists(workspace: Workspace) -> list[ListRecord]:
    """Every kept list, newest first (without their rows)."""
    with workspace.reading() as session:
        return [
            _record(row) for row in session.scalars(select(ListRow).order_by(ListRow.id.desc()))
        ]


def load_at_risk_list(workspace: Workspace, list_id: int) -> tuple[ListRecord, pd.DataFrame]:
    """A kept list and its rows, with the columns' types as they were delivered."""
    with workspace.reading() as session:
        row = _get(session, list_id)
        record, packed = _record(row), row.content
        dtypes = dict(row.dtypes)
    return record, read_list_rows(gzip.decompress(packed), dtypes)


def read_list_rows(raw: bytes, dtypes: dict[str, str]) -> pd.DataFrame:
    """CSV rows back into a frame: text stays text (ids such as ``00123`` keep their zeros),
    numbers come back as the numbers they were."""
    text_columns = [c for c, t in dtypes.items() if t in {"object", "string", "str"}]
    frame = pd.read_csv(
        io.BytesIO(raw),
        dtype=dict.fromkeys(text_columns, str),
        keep_default_na=False,
        na_values={c: [""] for c, t in dtypes.items() if c not in text_columns},
    )
    for column, dtype in dtypes.items():
        if column in frame and column not in text_columns and str(frame[column].dtype) != dtype:
            frame[column] = frame[column].astype(dtype)
    return frame


def delete_at_risk_list(workspace: Workspace, list_id: int) -> None:
    with workspace.writing() as session:
        session.delete(_get(session, list_id))


def _name(session: Session, table: type[Dataset] | type[Model], record_id: int | None) -> str:
    if record_id is None:
        return ""
    row: Any = session.get(table, record_id)
    if row is None:
        raise not_found(table.__name__, record_id)
    return str(row.name)


def _get(session: Session, list_id: int) -> ListRow:
    row = session.get(ListRow, list_id)
    if row is None:
        raise not_found("At-risk list", list_id)
    return row


def _record(row: ListRow) -> ListRecord:
    return ListRecord(
        id=row.id,
        created_at=utc(row.created_at),
        dataset_id=row.dataset_id,
        model_id=row.model_id,
        data_name=row.data_name,
        model_name=row.model_name,
        kind=row.kind,
        policy=dict(row.policy),
        threshold=row.threshold,
        rows=row.rows,
        flagged=row.flagged,
        expected_churners=row.expected_churners,
        id_column=row.id_column,
        stored_bytes=row.stored_bytes,
    )
