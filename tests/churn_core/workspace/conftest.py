"""Every workspace test runs twice: on a SQLite file and on a real PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from churn_core.workspace import Workspace, open_workspace

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_customers.csv"
SECRET = b"a-test-secret-key"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database of each kind: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.db'}"
    return str(request.getfixturevalue("postgres").empty_database())


@pytest.fixture
def workspace(database_url: str, tmp_path: Path) -> Iterator[Workspace]:
    """An open, migrated workspace on that database."""
    opened = open_workspace(database_url, folder=tmp_path, secret_key=SECRET)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def sample_bytes() -> bytes:
    """The bundled sample as a user uploads it."""
    return SAMPLE.read_bytes()
