"""Uploads kept in the workspace: the file's bytes (compressed), the user's choices about its
columns, and what reading it found.

An upload is saved the moment it arrives (:func:`save_dataset`, status ``reading``), before it
is read; :func:`read_dataset` reads and profiles it, records its size and columns (status
``ready``, or ``failed`` with the reason) and can run in a background thread, so the work
finishes even when the user has moved to another page.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from churn_core.errors import ChurnDataError
from churn_core.io import Table, read_table
from churn_core.schema import Profile, Role, profile_table
from churn_core.workspace.database import Workspace
from churn_core.workspace.faults import not_found
from churn_core.workspace.tables import Dataset, now, utc
from churn_core.workspace.usage import count_stored_bytes

READING, READY, FAILED = "reading", "ready", "failed"


def get_data_kind(columns: Iterable[str], label: str | None) -> str:
    """What makes data of one *kind*: its columns, less the churn label (so this month's file
    to score, without the label, is of the same kind as last month's with it)."""
    names = sorted(str(c) for c in columns if c != label)
    return hashlib.sha256(json.dumps(names, ensure_ascii=False).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class DatasetRecord:
    """What the workspace knows about an upload (its bytes are loaded only when asked for)."""

    id: int
    name: str
    digest: str
    sheet: str | None
    status: str
    problem: str | None
    rows: int | None
    columns: int | None
    column_names: list[str]
    label_column: str | None
    roles: dict[str, str]
    churned_value: str | None
    size_bytes: int
    stored_bytes: int
    uploaded_at: datetime

    @property
    def kind(self) -> str | None:
        """The kind of data (see :func:`get_data_kind`); None until the file has been read."""
        return get_data_kind(self.column_names, self.label_column) if self.status == READY else None

    def describe(self) -> str:
        """``customers.csv: 5,000 rows x 15 columns, uploaded 2026-05-01 09:30 UTC``."""
        when = f"uploaded {self.uploaded_at:%Y-%m-%d %H:%M} UTC"
        if self.status == READING:
            return f"{self.name}: still being read, {when}"
        if self.status == FAILED:
            return f"{self.name}: could not be read, {when}"
        return f"{self.name}: {self.rows:,} rows x {self.columns} columns, {when}"


@dataclass
class LoadedDataset:
    """A kept upload read again: its record, the table and the profile with the saved choices."""

    record: DatasetRecord
    table: Table
    profile: Profile
    roles: dict[str, Role] = field(default_factory=dict)


def save_dataset(
    workspace: Workspace, raw: bytes, name: str, *, sheet: str | None = None
) -> DatasetRecord:
    """Keep an upload as it arrived (before reading it); the same file kept twice is one record.

    Raises ChurnDataError, before anything is written, when the file or the workspace would be
    over its limit.
    """
    digest = hashlib.sha256(raw).hexdigest()
    same_sheet = Dataset.sheet.is_(None) if sheet is None else Dataset.sheet == sheet
    with workspace.reading() as session:
        same = session.scalar(
            select(Dataset)
            .where(Dataset.digest == digest, same_sheet, Dataset.status != FAILED)
            .order_by(Dataset.id.desc())
            .limit(1)
        )
        if same is not None:
            return _record(same)
    what, limits = f'"{name}"', workspace.limits
    limits.check(what, len(raw), limits.dataset_mb, used=0, stored=0)
    packed = zlib.compress(raw, 6)
    with workspace.writing() as session:
        used = count_stored_bytes(session)
        limits.check(what, len(raw), limits.dataset_mb, used=used, stored=len(packed))
        row = Dataset(
            name=name[:255],
            digest=digest,
            sheet=sheet,
            status=READING,
            column_names=[],
            roles={},
            size_bytes=len(raw),
            stored_bytes=len(packed),
            content=packed,
            uploaded_at=now(),
        )
        session.add(row)
        session.flush()
        return _record(row)


def keep_read_table(
    workspace: Workspace, raw: bytes, table: Table, profile: Profile
) -> DatasetRecord:
    """Keep a file the caller has already read and profiled (the command line): its bytes, the
    roles the user set, and what reading found, so it need not be read again."""
    record = save_dataset(workspace, raw, table.name, sheet=table.sheet)
    roles = {c.name: c.role for c in profile.columns if c.set_by_user}
    mapping = profile.label_mapping
    save_dataset_choices(
        workspace,
        record.id,
        roles=roles,
        churned_value=mapping.churned_value if mapping and not mapping.guessed else None,
        label_column=profile.label_column,
    )
    return mark_dataset_read(workspace, record.id, table, profile)


def read_dataset(workspace: Workspace, dataset_id: int) -> LoadedDataset:
    """Read a kept upload with its saved choices; the first read records its rows and columns.

    Raises ChurnDataError when the file cannot be read (and records why: status ``failed``).
    """
    with workspace.reading() as session:
        row = _get(session, dataset_id)
        record, packed = _record(row), row.content
    try:
        table = read_table(
            zlib.decompress(packed), name=record.name, sheet=record.sheet, max_mb=None
        )
    except ChurnDataError as error:
        _set_read(workspace, dataset_id, status=FAILED, problem=str(error))
        raise
    roles = {column: Role(role) for column, role in record.roles.items()}
    profile = profile_table(
        table.frame, roles=roles, churned_value=record.churned_value, warnings=table.warnings
    )
    if record.status != READY or record.label_column != profile.label_column:
        record = mark_dataset_read(workspace, dataset_id, table, profile)
    return LoadedDataset(record, table, profile, roles)


def mark_dataset_read(
    workspace: Workspace, dataset_id: int, table: Table, profile: Profile
) -> DatasetRecord:
    """Record what reading a kept upload found (rows, columns, label), when the caller read it
    itself (the app reads an upload in the session that sent it; no need to read it twice)."""
    return _set_read(
        workspace,
        dataset_id,
        status=READY,
        rows=len(table.frame),
        column_names=[str(c) for c in table.frame.columns],
        label_column=profile.label_column,
    )


def read_dataset_in_background(workspace: Workspace, dataset_id: int) -> threading.Thread:
    """Start :func:`read_dataset` in a thread of this process and return it (already started):
    the upload is read and its size recorded even if nobody waits for it."""

    def run() -> None:
        with contextlib.suppress(ChurnDataError):  # a bad file is recorded (status failed)
            read_dataset(workspace, dataset_id)

    thread = threading.Thread(target=run, name=f"read-dataset-{dataset_id}", daemon=True)
    thread.start()
    return thread


def save_dataset_choices(
    workspace: Workspace,
    dataset_id: int,
    *,
    roles: Mapping[str, Role | str],
    churned_value: str | None,
    label_column: str | None,
) -> DatasetRecord:
    """Keep the user's role choices, which label value means left, and the label they give."""
    with workspace.writing() as session:
        row = _get(session, dataset_id)
        row.roles = {str(k): Role(v).value for k, v in roles.items()}
        row.churned_value = churned_value
        row.label_column = label_column
        return _record(row)


def get_dataset(workspace: Workspace, dataset_id: int) -> DatasetRecord:
    with workspace.reading() as session:
        return _record(_get(session, dataset_id))


def list_datasets(workspace: Workspace) -> list[DatasetRecord]:
    """Every kept upload, newest first (without their bytes)."""
    with workspace.reading() as session:
        rows = session.scalars(select(Dataset).order_by(Dataset.id.desc()))
        return [_record(row) for row in rows]


def load_dataset_bytes(workspace: Workspace, dataset_id: int) -> bytes:
    """The file exactly as it was uploaded (for a download)."""
    with workspace.reading() as session:
        return zlib.decompress(_get(session, dataset_id).content)


def delete_dataset(workspace: Workspace, dataset_id: int) -> None:
    """Delete an upload; models and lists made from it are kept (they say it was deleted)."""
    with workspace.writing() as session:
        session.delete(_get(session, dataset_id))


def _set_read(workspace: Workspace, dataset_id: int, **values: object) -> DatasetRecord:
    with workspace.writing() as session:
        row = _get(session, dataset_id)
        for name, value in values.items():
            setattr(row, name, value)
        if "column_names" in values:
            row.columns = len(row.column_names)
        row.problem = str(values["problem"]) if values.get("problem") else None
        return _record(row)


def _get(session: Session, dataset_id: int) -> Dataset:
    row = session.get(Dataset, dataset_id)
    if row is None:
        raise not_found("Dataset", dataset_id)
    return row


def _record(row: Dataset) -> DatasetRecord:
    return DatasetRecord(
        id=row.id,
        name=row.name,
        digest=row.digest,
        sheet=row.sheet,
        status=row.status,
        problem=row.problem,
        rows=row.rows,
        columns=row.columns,
        column_names=list(row.column_names or []),
        label_column=row.label_column,
        roles=dict(row.roles or {}),
        churned_value=row.churned_value,
        size_bytes=row.size_bytes,
        stored_bytes=row.stored_bytes,
        uploaded_at=utc(row.uploaded_at),
    )
