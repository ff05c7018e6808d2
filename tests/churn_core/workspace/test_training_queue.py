"""The training queue: one job at a time, in order, surviving failures and restarts."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import update

from churn_core.errors import ChurnDataError, Problem
from churn_core.model import ChurnModel, Progress
from churn_core.workspace import (
    JobRecord,
    TrainingWorker,
    Workspace,
    get_job,
    list_jobs,
    list_models,
    load_registered_model,
    read_dataset,
    save_dataset,
    submit_training,
)
from churn_core.workspace.tables import TrainingJob
from churn_core.workspace.training_queue import DONE, FAILED, INTERRUPTED, QUEUED, RUNNING
from tests.churn_core.workspace.conftest import SAMPLE


class Trainer:
    """Hands back a real model after a pause, and records how many jobs ran at once."""

    def __init__(self, model: ChurnModel, *, fail: dict[int, Exception] | None = None) -> None:
        self.model = model
        self.fail = fail or {}
        self.order: list[int] = []
        self.running = self.most_at_once = 0
        self.lock = threading.Lock()

    def __call__(self, workspace: Workspace, job: JobRecord, progress: Progress) -> ChurnModel:
        with self.lock:
            self.order.append(job.id)
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            progress(0.5, "Halfway")
            time.sleep(0.2)
            if job.id in self.fail:
                raise self.fail[job.id]
            return self.model
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture
def dataset_id(workspace: Workspace, sample_bytes: bytes) -> int:
    record = save_dataset(workspace, sample_bytes, "customers.csv")
    read_dataset(workspace, record.id)
    return record.id


def wait_for(workspace: Workspace, job_ids: list[int], timeout: float = 120) -> list[JobRecord]:
    deadline = time.monotonic() + timeout
    while True:
        jobs = [get_job(workspace, i) for i in job_ids]
        if all(j.finished for j in jobs) or time.monotonic() > deadline:
            return jobs
        time.sleep(0.1)


def test_queued_jobs_know_their_place_and_say_it(workspace: Workspace, dataset_id: int) -> None:
    jobs = [submit_training(workspace, dataset_id, submitted_by=f"user {i}") for i in range(3)]
    assert [j.ahead for j in jobs] == [0, 1, 2]
    assert [j.status for j in jobs] == [QUEUED] * 3
    assert jobs[0].describe() == "Next in the queue: starting in a moment."
    assert jobs[2].describe() == "Waiting: 2 trainings ahead."
    assert [j.id for j in list_jobs(workspace)] == [j.id for j in reversed(jobs)]


def test_the_worker_runs_jobs_one_at_a_time_in_the_order_asked(
    workspace: Workspace, dataset_id: int, model: ChurnModel
) -> None:
    trainer = Trainer(model)
    worker = TrainingWorker(workspace, trainer=trainer, poll_seconds=0.1).start()
    try:
        ids = [worker.submit(dataset_id, submitted_by=f"user {i}").id for i in range(4)]
        jobs = wait_for(workspace, ids)
    finally:
        worker.stop()
    assert [j.status for j in jobs] == [DONE] * 4
    assert trainer.order == ids
    assert trainer.most_at_once == 1
    for before, after in itertools.pairwise(jobs):
        assert before.finished_at <= after.started_at
    assert sorted(m.id for m in list_models(workspace)) == sorted(j.model_id for j in jobs)
    assert [m.id for m in list_models(workspace) if m.in_use] == [jobs[0].model_id]
    assert jobs[0].progress == 1.0 and jobs[0].describe().startswith("Done: model ")


def test_a_job_that_crashes_is_marked_failed_keeps_no_model_and_the_queue_goes_on(
    workspace: Workspace, dataset_id: int, model: ChurnModel
) -> None:
    ids = [submit_training(workspace, dataset_id).id for _ in range(3)]
    trainer = Trainer(
        model,
        fail={
            ids[0]: RuntimeError("out of cheese"),
            ids[1]: ChurnDataError([Problem("Only 3 customers left.", code="too_few")]),
        },
    )
    worker = TrainingWorker(workspace, trainer=trainer)
    ran = [worker.run_next() for _ in range(4)]
    assert ran[3] is None  # nothing left
    first, second, third = (get_job(workspace, i) for i in ids)
    assert (first.status, first.model_id) == (FAILED, None)
    assert first.error == (
        "The training stopped unexpectedly (RuntimeError: out of cheese). Try again; if it "
        "happens again, please report it."
    )
    assert (second.status, second.error) == (FAILED, "Only 3 customers left.")
    assert third.status == DONE
    assert [m.id for m in list_models(workspace)] == [third.model_id]


def test_a_trained_model_too_large_to_keep_fails_its_job_and_shows_no_model(
    workspace: Workspace, dataset_id: int, model: ChurnModel
) -> None:
    workspace.limits = replace(workspace.limits, model_mb=0.001)
    job = submit_training(workspace, dataset_id)
    done = TrainingWorker(workspace, trainer=Trainer(model)).run_next()
    assert done is not None and done.id == job.id
    assert done.status == FAILED
    assert "the workspace keeps up to 0.00 MB each" in (done.error or "")
    assert list_models(workspace) == []


def test_after_a_restart_a_job_left_running_is_interrupted_and_waiting_ones_still_run(
    workspace: Workspace, dataset_id: int, model: ChurnModel
) -> None:
    cut_short, waiting = (submit_training(workspace, dataset_id).id for _ in range(2))
    with workspace.writing() as session:  # the server stopped while this one ran
        session.execute(
            update(TrainingJob).where(TrainingJob.id == cut_short).values(status=RUNNING)
        )
    worker = TrainingWorker(workspace, trainer=Trainer(model), poll_seconds=0.1).start()
    try:
        interrupted, finished = wait_for(workspace, [cut_short, waiting])
    finally:
        worker.stop()
    assert interrupted.status == INTERRUPTED
    assert interrupted.describe() == (
        "Interrupted: The server restarted while this model was training. Train it again."
    )
    assert finished.status == DONE


def test_the_default_trainer_trains_on_the_kept_data_with_its_saved_choices(
    workspace: Workspace, sample_bytes: bytes, frame: pd.DataFrame
) -> None:
    first_rows = b"\n".join(sample_bytes.split(b"\n")[:1501]) + b"\n"  # quicker to train
    dataset = save_dataset(workspace, first_rows, "customers.csv")
    job = submit_training(workspace, dataset.id, seed=3)
    done = TrainingWorker(workspace).run_next()
    assert done is not None and (done.id, done.status) == (job.id, DONE)
    kept = load_registered_model(workspace, done.model_id)
    assert kept.card["model"]["seed"] == 3
    assert kept.card["data"]["name"] == "customers.csv"
    probabilities = kept.predict_proba(frame)
    assert np.all((probabilities > 0) & (probabilities < 1))


def test_a_kept_log_is_trained_as_a_log_with_the_window_triggers_and_roles_asked_for(
    workspace: Workspace,
) -> None:
    log = (SAMPLE.parent / "sample_activity_log.csv").read_bytes()
    dataset = save_dataset(workspace, log, "sample_activity_log.csv")
    job = submit_training(
        workspace, dataset.id, window_days=60, triggers=["Cancel"], log_roles={"Plan": "ignored"}
    )
    assert job.params == {
        "seed": 42,
        "window_days": 60,
        "triggers": ["Cancel"],
        "log_roles": {"Plan": "ignored"},
    }
    done = TrainingWorker(workspace).run_next()
    assert done is not None and done.status == DONE, done
    kept = load_registered_model(workspace, done.model_id)
    definition = kept.card["churn_definition"]
    assert (definition["window_days"], definition["triggers"]) == (60, ["Cancel"])
    assert kept.card["log"]["roles"]["Plan"] == "ignored"
    assert "Latest Plan" not in kept.schema.columns
    assert [b["kind"] for b in kept.card["benchmarks"]] == ["p_alive", "no_activity"]
