"""Trainings one at a time, in the order asked, in a background thread of the server.

A page asks for a training (:func:`submit_training`, or :meth:`TrainingWorker.submit`) and
gets a job; the worker thread runs the oldest waiting job, writes its progress, and on success
keeps the model and marks the job done **in one transaction**, so a training that fails
halfway never shows as a model. A job that fails is marked ``failed`` with a plain message and
the queue goes on. The job lives in the database, so it keeps going when its user changes page
or reloads, and every browser can see its place in the queue.

**On restart**, jobs that were running are marked ``interrupted`` (not re-queued): on a 512 MB
dyno the likeliest reason for a restart during a training is that training running out of
memory, and running it again would bring the server down again. Jobs still waiting are kept
and run. One worker per database (one server process, as on a single Heroku dyno).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from churn_core.errors import ChurnDataError
from churn_core.logs import define_churn, fit_log_model, prepare_activity
from churn_core.model import ChurnModel, Progress, fit_churn_model
from churn_core.schema import profile_table
from churn_core.workspace.database import Workspace
from churn_core.workspace.datasets import read_dataset
from churn_core.workspace.faults import not_found, refuse
from churn_core.workspace.registry import add_model
from churn_core.workspace.tables import TrainingJob, now, utc

QUEUED, RUNNING, DONE, FAILED, INTERRUPTED = "queued", "running", "done", "failed", "interrupted"
#: Seconds between progress writes, and between looks at the queue when nobody wakes the worker.
PROGRESS_EVERY = 1.0
POLL_SECONDS = 2.0
#: Tries to keep a finished model while the database is away, and seconds between them.
SAVE_TRIES, SAVE_PAUSE = 5, 3.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobRecord:
    """A training job; ``ahead`` counts the jobs before it (queued jobs only, else None)."""

    id: int
    status: str
    dataset_id: int | None
    params: dict[str, Any]
    submitted_by: str
    submitted_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    progress: float
    message: str
    model_id: int | None
    error: str | None
    ahead: int | None = None

    @property
    def finished(self) -> bool:
        return self.status in {DONE, FAILED, INTERRUPTED}

    def describe(self) -> str:
        """Where the job is, in words for the page."""
        if self.status == QUEUED:
            if not self.ahead:
                return "Next in the queue: starting in a moment."
            return f"Waiting: {self.ahead} training{'s' if self.ahead != 1 else ''} ahead."
        if self.status == RUNNING:
            return f"Training: {self.message or 'started'} ({self.progress:.0%})."
        if self.status == DONE:
            return f"Done: model {self.model_id} is kept in the workspace."
        return f"{self.status.capitalize()}: {self.error}"


#: Trains the model a job asks for: (workspace, job, progress) -> model.
Trainer = Callable[[Workspace, JobRecord, Progress], ChurnModel]


def train_dataset(workspace: Workspace, job: JobRecord, progress: Progress) -> ChurnModel:
    """The default trainer: read the kept dataset with its saved choices and fit a model; a
    purchase or event log is trained on as one (:func:`churn_core.logs.fit_log_model`), with
    the churn window, trigger events and log roles the job asks for."""
    if job.dataset_id is None:
        raise _data_deleted()
    loaded = read_dataset(workspace, job.dataset_id)
    seed = int(job.params.get("seed", 42))
    log_roles = job.params.get("log_roles")
    profile = loaded.profile
    if log_roles:
        frame, warnings = loaded.table.frame, loaded.table.warnings
        profile = profile_table(frame, warnings=warnings, log_roles=log_roles)
    if profile.is_log:
        activity = prepare_activity(loaded.table.frame, profile)
        definition = define_churn(
            activity, job.params.get("window_days"), job.params.get("triggers", ())
        )
        model = fit_log_model(activity, definition, seed=seed, progress=progress)
    else:
        model = fit_churn_model(loaded.table.frame, profile, seed=seed, progress=progress)
    model.card["data"]["name"] = loaded.record.name
    return model


def submit_training(
    workspace: Workspace,
    dataset_id: int,
    *,
    seed: int = 42,
    submitted_by: str = "",
    window_days: int | None = None,
    triggers: Sequence[str] = (),
    log_roles: Mapping[str, str] | None = None,
) -> JobRecord:
    """Queue a training on a kept dataset; returns the job with its place in the queue.

    For a log, ``window_days`` and ``triggers`` define churn (default: the window from the
    log's own rhythm) and ``log_roles`` are the user's log-role choices (column -> role).
    """
    params: dict[str, Any] = {"seed": seed}
    if window_days is not None:
        params["window_days"] = int(window_days)
    if triggers:
        params["triggers"] = list(triggers)
    if log_roles:
        params["log_roles"] = {str(c): str(r) for c, r in log_roles.items()}
    with workspace.writing() as session:
        row = TrainingJob(
            status=QUEUED,
            dataset_id=dataset_id,
            params=params,
            submitted_by=submitted_by[:100],
            submitted_at=now(),
            progress=0.0,
            message="",
        )
        session.add(row)
        session.flush()
        job_id = row.id
    return get_job(workspace, job_id)


def get_job(workspace: Workspace, job_id: int) -> JobRecord:
    """A job as it is now (the page polls this)."""
    with workspace.reading() as session:
        row = session.get(TrainingJob, job_id)
        if row is None:
            raise not_found("Training", job_id)
        ahead = None
        if row.status == QUEUED:
            ahead = int(
                session.scalar(
                    select(func.count(TrainingJob.id)).where(
                        (TrainingJob.status == RUNNING)
                        | ((TrainingJob.status == QUEUED) & (TrainingJob.id < row.id))
                    )
                )
                or 0
            )
        return _record(row, ahead)


def list_jobs(workspace: Workspace, *, limit: int = 20) -> list[JobRecord]:
    """The latest jobs, newest first."""
    with workspace.reading() as session:
        rows = session.scalars(select(TrainingJob).order_by(TrainingJob.id.desc()).limit(limit))
        return [_record(row, None) for row in rows]


def mark_interrupted_jobs(workspace: Workspace) -> int:
    """Mark jobs left running by a stopped server as interrupted; returns how many."""
    with workspace.writing() as session:
        result = session.execute(
            update(TrainingJob)
            .where(TrainingJob.status == RUNNING)
            .values(
                status=INTERRUPTED,
                finished_at=now(),
                error="The server restarted while this model was training. Train it again.",
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)


class TrainingWorker:
    """Runs queued trainings one after another in one background thread."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        trainer: Trainer = train_dataset,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.workspace = workspace
        self.trainer = trainer
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> TrainingWorker:
        """Mark what a previous server left running as interrupted, then start the thread."""
        if not self.alive:
            try:
                mark_interrupted_jobs(self.workspace)
            except ChurnDataError as error:  # the database is away: the loop retries later
                log.warning("training queue: %s", error)
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="training-queue", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 60) -> None:
        """Stop after the job running now (if any) is finished."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def submit(self, dataset_id: int, **options: Any) -> JobRecord:
        """Queue a training (options as :func:`submit_training`'s) and wake the worker."""
        job = submit_training(self.workspace, dataset_id, **options)
        self._wake.set()
        return job

    def run_next(self) -> JobRecord | None:
        """Run the oldest waiting job to its end, here and now; None when none is waiting."""
        job = self._claim()
        if job is None:
            return None
        try:
            model = self.trainer(self.workspace, job, self._progress(job.id))
        except ChurnDataError as error:
            return self._finish(job.id, FAILED, error=str(error))
        except Exception as error:  # a crash fails this job only; the queue goes on
            log.exception("training %s crashed", job.id)
            return self._finish(
                job.id,
                FAILED,
                error=f"The training stopped unexpectedly ({type(error).__name__}: {error}). "
                "Try again; if it happens again, please report it.",
            )
        return self._keep(job, model)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                ran = self.run_next()
            except ChurnDataError as error:  # the database is away: wait, then look again
                log.warning("training queue: %s", error)
                ran = None
            if ran is None:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()

    def _claim(self) -> JobRecord | None:
        with self.workspace.writing() as session:
            job_id = session.scalar(
                select(TrainingJob.id)
                .where(TrainingJob.status == QUEUED)
                .order_by(TrainingJob.id)
                .limit(1)
            )
            if job_id is None:
                return None
            claimed = session.execute(
                update(TrainingJob)
                .where(TrainingJob.id == job_id, TrainingJob.status == QUEUED)
                .values(status=RUNNING, started_at=now(), message="Starting")
            )
            if not getattr(claimed, "rowcount", 0):
                return None  # another worker took it
        return get_job(self.workspace, job_id)

    def _progress(self, job_id: int) -> Progress:
        last = [0.0]

        def say(fraction: float, message: str) -> None:
            if time.monotonic() - last[0] < PROGRESS_EVERY and fraction < 1:
                return
            last[0] = time.monotonic()
            try:
                with self.workspace.writing() as session:
                    session.execute(
                        update(TrainingJob)
                        .where(TrainingJob.id == job_id)
                        .values(progress=float(fraction), message=message[:255])
                    )
            except ChurnDataError as error:  # progress is a courtesy: training goes on
                log.warning("training %s progress not saved: %s", job_id, error)

        return say

    def _keep(self, job: JobRecord, model: ChurnModel) -> JobRecord:
        """Keep the model and mark the job done together; retry while the database is away."""
        for attempt in range(SAVE_TRIES):
            try:
                with self.workspace.writing() as session:
                    if job.dataset_id is None:
                        raise _data_deleted()
                    row = add_model(session, self.workspace, model, job.dataset_id)
                    _set(session, job.id, DONE, model_id=row.id, progress=1.0, message="Done")
                return get_job(self.workspace, job.id)
            except ChurnDataError as error:
                if error.problems[0].code != "database_unreachable" or attempt == SAVE_TRIES - 1:
                    return self._finish(job.id, FAILED, error=str(error))
                time.sleep(SAVE_PAUSE)
        raise AssertionError("unreachable")  # pragma: no cover

    def _finish(self, job_id: int, status: str, *, error: str) -> JobRecord:
        with self.workspace.writing() as session:
            _set(session, job_id, status, error=error)
        return get_job(self.workspace, job_id)


def _data_deleted() -> ChurnDataError:
    return refuse(
        "The data for this training was deleted before the model was kept.",
        "Upload the file again and train.",
        "not_in_workspace",
    )


def _set(session: Any, job_id: int, status: str, **values: Any) -> None:
    session.execute(
        update(TrainingJob)
        .where(TrainingJob.id == job_id)
        .values(status=status, finished_at=now(), **values)
    )


def _record(row: TrainingJob, ahead: int | None) -> JobRecord:
    return JobRecord(
        id=row.id,
        status=row.status,
        dataset_id=row.dataset_id,
        params=dict(row.params or {}),
        submitted_by=row.submitted_by,
        submitted_at=utc(row.submitted_at),
        started_at=None if row.started_at is None else utc(row.started_at),
        finished_at=None if row.finished_at is None else utc(row.finished_at),
        progress=float(row.progress or 0.0),
        message=row.message or "",
        model_id=row.model_id,
        error=row.error,
        ahead=ahead,
    )
