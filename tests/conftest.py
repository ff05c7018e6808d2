"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.postgres import PostgresServer, missing_reason

#: Real public files that live next to the project, never inside it (see its README).
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(autouse=True)
def _no_app_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTests run the app with the login gate off; tests that want it set it themselves."""
    monkeypatch.delenv("APP_PASSWORD", raising=False)


@pytest.fixture(scope="module", autouse=True)
def _module_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Fixtures wider than a test (a module's AppTest) start before a test's own workspace:
    they get their module's empty one, never the project's ``workspace/``."""
    folder = tmp_path_factory.mktemp("module-workspace")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKSPACE_DIR", str(folder))
        patch.delenv("DATABASE_URL", raising=False)
        yield folder


@pytest.fixture(autouse=True)
def _private_workspace(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    _module_workspace: Path,
) -> Path:
    """Each test has its own empty workspace (a SQLite file in its temporary folder), never
    the project's own ``workspace/``, and no ``DATABASE_URL`` unless it sets one. Tests marked
    ``module_workspace`` share their module's (an app trained once for the whole module)."""
    if request.node.get_closest_marker("module_workspace"):
        return _module_workspace
    folder = tmp_path / "workspace"
    monkeypatch.setenv("WORKSPACE_DIR", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return folder


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared real-data folder; skips without it, but fails under CI (CI=true)."""
    if not SHARED_DATA.is_dir():
        reason = f"needs the shared real-data folder {SHARED_DATA}, which is missing"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run these tests, not skip them.")
        pytest.skip(reason)
    return SHARED_DATA


@pytest.fixture(scope="session")
def bank_with_churn(shared_data: Path) -> tuple[pd.DataFrame, pd.Series]:
    """The real bank customer table and its label (Exited = 1 means left) as True/False."""
    frame = pd.read_csv(shared_data / "bank_churn" / "Churn_Modelling.csv")
    return frame, (frame["Exited"] == 1).astype("boolean")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for this test run (see tests/postgres.py), stopped at the end;
    skips with the reason when PostgreSQL is missing, but fails under CI (CI=true)."""
    reason = missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run the PostgreSQL tests, not skip them.")
        pytest.skip(reason)
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.remove()
