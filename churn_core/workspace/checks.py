"""The track record kept: a delivered list checked against who really left.

One check per list (checking it again, with a later file, replaces it): which file said who
left and how it was read, each listed customer's outcome (so the whole record, by band and by
segment, can be rebuilt from the list with ``churn_core.monitoring.get_track_record``), and the
headline figures for listing without reading the list (Home, the history over time).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from churn_core.monitoring import Outcomes, TrackRecord
from churn_core.workspace.database import Workspace
from churn_core.workspace.faults import not_found
from churn_core.workspace.tables import AtRiskList as ListRow
from churn_core.workspace.tables import ListCheck, now, utc
from churn_core.workspace.upserts import upsert
from churn_core.workspace.usage import CHECK_BYTES, count_stored_bytes


@dataclass(frozen=True)
class CheckRecord:
    """How a kept list turned out (the figures; the outcomes are loaded when asked for)."""

    list_id: int
    checked_at: datetime
    #: When the list was delivered, the data it was made from and the model that made it.
    list_created_at: datetime
    data_name: str
    model_id: int | None
    later_name: str
    label_column: str | None
    missing_means_left: bool
    listed: int
    unknown: int
    expected_churners: float
    actual_churners: int
    flagged: int
    flagged_expected: float
    flagged_actual: int
    base_rate: float | None
    precision: float | None
    lift: float | None

    def describe(self) -> str:
        """``List of 2026-05-01 (customers.csv): 120 of 400 flagged left (expected 131)``."""
        return (
            f"List of {self.list_created_at:%Y-%m-%d} ({self.data_name}): "
            f"{self.flagged_actual:,} of {self.flagged:,} flagged left "
            f"(expected {self.flagged_expected:,.0f})"
        )


def save_list_check(
    workspace: Workspace,
    list_id: int,
    outcomes: Outcomes,
    record: TrackRecord,
    *,
    later_name: str,
    missing_means_left: bool = False,
) -> CheckRecord:
    """Keep how list ``list_id`` turned out (``outcomes`` and ``record`` from the engine on
    that list), replacing an earlier check of the same list. Raises ChurnDataError, before
    anything is written, when it would take the workspace over its quota."""
    values = {
        "list_id": list_id,
        "checked_at": now(),
        "later_name": later_name[:255],
        "label_column": outcomes.label_column,
        "missing_means_left": missing_means_left,
        "matched": outcomes.matched,
        "population": outcomes.population,
        "base_rate": outcomes.base_rate,
        "listed": record.listed,
        "unknown": record.unknown,
        "expected_churners": record.expected_churners,
        "actual_churners": record.actual_churners,
        "flagged": record.flagged,
        "flagged_expected": record.flagged_expected,
        "flagged_actual": record.flagged_actual,
        "precision": record.precision,
        "lift": record.lift,
        "outcomes": [None if pd.isna(v) else bool(v) for v in outcomes.left.tolist()],
    }
    size = len(json.dumps(values["outcomes"]))
    with workspace.writing() as session:
        if session.get(ListRow, list_id) is None:
            raise not_found("At-risk list", list_id)
        replaced = session.scalar(select(CHECK_BYTES).where(ListCheck.list_id == list_id)) or 0
        used = count_stored_bytes(session) - int(replaced)
        limits = workspace.limits
        limits.check("this list's check", size, limits.list_mb, used=used, stored=size)
        upsert(session, ListCheck, values, ["list_id"])
        return _record(session, _get(session, list_id))


def list_list_checks(workspace: Workspace) -> list[CheckRecord]:
    """Every kept check, oldest list first (the order of a track record over time)."""
    with workspace.reading() as session:
        rows = session.scalars(select(ListCheck).order_by(ListCheck.list_id)).all()
        return [_record(session, row) for row in rows]


def load_list_check(workspace: Workspace, list_id: int) -> tuple[CheckRecord, Outcomes] | None:
    """The check of list ``list_id`` and its outcomes as the engine reads them (None when the
    list was never checked)."""
    with workspace.reading() as session:
        row = session.scalar(select(ListCheck).where(ListCheck.list_id == list_id))
        if row is None:
            return None
        record, left = _record(session, row), list(row.outcomes)
        id_column = session.get_one(ListRow, list_id).id_column
        outcomes = Outcomes(
            pd.Series(left, dtype="boolean"),
            id_column,
            row.label_column,
            row.matched,
            row.base_rate,
            row.population,
        )
    return record, outcomes


def _get(session: Session, list_id: int) -> ListCheck:
    row = session.scalar(select(ListCheck).where(ListCheck.list_id == list_id))
    if row is None:
        raise not_found("Check of list", list_id)
    return row


def _record(session: Session, row: ListCheck) -> CheckRecord:
    listed = session.get_one(ListRow, row.list_id)
    return CheckRecord(
        list_id=row.list_id,
        checked_at=utc(row.checked_at),
        list_created_at=utc(listed.created_at),
        data_name=listed.data_name,
        model_id=listed.model_id,
        later_name=row.later_name,
        label_column=row.label_column,
        missing_means_left=row.missing_means_left,
        listed=row.listed,
        unknown=row.unknown,
        expected_churners=row.expected_churners,
        actual_churners=row.actual_churners,
        flagged=row.flagged,
        flagged_expected=row.flagged_expected,
        flagged_actual=row.flagged_actual,
        base_rate=row.base_rate,
        precision=row.precision,
        lift=row.lift,
    )
