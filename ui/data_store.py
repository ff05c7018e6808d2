"""The tables the server holds for every session: the bundled sample, and kept uploads read
from the workspace, a few at a time (``MAX_KEPT_TABLES``; any other is read again from the
database when a session needs it), each read once, in a background thread when it is new.

A session holds only *which* data it has open (a :class:`Choice`, see ``ui/state.py``), never
the table: large data lives in the database, not in every session's memory.
"""

from __future__ import annotations

import hashlib
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import streamlit as st

from churn_core.io import Table, read_table
from churn_core.schema import Profile, Role, get_churned, profile_table
from churn_core.workspace import (
    LoadedDataset,
    Workspace,
    get_data_kind,
    get_dataset,
    read_dataset,
)
from ui.workspace_state import ask, workspace_key

SAMPLE_PATH = Path(__file__).resolve().parents[1] / "data" / "sample_customers.csv"
#: The bundled event log (logins, purchases, complaints, plan changes), offered beside it.
LOG_SAMPLE_PATH = SAMPLE_PATH.with_name("sample_activity_log.csv")
#: The bundled files, by name: a session with no dataset id has one of these open.
SAMPLES = {path.name: path for path in (SAMPLE_PATH, LOG_SAMPLE_PATH)}
#: Kept tables held in the server's memory at once (each read again from the database after).
MAX_KEPT_TABLES = 4
SAMPLE, UPLOAD = "sample", "upload"


@dataclass
class Dataset:
    """A table, the user's role choices, and the profile they give."""

    table: Table
    digest: str
    source: str  # "sample" or "upload"
    profile: Profile
    roles: dict[str, Role] = field(default_factory=dict)
    churned_value: str | None = None
    dataset_id: int | None = None  # its id in the workspace (None: the sample, or not kept)

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def kept(self) -> bool:
        return self.dataset_id is not None

    @property
    def key(self) -> str:
        """Changes whenever the data or its roles change: a cache key for derived results."""
        roles = ",".join(f"{k}={v.value}" for k, v in sorted(self.roles.items()))
        return f"{self.digest}|{roles}|{self.churned_value}"

    @property
    def kind(self) -> str:
        """Its kind (its columns, the label aside): one model in use per kind."""
        return get_data_kind(self.frame.columns, self.profile.label_column)

    @cached_property
    def churned(self) -> pd.Series | None:
        return get_churned(self.frame, self.profile)


@dataclass(frozen=True)
class Choice:
    """Which data a session has open: the sample, a kept upload, or one read here only."""

    dataset_id: int | None  # None: the bundled sample (or a local upload)
    name: str
    digest: str = ""
    roles: tuple[tuple[str, str], ...] = ()
    churned_value: str | None = None
    ready: bool = True  # False while the kept upload is still being read
    local: bool = False

    @property
    def source(self) -> str:
        return SAMPLE if self.dataset_id is None and not self.local else UPLOAD

    def role_map(self) -> dict[str, Role]:
        return {column: Role(role) for column, role in self.roles}


@dataclass(frozen=True)
class Reading:
    """A kept upload the session has open that is still being read."""

    name: str
    seconds: float  # since this server started reading it (0 when unknown)


SAMPLE_CHOICE = Choice(None, SAMPLE_PATH.name)
LOG_SAMPLE_CHOICE = Choice(None, LOG_SAMPLE_PATH.name)


@st.cache_resource(show_spinner=False)
def sample_dataset(name: str = SAMPLE_PATH.name) -> Dataset:
    """A bundled file (the customer sample unless ``name`` says which), read once per server."""
    path = SAMPLES.get(name, SAMPLE_PATH)
    raw = path.read_bytes()
    table = read_table(raw, name=path.name)
    profile = profile_table(table.frame, warnings=table.warnings)
    return Dataset(table, digest_of(raw), SAMPLE, profile)


