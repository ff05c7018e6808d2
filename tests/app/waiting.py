"""Trainings go through the workspace's queue (a thread of the server): app tests wait for it."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from churn_core.workspace import list_jobs, open_workspace


def wait_for_trainings(at: AppTest, seconds: float = 300) -> AppTest:
    """Wait until no training in the test's workspace is queued or running (failing the test
    after ``seconds``), then run the app again to show what came of them."""
    workspace = open_workspace()
    deadline = time.monotonic() + seconds
    try:
        while any(not job.finished for job in list_jobs(workspace)):
            assert time.monotonic() < deadline, "a training did not finish in time"
            time.sleep(0.5)
    finally:
        workspace.close()
    return at.run()
