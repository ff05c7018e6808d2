"""Where the workspace lives, how it is reached, and its migrations (on SQLite and PostgreSQL)."""

from __future__ import annotations

import stat
import threading
import zlib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from churn_core.errors import ChurnDataError
from churn_core.workspace import (
    Workspace,
    describe_url,
    downgrade,
    get_revision,
    list_datasets,
    list_models,
    load_dataset_bytes,
    open_workspace,
    read_dataset,
    resolve_url,
    save_dataset,
    upgrade,
)
from churn_core.workspace.database import create_workspace_engine
from churn_core.workspace.signing import load_secret_key
from churn_core.workspace.tables import Base
from tests.churn_core.workspace.conftest import SECRET
from tests.postgres import free_port

HEAD = "0004"


def problem_of(caught: pytest.ExceptionInfo[ChurnDataError]) -> tuple[str, str]:
    (problem,) = caught.value.problems
    return problem.code, str(problem)


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_herokus_postgres_urls_are_read_with_the_psycopg_driver(scheme: str) -> None:
    url = resolve_url(f"{scheme}://user:s3cret@db.example.com:5432/app")
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.port, url.database, url.password) == (
        "db.example.com",
        5432,
        "app",
        "s3cret",
    )
    assert describe_url(url) == "PostgreSQL at db.example.com:5432/app"


def test_database_url_from_the_environment_wins_over_the_local_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@h/d")
    assert resolve_url().render_as_string(hide_password=False) == "postgresql+psycopg://u:p@h/d"


def test_without_database_url_the_workspace_is_a_sqlite_file_in_the_workspace_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("WORKSPACE_DIR", str(tmp_path / "kept"))
    workspace = open_workspace()
    assert workspace.database == f"SQLite file {tmp_path / 'kept' / 'workspace.db'}"
    assert (tmp_path / "kept" / "workspace.db").is_file()
    assert get_revision(workspace.engine) == HEAD
    workspace.close()


@pytest.mark.parametrize(
    "url", ["mysql://u:p@h/d", "not a url at all", "postgresql://u:p@h:notaport/d"]
)
def test_a_url_the_workspace_cannot_use_is_refused_in_plain_words(url: str) -> None:
    with pytest.raises(ChurnDataError) as caught:
        resolve_url(url)
    code, message = problem_of(caught)
    assert code == "bad_database_url"
    assert "p@" not in message


def test_an_unreachable_database_at_start_gives_a_plain_message_without_the_password() -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(ChurnDataError) as caught:
        open_workspace(f"postgresql://churn:hunter2@127.0.0.1:{port}/workspace", secret_key=SECRET)
    code, message = problem_of(caught)
    assert code == "database_unreachable"
    assert message.startswith(
        f"The workspace database (PostgreSQL at 127.0.0.1:{port}/workspace) cannot be reached "
        "or is busy: "
    )
    assert "Nothing already saved is lost." in message
    assert "hunter2" not in message and "Traceback" not in message


def test_a_shared_database_without_secret_key_is_refused_before_anything_is_saved(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ChurnDataError) as caught:
        open_workspace("postgres://u:p@127.0.0.1:1/d", folder=tmp_path)
    code, message = problem_of(caught)
    assert code == "no_secret_key"
    assert "SECRET_KEY" in message
    assert not (tmp_path / "secret.key").exists()


def test_the_local_key_is_written_once_readable_by_its_owner_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_secret_key(tmp_path)
    assert len(first) == 64
    assert stat.S_IMODE((tmp_path / "secret.key").stat().st_mode) == 0o600
    assert load_secret_key(tmp_path) == first
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert load_secret_key(tmp_path, shared=True) == b"from-the-environment"


