"""The current dataset of a browser session, and the only way pages change it.

The app opens on the bundled sample (read once per server and shared). An upload replaces it
for that session only. Role changes re-profile the same table; nothing is re-read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import streamlit as st

from churn_core.io import Table, read_table
from churn_core.schema import Profile, Role, get_churned, profile_table
from ui.events import logs_upload

SAMPLE_PATH = Path(__file__).resolve().parents[1] / "data" / "sample_customers.csv"
#: The bundled event log (logins, purchases, complaints, plan changes), offered beside it.
LOG_SAMPLE_PATH = SAMPLE_PATH.with_name("sample_activity_log.csv")
_KEY = "dataset"


@dataclass
class Dataset:
    """A table, the user's role choices, and the profile they give."""

    table: Table
    digest: str
    source: str  # "sample" or "upload"
    profile: Profile
    roles: dict[str, Role] = field(default_factory=dict)
    churned_value: str | None = None

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def key(self) -> str:
        """Changes whenever the data or its roles change: a cache key for derived results."""
        roles = ",".join(f"{k}={v.value}" for k, v in sorted(self.roles.items()))
        return f"{self.digest}|{roles}|{self.churned_value}"

    @cached_property
    def churned(self) -> pd.Series | None:
        return get_churned(self.frame, self.profile)


@st.cache_resource(show_spinner=False)
def _sample() -> Dataset:
    raw = SAMPLE_PATH.read_bytes()
    table = read_table(raw, name=SAMPLE_PATH.name)
    profile = profile_table(table.frame, warnings=table.warnings)
    return Dataset(table, _digest(raw), "sample", profile)


def current_dataset() -> Dataset:
    """The session's dataset; the bundled sample until something is uploaded."""
    dataset = st.session_state.get(_KEY)
    if dataset is None:
        dataset = _sample()
        st.session_state[_KEY] = dataset
    return dataset


def use_sample() -> Dataset:
    st.session_state[_KEY] = _sample()
    return st.session_state[_KEY]


@st.cache_resource(show_spinner=False)
def _log_sample() -> Dataset:
    raw = LOG_SAMPLE_PATH.read_bytes()
    table = read_table(raw, name=LOG_SAMPLE_PATH.name)
    profile = profile_table(table.frame, warnings=table.warnings)
    return Dataset(table, _digest(raw), "sample", profile)


def use_log_sample() -> Dataset:
    """Make the bundled activity log the session's dataset (a log: see ``ui.log_state``)."""
    st.session_state[_KEY] = _log_sample()
    return st.session_state[_KEY]


@logs_upload
def use_upload(raw: bytes, name: str, sheet: str | None = None) -> Dataset:
    """Read an uploaded file and make it the session's dataset.

    Raises ChurnDataError when the file cannot be read; the previous dataset is kept.
    """
    table = read_table(raw, name=name, sheet=sheet)
    profile = profile_table(table.frame, warnings=table.warnings)
    dataset = Dataset(table, _digest(raw) + f"|{sheet}", "upload", profile)
    st.session_state[_KEY] = dataset
    return dataset


def set_roles(roles: dict[str, Role], churned_value: str | None = None) -> Dataset:
    """Re-profile the current table with the user's role choices (they win over detection)."""
    old = current_dataset()
    profile = profile_table(
        old.frame, roles=roles, churned_value=churned_value, warnings=old.table.warnings
    )
    dataset = Dataset(old.table, old.digest, old.source, profile, dict(roles), churned_value)
    st.session_state[_KEY] = dataset
    return dataset


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]
