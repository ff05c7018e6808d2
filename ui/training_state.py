"""Trainings through the workspace's queue, and the choice between a new model and the one in use.

One :class:`~churn_core.workspace.TrainingWorker` per server runs every session's trainings one
at a time, in the order asked, in a background thread: a training goes on when its user changes
page or reloads, and its result is found again from the data it was asked for. A page follows a
job with :func:`show_training` (the place in the queue, then progress, polled by a fragment).
A new model for data that already has one in use is shown side by side with it (champion and
challenger) until someone chooses.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import streamlit as st

from churn_core.errors import ChurnDataError, Problem
from churn_core.model import ChurnModel, Progress
from churn_core.workspace import (
    READY,
    Comparison,
    JobRecord,
    ModelRecord,
    TrainingWorker,
    Workspace,
    compare_with_model_in_use,
    get_job,
    get_model_in_use,
    get_model_record,
    list_datasets,
    list_jobs,
    mark_dataset_read,
    register_model,
    remember_in_use,
    save_dataset,
    save_dataset_choices,
    train_dataset,
    use_model,
)
from ui.data_store import SAMPLES
from ui.events import logs_training, session_hash
from ui.feedback import show_data_error
from ui.memory import release_memory
from ui.model_state import forget_models_in_use, load_model_record, model_in_use
from ui.model_views import describe_model_in_use
from ui.settings_state import load_kind_setting, save_kind_setting
from ui.state import SAMPLE_PATH, Dataset
from ui.workspace_state import ask, workspace, workspace_key

#: Seconds between looks at a training that is waiting or running.
POLL_SECONDS = 1.5
#: A finished training is announced ("Trained: ...") for this long, or to the session that
#: asked for it; after that the page simply uses the model.
ANNOUNCE_FOR = timedelta(minutes=30)
#: The setting (per kind of data) listing new models someone chose not to put in use.
KEPT_OUT = "models_kept_out"
_JOB = "training_job"
_CHOICE_ERROR = "training_choice_error"
_SUBMIT_ERROR = "training_submit_error"
_SYNCED = "training_synced"


def _stop(worker: TrainingWorker) -> None:
    worker.stop(timeout=60)  # after the training running now, if any


@logs_training
def _train(workspace: Workspace, job: JobRecord, progress: Progress) -> ChurnModel:
    """The queue's trainer: the engine's, then the memory it freed goes back to the system."""
    try:
        return train_dataset(workspace, job, progress)
    finally:
        release_memory()


@st.cache_resource(max_entries=2, show_spinner=False, on_release=_stop)
def _worker(key: str, _workspace: Workspace) -> TrainingWorker:
    return TrainingWorker(_workspace, trainer=_train).start()


def start_training_queue() -> TrainingWorker | None:
    """The server's training queue, started on first use (None while the workspace is away).
    Trainings still waiting from before a restart start then."""
    ws = workspace()
    return None if ws is None else _worker(workspace_key(), ws)


def _unreachable() -> ChurnDataError:
    return ChurnDataError(
        [
            Problem(
                "Training needs the workspace database, which cannot be reached right now.",
                fix="Try again in a minute; the data open here still works meanwhile.",
                code="database_unreachable",
            )
        ]
    )


@st.cache_data(show_spinner=False)
def _sample_digest(name: str = SAMPLE_PATH.name) -> str:
    return hashlib.sha256(SAMPLES.get(name, SAMPLE_PATH).read_bytes()).hexdigest()


def kept_id(dataset: Dataset) -> int | None:
    """The data's id in the workspace; the sample's once someone trained on it."""
    if dataset.dataset_id is not None or dataset.source != "sample":
        return dataset.dataset_id
    ws = workspace()
    if ws is None:
        return None
    digest = _sample_digest(dataset.name)
    kept = [d.id for d in ask(list_datasets, ws) if d.digest == digest and d.sheet is None]
    return kept[0] if kept else None


def submit_training(dataset: Dataset) -> JobRecord:
    """Queue a training on the session's data with its role choices (saved with the data).

    The sample is kept in the workspace first (a model remembers the data it learned from).
    Raises ChurnDataError when the workspace is away or the data was not kept.
    """
    ws, worker = workspace(), start_training_queue()
    if ws is None or worker is None:
        raise _unreachable()
    dataset_id = dataset.dataset_id
    if dataset_id is None:
        if dataset.source != "sample":
            raise ChurnDataError(
                [
                    Problem(
                        f"{dataset.name} was read while the workspace was away, so it was not "
                        "kept and cannot be trained on.",
                        fix="Upload it again now that the workspace is back, then train.",
                        code="not_in_workspace",
                    )
                ]
            )
        bundled = SAMPLES.get(dataset.name, SAMPLE_PATH)
        record = ask(save_dataset, ws, bundled.read_bytes(), dataset.name)
        if record.status != READY:
            record = ask(mark_dataset_read, ws, record.id, dataset.table, dataset.profile)
        dataset_id = record.id
    ask(
        save_dataset_choices,
        ws,
        dataset_id,
        roles=dataset.roles,
        churned_value=dataset.churned_value,
        label_column=dataset.profile.label_column,
    )
    job = ask(worker.submit, dataset_id, submitted_by=session_hash())
    st.session_state[_JOB] = job.id
    return job


def latest_job(dataset: Dataset) -> JobRecord | None:
    """The newest training asked for on this data (by anyone), as it is now."""
    ws = workspace()
    if ws is None:
        return None
    dataset_id = kept_id(dataset)
    if dataset_id is None:
        return None
    jobs = [j for j in ask(list_jobs, ws, limit=50) if j.dataset_id == dataset_id]
    if not jobs:
        return None
    return ask(get_job, ws, jobs[0].id) if not jobs[0].finished else jobs[0]


def can_train(dataset: Dataset) -> bool:
    """False while the workspace is away or a training on this data waits or runs."""
    if workspace() is None:
        return False
    try:
        job = latest_job(dataset)
    except ChurnDataError:
        return False
    return job is None or job.finished


def ask_for_training(dataset: Dataset) -> None:
    """The Train button's callback (it runs before the page, so the page shows the queue)."""
    try:
        submit_training(dataset)
    except ChurnDataError as error:
        st.session_state[_SUBMIT_ERROR] = error


