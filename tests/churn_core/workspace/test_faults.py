"""Faults: the database going away and coming back, and writes that fail halfway."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from churn_core.errors import ChurnDataError
from churn_core.model import ChurnModel
from churn_core.workspace import (
    TrainingWorker,
    Workspace,
    get_job,
    list_datasets,
    list_models,
    load_dataset_bytes,
    load_setting,
    open_workspace,
    read_dataset,
    save_dataset,
    save_setting,
)
from churn_core.workspace.registry import add_model
from churn_core.workspace.training_queue import DONE, JobRecord
from tests.churn_core.workspace.conftest import SECRET
from tests.postgres import PostgresServer

TINY = b"id,Churn\n1,Yes\n2,No\n"


def unreachable(call: Callable[[], object], where: str) -> None:
    with pytest.raises(ChurnDataError) as caught:
        call()
    (problem,) = caught.value.problems
    assert problem.code == "database_unreachable"
    assert str(problem).startswith(f"The workspace database ({where}) cannot be reached")
    assert "Nothing already saved is lost." in str(problem)


def test_while_the_database_is_away_every_call_says_so_plainly_and_the_work_is_there_after(
    postgres: PostgresServer, tmp_path: Path, sample_bytes: bytes
) -> None:
    url = postgres.empty_database()
    workspace = open_workspace(url, folder=tmp_path, secret_key=SECRET)
    kept = save_dataset(workspace, sample_bytes, "customers.csv")
    save_setting(workspace, "plays", {"Loyal": "Thank them"})
    postgres.stop()
    try:
        for call in (
            lambda: list_datasets(workspace),
            lambda: save_dataset(workspace, TINY, "new.csv"),
            lambda: save_setting(workspace, "plays", {}),
            lambda: open_workspace(url, folder=tmp_path, secret_key=SECRET),
        ):
            unreachable(call, workspace.database)
    finally:
        postgres.start()
    assert [d.id for d in list_datasets(workspace)] == [kept.id]  # the same pool reconnects
    assert load_dataset_bytes(workspace, kept.id) == sample_bytes
    assert load_setting(workspace, "plays") == {"Loyal": "Thank them"}
    save_dataset(workspace, TINY, "new.csv")
    assert len(list_datasets(workspace)) == 2
    workspace.close()


def test_the_training_queue_outlives_the_database_going_away(
    postgres: PostgresServer, tmp_path: Path, sample_bytes: bytes, model: ChurnModel
) -> None:
    workspace = open_workspace(postgres.empty_database(), folder=tmp_path, secret_key=SECRET)
    dataset = save_dataset(workspace, sample_bytes, "customers.csv")
    read_dataset(workspace, dataset.id)
    worker = TrainingWorker(workspace, trainer=lambda *args: model, poll_seconds=0.1).start()
    try:
        postgres.stop()
        time.sleep(1.0)  # the worker looks at the queue several times meanwhile
        postgres.start()
        assert worker.alive
        job = worker.submit(dataset.id)
        deadline = time.monotonic() + 60
        while not (done := get_job(workspace, job.id)).finished and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        worker.stop()
        workspace.close()
    assert isinstance(done, JobRecord) and done.status == DONE


def test_a_write_that_fails_halfway_leaves_nothing_behind(
    workspace: Workspace, sample_bytes: bytes, model: ChurnModel
) -> None:
    dataset = save_dataset(workspace, sample_bytes, "customers.csv")
    read_dataset(workspace, dataset.id)
    with pytest.raises(RuntimeError, match="power cut"), workspace.writing() as session:
        add_model(session, workspace, model, dataset.id)
        raise RuntimeError("power cut")
    assert list_models(workspace) == []
    assert [d.id for d in list_datasets(workspace)] == [dataset.id]