def test_an_empty_database_is_migrated_to_the_schema_the_code_expects(
    workspace: Workspace,
) -> None:
    assert get_revision(workspace.engine) == HEAD
    with workspace.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_two_servers_starting_at_once_migrate_the_database_once(database_url: str) -> None:
    engines = [create_workspace_engine(resolve_url(database_url)) for _ in range(2)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def start(index: int) -> None:
        barrier.wait()
        try:
            upgrade(engines[index])
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert get_revision(engines[0]) == HEAD
    for engine in engines:
        engine.dispose()


FIRST_SCHEMA_ROWS = [
    "INSERT INTO datasets (id, name, digest, sheet, rows, columns, column_names, label_column, "
    "roles, churned_value, size_bytes, stored_bytes, content, uploaded_at) VALUES (1, "
    "'old.csv', 'abc', NULL, 2, 2, '[\"id\", \"Churn\"]', 'Churn', '{}', NULL, 20, "
    ":packed_length, :packed, :when)",
    "INSERT INTO models (id, dataset_id, dataset_name, name, kind, label_column, in_use, "
    "trained_at, metrics, card, bundle, signature, size_bytes) VALUES "
    "(1, 1, 'old.csv', 'Logistic regression', 'kind-a', 'Churn', :yes, :when, '{}', '{}', "
    ":blob, 'sig', 4), "
    "(2, 1, 'old.csv', 'Gradient boosting', 'kind-a', 'Churn', :yes, :when, '{}', '{}', "
    ":blob, 'sig', 4), "
    "(3, 1, 'old.csv', 'Gradient boosting', 'kind-b', 'Churn', :no, :when, '{}', '{}', "
    ":blob, 'sig', 4)",
    "INSERT INTO at_risk_lists (id, created_at, dataset_id, model_id, data_name, model_name, "
    "policy, threshold, rows, flagged, expected_churners, id_column, dtypes, size_bytes, "
    "stored_bytes, content) VALUES (1, :when, 1, 2, 'old.csv', 'Gradient boosting', '{}', "
    "0.4, 2, 1, 0.7, 'id', '{}', 10, 4, :blob)",
    "INSERT INTO settings (name, scope, value, updated_at) VALUES "
    "('clv_assumptions', 'workspace', '{\"margin\": 0.4}', :when)",
]


def test_a_database_of_the_first_schema_is_upgraded_with_its_data_intact(
    database_url: str, tmp_path: Path
) -> None:
    raw = b"id,Churn\n1,Yes\n2,No\n"
    engine = create_workspace_engine(resolve_url(database_url))
    upgrade(engine, "0001")
    assert get_revision(engine) == "0001"
    values = {
        "packed": zlib.compress(raw),
        "packed_length": len(zlib.compress(raw)),
        "when": "2026-01-31 09:00:00+00:00",
        "blob": b"\x00\x01\x02\x03",
        "yes": True,
        "no": False,
    }
    with engine.begin() as connection:
        for statement in FIRST_SCHEMA_ROWS:
            connection.execute(text(statement), values)
    engine.dispose()

    workspace = open_workspace(database_url, folder=tmp_path, secret_key=SECRET)
    assert get_revision(workspace.engine) == HEAD
    (dataset,) = list_datasets(workspace)
    assert (dataset.name, dataset.status, dataset.rows, dataset.columns) == (
        "old.csv",
        "ready",
        2,
        2,
    )
    assert read_dataset(workspace, 1).table.frame.shape == (2, 2)
    models = {m.id: m for m in list_models(workspace)}
    assert {i: (m.dataset_id, m.in_use) for i, m in models.items()} == {
        1: (1, False),  # two were flagged in use for kind-a: the newer one stays in use
        2: (1, True),
        3: (1, False),
    }
    with workspace.engine.connect() as connection:
        kept = connection.execute(
            text("SELECT dataset_id, model_id, data_name, kind FROM at_risk_lists")
        ).one()
        setting = connection.execute(text("SELECT value FROM settings")).scalar_one()
    assert tuple(kept) == (1, 2, "old.csv", "kind-a")  # 0004: the kind of its model
    assert setting == '{"margin": 0.4}'
    workspace.close()


def test_the_newest_schema_goes_back_to_the_first_and_up_again_keeping_the_data(
    workspace: Workspace, database_url: str, sample_bytes: bytes
) -> None:
    kept = save_dataset(workspace, sample_bytes, "customers.csv")
    read_dataset(workspace, kept.id)
    unread = save_dataset(workspace, b"id,Churn\n1,Yes\n", "unread.csv")
    workspace.close()
    downgrade(database_url, "0001")  # the first schema keeps only uploads that were read
    assert get_revision(workspace.engine) == "0001"
    upgrade(database_url)
    assert [d.id for d in list_datasets(workspace)] == [kept.id]
    assert load_dataset_bytes(workspace, kept.id) == sample_bytes
    assert unread.id != kept.id