@st.cache_resource(max_entries=4, show_spinner=False)
def sample_with_roles(
    roles: tuple[tuple[str, str], ...], churned_value: str | None, name: str = SAMPLE_PATH.name
) -> Dataset:
    """A bundled file with a session's role choices (the table is shared, not copied)."""
    sample = sample_dataset(name)
    return _with_roles(sample.table, sample.digest, SAMPLE, None, roles, churned_value)


@st.cache_resource(max_entries=MAX_KEPT_TABLES, show_spinner=False)
def _loaded(key: str, dataset_id: int, digest: str, _workspace: Workspace) -> LoadedDataset:
    """A kept upload read from the database (its rows and columns recorded the first time)."""
    return read_dataset(_workspace, dataset_id)


@st.cache_resource(max_entries=MAX_KEPT_TABLES + 2, show_spinner=False)
def _kept(
    key: str,
    dataset_id: int,
    digest: str,
    roles: tuple[tuple[str, str], ...],
    churned_value: str | None,
    _workspace: Workspace,
) -> Dataset:
    loaded = _loaded(key, dataset_id, digest, _workspace)
    fingerprint = f"{digest[:16]}|{loaded.record.sheet}"
    saved = tuple(sorted(loaded.record.roles.items()))
    if saved != roles or loaded.record.churned_value != churned_value:
        return _with_roles(loaded.table, fingerprint, UPLOAD, dataset_id, roles, churned_value)
    profile, chosen = loaded.profile, dict(loaded.roles)
    return Dataset(loaded.table, fingerprint, UPLOAD, profile, chosen, churned_value, dataset_id)


def _with_roles(
    table: Table,
    digest: str,
    source: str,
    dataset_id: int | None,
    roles: tuple[tuple[str, str], ...],
    churned_value: str | None,
) -> Dataset:
    chosen = {column: Role(role) for column, role in roles}
    profile = profile_table(
        table.frame, roles=chosen, churned_value=churned_value, warnings=table.warnings
    )
    return Dataset(table, digest, source, profile, chosen, churned_value, dataset_id)


_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="read-upload")
_reads: dict[tuple[str, int, str], tuple[Future[LoadedDataset], float]] = {}
_reads_lock = threading.Lock()


def _read_key(choice: Choice) -> tuple[str, int, str]:
    assert choice.dataset_id is not None
    return (workspace_key(), choice.dataset_id, choice.digest)


def start_reading(workspace: Workspace, choice: Choice) -> Future[LoadedDataset]:
    """Read a kept upload in the background (once per server), so it is ready whichever page
    its user is on; two at a time, the others wait their turn."""
    key = _read_key(choice)
    with _reads_lock:
        started = _reads.get(key)
        if started is not None and not (started[0].done() and started[0].exception()):
            return started[0]
        future = _pool.submit(_loaded, key[0], key[1], key[2], workspace)
        for old in [k for k, (f, _) in _reads.items() if f.done()]:
            del _reads[old]  # finished reads are in the cache (or their error was shown)
        _reads[key] = (future, time.monotonic())
    return future


def reading_of(choice: Choice) -> tuple[Future[LoadedDataset], float] | None:
    """This server's reading of a kept upload (and when it started), if it started one."""
    with _reads_lock:
        return _reads.get(_read_key(choice))


def kept_dataset(ws: Workspace, choice: Choice) -> Dataset:
    """A kept upload with the choice's roles: from memory, else read from the database
    (raises ChurnDataError when it cannot be)."""
    assert choice.dataset_id is not None
    return ask(
        _kept,
        workspace_key(),
        choice.dataset_id,
        choice.digest,
        choice.roles,
        choice.churned_value,
        ws,
    )


def training_table(ws: Workspace, dataset_id: int) -> pd.DataFrame:
    """A kept dataset's table as read (a model's training data, for drift), held like the
    others (raises ChurnDataError when it was deleted or the workspace is away)."""
    record = ask(get_dataset, ws, dataset_id)
    return ask(_loaded, workspace_key(), dataset_id, record.digest, ws).table.frame


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]
