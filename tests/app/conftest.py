"""App tests share one process: each test's workspace is closed when it ends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import ui.training_state
import ui.workspace_state


@pytest.fixture(autouse=True)
def _close_workspaces() -> Iterator[None]:
    """Stop the training queue and close the database of the test's workspace (a queue left
    running would take the next test's jobs from a database with the same URL)."""
    yield
    ui.training_state._worker.clear()  # on_release stops each worker
    ui.workspace_state._open.clear()  # on_release closes each engine
    ui.workspace_state._faults.clear()
    ui.workspace_state._opened.clear()
