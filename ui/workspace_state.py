"""The workspace this server keeps its work in, and what the app does while it is away.

One :class:`~churn_core.workspace.Workspace` per server process and database (migrations run
when it is first opened). When the database cannot be reached, at start or mid-session, the
app stays up: :func:`workspace` answers None for ``RETRY_SECONDS`` (so pages do not wait on a
dead connection at every call), :func:`show_workspace_fault` says so in plain words, and the
sample and the data already open in a session keep working. The next try after that reconnects
on its own; nothing saved is lost.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import text

from churn_core.errors import ChurnDataError
from churn_core.workspace import (
    Workspace,
    describe_url,
    get_workspace_folder,
    open_workspace,
    resolve_url,
)
from ui.feedback import issue_markdown

#: Seconds the app leaves an unreachable database alone before trying it again.
RETRY_SECONDS = 15.0
UNREACHABLE = "database_unreachable"

log = logging.getLogger("churn_workbench")
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Fault:
    """Why the workspace is away, since when (monotonic seconds)."""

    error: ChurnDataError
    since: float


_faults: dict[str, Fault] = {}
_opened: dict[str, Workspace] = {}
_lock = threading.Lock()


def workspace_key() -> str:
    """Which workspace this server uses (the database URL; a cache key, never shown)."""
    try:
        url = resolve_url()
    except ChurnDataError:
        return f"bad:{os.environ.get('DATABASE_URL', '')}"
    return f"{url.render_as_string(hide_password=False)}|{get_workspace_folder()}"


def _close(workspace: Workspace) -> None:
    workspace.close()


@st.cache_resource(max_entries=2, show_spinner=False, on_release=_close)
def _open(key: str) -> Workspace:
    """Open (and migrate) the workspace; an error is not cached, so the next call tries again."""
    return open_workspace()


def workspace() -> Workspace | None:
    """The workspace, or None while its database is away (see :func:`workspace_fault`)."""
    key = workspace_key()
    fault = _faults.get(key)
    if fault is not None and time.monotonic() - fault.since < RETRY_SECONDS:
        return None
    try:
        opened = _open(key)
        if fault is not None:  # it was away: is it back?
            _ping(opened)
    except ChurnDataError as error:
        _note_fault(key, error)
        return None
    _opened[key] = opened
    if fault is not None:
        with _lock:
            _faults.pop(key, None)
        log.info("workspace database reachable again")
    return opened


def _ping(workspace: Workspace) -> None:
    with workspace.reading() as session:
        session.execute(text("SELECT 1"))


def last_workspace() -> Workspace | None:
    """The workspace as last opened, even while its database is away (what the server already
    holds from it in memory can still be used), or None if it never opened."""
    return workspace() or _opened.get(workspace_key())


def workspace_fault() -> ChurnDataError | None:
    """Why the workspace is away now (None when it is fine, or was not tried yet)."""
    fault = _faults.get(workspace_key())
    return None if fault is None else fault.error


def _note_fault(key: str, error: ChurnDataError) -> None:
    with _lock:
        if key not in _faults:
            log.warning("workspace database away: %s", error)
        _faults[key] = Fault(error, time.monotonic())


def is_unreachable(error: ChurnDataError) -> bool:
    return any(p.code == UNREACHABLE for p in error.problems)


def ask(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Call a workspace function; when its database has gone away, remember that (the app
    stops asking it for a while) and raise the plain ChurnDataError for the caller to show."""
    try:
        return fn(*args, **kwargs)
    except ChurnDataError as error:
        if is_unreachable(error):
            _note_fault(workspace_key(), error)
        raise


def describe_database() -> str:
    """The database in words (never its password), even while it is away."""
    try:
        return describe_url(resolve_url())
    except ChurnDataError:
        return "the database in DATABASE_URL"


def show_workspace_fault() -> None:
    """A plain message at the top of every page while the workspace is away."""
    error = workspace_fault()
    if error is None or workspace() is not None:
        return
    st.error(
        "**Your work cannot be saved or reopened right now.** "
        + "  \n".join(issue_markdown(p) for p in error.problems)
        + "  \nThe bundled sample and the data already open in this browser still work; "
        "what was saved before is kept and comes back with the database.",
        icon=":material/cloud_off:",
    )