def show_training(dataset: Dataset) -> None:
    """The newest training on this data: its place in the queue and progress while it runs
    (followed live), then what came of it."""
    error = st.session_state.pop(_SUBMIT_ERROR, None)
    if isinstance(error, ChurnDataError):
        show_data_error(error, "The model could not be trained")
    if workspace() is None:
        st.caption(
            "Training waits for the workspace database (it keeps every model): try again when "
            "it is back."
        )
        return
    try:
        job = latest_job(dataset)
    except ChurnDataError as error:
        show_data_error(error, "The training queue cannot be read")
        return
    if job is None:
        return
    if not job.finished:
        _follow(job.id)
        return
    if job.status != "done" or job.model_id is None:
        when = f"{job.submitted_at:%Y-%m-%d %H:%M} UTC"
        st.error(
            f"The last training on this data (asked {when}) did not finish. {job.error}",
            icon=":material/error:",
        )
        return
    _show_result(job, dataset)


@st.fragment(run_every=POLL_SECONDS)
def _follow(job_id: int) -> None:
    ws = workspace()
    if ws is None:
        st.warning("The training queue cannot be read right now; the training goes on.")
        return
    try:
        job = ask(get_job, ws, job_id)
    except ChurnDataError as error:
        show_data_error(error, "The training cannot be followed")
        return
    if job.finished:
        forget_models_in_use()  # a new model may be in use: the sidebar asks again
        st.rerun(scope="app")
    leave = " You can leave this page: the training goes on, and its result shows here."
    if job.status == "queued":
        st.info(f"{job.describe()}{leave}", icon=":material/hourglass_top:")
        st.progress(0.0, text="Waiting for its turn (trainings run one at a time)")
    else:
        st.progress(min(max(job.progress, 0.0), 1.0), text=job.describe() + leave)


def _show_result(job: JobRecord, dataset: Dataset) -> None:
    ws = workspace()
    if ws is None or job.model_id is None:
        return
    try:
        record = ask(get_model_record, ws, job.model_id)
    except ChurnDataError:
        return  # the model was deleted since: nothing to say
    mine = st.session_state.get(_JOB) == job.id
    recent = job.finished_at is not None and datetime.now(UTC) - job.finished_at < ANNOUNCE_FOR
    if record.in_use:
        shown = model_in_use(dataset).record
        if (shown is None or shown.id != record.id) and st.session_state.get(_SYNCED) != job.id:
            st.session_state[_SYNCED] = job.id  # once: the sidebar was drawn before it was done
            forget_models_in_use()
            st.rerun()
        if mine or recent:
            model = load_model_record(record)
            st.success(
                f"Trained: {describe_model_in_use(model)} It is the model in use for this kind "
                "of data.",
                icon=":material/check_circle:",
            )
        return
    kept_out = load_kind_setting(KEPT_OUT, dataset) or []
    if record.id in kept_out:
        return
    _show_challenger(ws, record, dataset)


