"""Storage the workspace uses, per kind of record (for the Workspace page and the quota)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from churn_core.workspace.tables import (
    AtRiskList,
    Dataset,
    ListCheck,
    Model,
    Setting,
    TrainingJob,
)

MB = 1024 * 1024


#: A check's size: its outcomes, one JSON true/false/null per listed customer.
CHECK_BYTES = func.length(ListCheck.outcomes)


def count_stored_bytes(session: Session) -> int:
    """Bytes of uploads, model bundles, lists and their checks kept (what the quota counts)."""
    total = 0
    for column in (Dataset.stored_bytes, Model.size_bytes, AtRiskList.stored_bytes, CHECK_BYTES):
        total += int(session.scalar(select(func.coalesce(func.sum(column), 0))) or 0)
    return total


def summarize_storage(session: Session) -> pd.DataFrame:
    """One row per kind of record: how many are kept and the megabytes they take."""
    rows = []
    for kind, count_column, size_column in (
        ("Datasets", Dataset.id, Dataset.stored_bytes),
        ("Models", Model.id, Model.size_bytes),
        ("At-risk lists", AtRiskList.id, AtRiskList.stored_bytes),
        ("List checks (who left)", ListCheck.id, CHECK_BYTES),
    ):
        count, size = session.execute(
            select(func.count(count_column), func.coalesce(func.sum(size_column), 0))
        ).one()
        rows.append({"What": kind, "Kept": int(count), "Bytes": int(size)})
    settings = session.execute(
        select(func.count(), func.coalesce(func.sum(func.length(Setting.value)), 0))
    ).one()
    rows.append({"What": "Settings", "Kept": int(settings[0]), "Bytes": int(settings[1])})
    jobs = int(session.scalar(select(func.count(TrainingJob.id))) or 0)
    rows.append({"What": "Trainings (queue history)", "Kept": jobs, "Bytes": 0})
    frame = pd.DataFrame(rows)
    frame["MB"] = (frame["Bytes"] / MB).round(2)
    return frame