@st.cache_data(max_entries=8, show_spinner="Scoring the new model's test customers with both...")
def _compare(key: str, model_id: int, in_use_id: int | None, _workspace: Workspace) -> Comparison:
    return compare_with_model_in_use(_workspace, model_id)


def _show_challenger(ws: Workspace, record: ModelRecord, dataset: Dataset) -> None:
    """The new model beside the one in use, on the same held-out customers; the user chooses."""
    in_use = ask(get_model_in_use, ws, record.kind)
    with st.container(border=True):
        st.markdown(
            f"**A new model is ready: model {record.id}**, {record.name.lower()} trained on "
            f"{record.dataset_name} {record.trained_at:%Y-%m-%d %H:%M} UTC. "
            + (
                f"The model in use for this kind of data is model {in_use.id}, trained "
                f"{in_use.trained_at:%Y-%m-%d %H:%M} UTC. Which should be in use?"
                if in_use is not None
                else "No model is in use for this kind of data."
            )
        )
        champion = None if in_use is None else in_use.id
        comparison = ask(_compare, workspace_key(), record.id, champion, ws)
        if comparison.compared:
            st.markdown(comparison.summary)
        else:
            st.info(comparison.reason, icon=":material/info:")
        st.dataframe(
            comparison.frame.style.format(
                precision=3, subset=comparison.frame.columns[1:-1]
            ).format("{:.0%}", subset=comparison.frame.columns[-1:]),
            hide_index=True,
            width="stretch",
        )
        if comparison.caveat:
            st.caption(comparison.caveat)
        st.caption(
            "ROC-AUC and PR-AUC: higher ranks leavers better. Brier: lower means probabilities "
            "closer to what happened. Top-10% lift: how many times the average churn rate the "
            "riskiest tenth holds. Share flagged: customers each would flag at its own cut-off."
        )
        use, keep = st.columns(2)
        use.button(
            "Put the new model in use",
            type="primary",
            icon=":material/published_with_changes:",
            on_click=_use_new,
            args=(record.id, dataset.dataset_id),
            width="stretch",
        )
        keep.button(
            "Keep the model in use" if in_use is not None else "Not now",
            icon=":material/block:",
            on_click=_keep_out,
            args=(record.id, dataset),
            width="stretch",
        )
    error = st.session_state.pop(_CHOICE_ERROR, None)
    if isinstance(error, ChurnDataError):
        show_data_error(error, "Your choice could not be saved")


def keep_trained(model: ChurnModel, dataset: Dataset) -> None:
    """Keep a model trained on the page (a log's, on the churn window the user chose) in the
    workspace and put it in use for data like this, for everyone (raises ChurnDataError when
    the workspace is away or the data was not kept)."""
    ws = workspace()
    if ws is None:
        raise _unreachable()
    dataset_id = kept_id(dataset)
    if dataset_id is None:  # a bundled file: kept first, as a training on it would
        bundled = SAMPLES.get(dataset.name)
        if bundled is None:
            raise ChurnDataError(
                [
                    Problem(
                        f"{dataset.name} was read while the workspace was away, so it was not "
                        "kept and its model cannot be kept either.",
                        fix="Upload it again now that the workspace is back, then train.",
                        code="not_in_workspace",
                    )
                ]
            )
        record = ask(save_dataset, ws, bundled.read_bytes(), dataset.name)
        if record.status != READY:
            record = ask(mark_dataset_read, ws, record.id, dataset.table, dataset.profile)
        dataset_id = record.id
    kept = ask(register_model, ws, model, dataset_id, use=True)
    ask(remember_in_use, ws, dataset_id=dataset_id, model_id=kept.id)
    forget_models_in_use()


def put_in_use(model_id: int, dataset_id: int | None) -> None:
    """Put a kept model in use for its kind of data (for everyone), and remember it with the
    data as what was in use last."""
    ws = workspace()
    if ws is None:
        raise _unreachable()
    ask(use_model, ws, model_id)
    ask(remember_in_use, ws, dataset_id=dataset_id, model_id=model_id)
    forget_models_in_use()


def _use_new(model_id: int, dataset_id: int | None) -> None:
    try:
        put_in_use(model_id, dataset_id)
    except ChurnDataError as error:
        st.session_state[_CHOICE_ERROR] = error


def _keep_out(model_id: int, dataset: Dataset) -> None:
    kept_out = list(load_kind_setting(KEPT_OUT, dataset) or [])
    try:
        save_kind_setting(KEPT_OUT, dataset, [*kept_out, model_id])
    except ChurnDataError as error:
        st.session_state[_CHOICE_ERROR] = error
