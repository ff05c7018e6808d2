"""The current dataset of a browser session, and the only way pages change it.

A session opens on what was in use last in the workspace (after a reload, a restart, or in a
colleague's browser), else on the bundled sample, and says which (:func:`opening_note`). An
upload is kept in the workspace the moment it arrives and read in a background thread of the
server, so the reading finishes even if the user changes page; the page they land on says the
file is still being read (:func:`current_dataset`). The session holds only *which* data it has
open (a :class:`Choice`); the tables are the server's (``ui/data_store.py``). Role choices are
saved with the dataset when the user applies them.

When the workspace database is away, an upload is read in the session only (and not kept),
and the page says so.
"""

from __future__ import annotations

import contextlib
import time
from concurrent.futures import Future, wait
from dataclasses import replace

import streamlit as st

from churn_core.errors import ChurnDataError, Problem
from churn_core.io import read_table
from churn_core.schema import Role, profile_table
from churn_core.workspace import (
    FAILED,
    READING,
    READY,
    DatasetRecord,
    LoadedDataset,
    delete_dataset,
    find_model_in_use,
    get_dataset,
    get_last_in_use,
    list_datasets,
    load_dataset_bytes,
    remember_in_use,
    save_dataset,
    save_dataset_choices,
)
from ui.data_store import (
    LOG_SAMPLE_CHOICE,
    SAMPLE_CHOICE,
    UPLOAD,
    Choice,
    Dataset,
    Reading,
    digest_of,
    kept_dataset,
    reading_of,
    sample_dataset,
    sample_with_roles,
    start_reading,
)
from ui.data_store import LOG_SAMPLE_PATH as LOG_SAMPLE_PATH
from ui.data_store import SAMPLE_PATH as SAMPLE_PATH  # the pages' and tests' way in
from ui.events import logs_upload
from ui.feedback import show_data_error
from ui.frame import page_title
from ui.workspace_state import ask, is_unreachable, last_workspace, workspace

#: Seconds the Data page waits for an upload to be read before saying it is still being read.
UPLOAD_WAIT_SECONDS = 30.0
#: Seconds between looks at a file still being read.
POLL_SECONDS = 1.0
_KEY = "dataset"  # the session's Choice
_LOCAL = "dataset_local"  # a Dataset read in this session only (the workspace was away)
_PREVIOUS = "dataset_previous"  # the Choice to go back to if a pending upload cannot be read
_NOTE = "dataset_opening_note"
_FAILED = "dataset_failed"  # (name, error) of a pending upload that could not be read
NOT_IN_WORKSPACE = "not_in_workspace"


# ---------------------------------------------------------------------------------------------
# The session's choice


def _choice() -> Choice:
    choice = st.session_state.get(_KEY)
    if not isinstance(choice, Choice):
        choice = _open_last()
        st.session_state[_KEY] = choice
    return choice


def _set(choice: Choice) -> None:
    st.session_state[_KEY] = choice
    if not choice.local:
        st.session_state.pop(_LOCAL, None)


def _choice_of(record: DatasetRecord) -> Choice:
    return Choice(
        record.id,
        record.name,
        record.digest,
        tuple(sorted(record.roles.items())),
        record.churned_value,
        ready=record.status == READY,
    )


def _open_last() -> Choice:
    """What a new session opens on: the data in use last, else the sample (and why)."""
    ws = workspace()
    try:
        last = None if ws is None else ask(get_last_in_use, ws)
        anything = ws is not None and bool(ask(list_datasets, ws))
    except ChurnDataError:
        ws = None
    if ws is None:
        st.session_state[_NOTE] = (
            "The workspace cannot be reached, so this opens on the **bundled sample** "
            "(5,000 made-up customers): its numbers are not your data's."
        )
        return SAMPLE_CHOICE
    if last is not None and last.dataset is not None and last.dataset.status != FAILED:
        st.session_state[_NOTE] = f"Opened on the data in use last: **{last.dataset.describe()}**."
        return _choice_of(last.dataset)
    st.session_state[_NOTE] = (
        "You are looking at the **bundled sample** (5,000 made-up customers): it was the data "
        "in use last. Open your own data on the Workspace page, or upload a file."
        if anything
        else "The workspace is empty, so you are looking at the **bundled sample** (5,000 "
        "made-up customers): its numbers are not your data's. Upload your own file on the "
        "Data page; it is kept for next time."
    )
    return SAMPLE_CHOICE


def opening_note() -> str:
    """What this session opened on and why (for Home); empty once the user chose other data."""
    return str(st.session_state.get(_NOTE, ""))


def _remember(dataset: Dataset) -> None:
    """Record this data (and the model in use for it) as what is in use now, for everyone."""
    ws = workspace()
    if ws is None or (dataset.source == UPLOAD and not dataset.kept):
        return
    try:
        model = ask(find_model_in_use, ws, list(dataset.frame.columns))
        ask(
            remember_in_use,
            ws,
            dataset_id=dataset.dataset_id,
            model_id=None if model is None else model.id,
        )
    except ChurnDataError:
        pass  # the workspace is away: the fault is shown at the top of the page


def data_status() -> Dataset | Reading:
    """The session's dataset, or :class:`Reading` while its upload is still being read (the
    sidebar). Kept data that cannot be opened (unreadable, deleted, or the database away and
    the table not in memory) sends the session back to the data it had, or the sample, and
    :func:`current_dataset` says why."""
    choice = _choice()
    if choice.local:
        local = st.session_state.get(_LOCAL)
        if isinstance(local, Dataset):
            return local
        _set(SAMPLE_CHOICE)
    if choice.dataset_id is None:
        return (
            sample_with_roles(choice.roles, choice.churned_value, choice.name)
            if choice.roles
            else sample_dataset(choice.name)
        )
    if not choice.ready:
        outcome = _pending(choice)
        if isinstance(outcome, Reading):
            return outcome
        return data_status()
    held = last_workspace()
    try:
        if held is None:
            raise _away(choice.name)
        return kept_dataset(held, choice)
    except ChurnDataError as error:
        if is_unreachable(error):
            error = _away(choice.name)
        elif any(p.code == NOT_IN_WORKSPACE for p in error.problems):
            error = ChurnDataError(
                [Problem(f"{choice.name} was deleted from the workspace.", code=NOT_IN_WORKSPACE)]
            )
        _fail(choice, error)
        return data_status()


def _away(name: str) -> ChurnDataError:
    return ChurnDataError(
        [
            Problem(
                f"{name} is kept in the workspace, which cannot be reached right now.",
                fix="It opens again when the database is back: reload the page then.",
                code="database_unreachable",
            )
        ]
    )


def _fail(choice: Choice, error: ChurnDataError) -> None:
    """Drop data that cannot be opened: back to the data the session had, else the sample."""
    st.session_state[_FAILED] = (choice.name, error)
    previous = st.session_state.pop(_PREVIOUS, None)
    fallback = previous if isinstance(previous, Choice) and previous.ready else SAMPLE_CHOICE
    _set(fallback if fallback != choice else SAMPLE_CHOICE)


def _pending(choice: Choice) -> Choice | Reading:
    """A kept upload being read: still reading, ready (the session's choice becomes ready),
    or unreadable (the session goes back to its previous data; the record is deleted)."""
    read = reading_of(choice)
    if read is not None:
        future, started = read
        if not future.done():
            return Reading(choice.name, time.monotonic() - started)
        if future.exception() is None:
            return _ready(choice)
    ws = workspace()
    if ws is None:  # cannot tell: wait for the database
        return Reading(choice.name, 0.0)
    failure = None if read is None else read[0].exception()
    try:
        record = ask(get_dataset, ws, choice.dataset_id)  # type: ignore[arg-type]
    except ChurnDataError as error:
        if is_unreachable(error):
            return Reading(choice.name, 0.0)
        _fail(choice, error)
        return _choice()
    if record.status == READY:
        return _ready(choice)
    if record.status == READING and not isinstance(failure, ChurnDataError):
        # Read by a server that stopped since (or the read hit a fault): read it here.
        future = start_reading(ws, choice)
        return Reading(choice.name, 0.0) if not future.done() else _pending(choice)
    unreadable = (
        failure
        if isinstance(failure, ChurnDataError)
        else ChurnDataError([Problem(record.problem or f"{choice.name} could not be read.")])
    )
    with contextlib.suppress(ChurnDataError):  # already gone, or the database went away
        ask(delete_dataset, ws, choice.dataset_id)  # type: ignore[arg-type]
    _fail(choice, unreadable)
    return _choice()


def _ready(choice: Choice) -> Choice:
    ready = replace(choice, ready=True)
    _set(ready)
    st.session_state.pop(_PREVIOUS, None)
    ws = workspace()
    if ws is not None:
        with contextlib.suppress(ChurnDataError):  # shown by whoever reads it next
            _remember(kept_dataset(ws, ready))
    return ready


def current_dataset() -> Dataset:
    """The session's dataset. While its upload is still being read, the page says so (and
    shows it the moment it is ready) instead of drawing anything else."""
    status = data_status()
    failed = st.session_state.pop(_FAILED, None)
    if failed is not None:
        name, error = failed
        show_data_error(error, f"{name} could not be opened")
        status = data_status()
        if isinstance(status, Dataset):
            st.caption(f"Using **{status.name}** instead.")
    if isinstance(status, Reading):
        show_still_reading(status)
        st.stop()
    return status


def show_still_reading(reading: Reading) -> None:
    """Say the session's upload is still being read; rerun the page once it is ready."""
    if title := page_title():
        st.title("Churn Workbench" if title == "Home" else title)
    st.info(
        f"**{reading.name}** is still being read. It was kept the moment it arrived, and "
        "this page opens on it as soon as it is ready: no need to upload it again.",
        icon=":material/hourglass_top:",
    )

    @st.fragment(run_every=POLL_SECONDS)
    def _poll() -> None:
        now = data_status()
        if not isinstance(now, Reading):
            st.rerun(scope="app")
        elif now.seconds:
            st.caption(f"Reading for {now.seconds:.0f} s...")

    _poll()


# ---------------------------------------------------------------------------------------------
# Changing the session's data


def use_sample() -> Dataset:
    """Open the bundled sample (and make it what is in use, for everyone's next visit)."""
    _set(SAMPLE_CHOICE)
    st.session_state.pop(_NOTE, None)
    dataset = sample_dataset()
    _remember(dataset)
    return dataset


def use_log_sample() -> Dataset:
    """Open the bundled activity log (a log: see ``ui.log_state``) for this session."""
    _set(LOG_SAMPLE_CHOICE)
    st.session_state.pop(_NOTE, None)
    return sample_dataset(LOG_SAMPLE_CHOICE.name)


@logs_upload
def use_upload(raw: bytes, name: str, sheet: str | None = None) -> Dataset | None:
    """Keep an uploaded file in the workspace, read it, and make it the session's dataset.

    Waits up to ``UPLOAD_WAIT_SECONDS`` for the reading (any page change ends the wait, not the
    reading) and returns the dataset, or None while it is still being read.

    Raises ChurnDataError when the file is too large for the workspace (nothing is written) or
    cannot be read; the previous dataset is kept.
    """
    ws = workspace()
    record = None
    if ws is not None:
        try:
            record = ask(save_dataset, ws, raw, name, sheet=sheet)
        except ChurnDataError as error:
            if not is_unreachable(error):
                raise
    if record is None:
        return _use_local(raw, name, sheet)
    assert ws is not None
    previous = _choice()
    choice = _choice_of(record)
    if previous.ready and not previous.local:
        st.session_state[_PREVIOUS] = previous
    _set(choice)
    st.session_state.pop(_NOTE, None)
    if not choice.ready:
        with contextlib.suppress(ChurnDataError):
            ask(remember_in_use, ws, dataset_id=record.id, model_id=None)
        future = start_reading(ws, choice)
        _wait(future, name)
    status = data_status()
    failed = st.session_state.pop(_FAILED, None)
    if failed is not None:
        raise failed[1]
    if isinstance(status, Reading):
        return None
    if choice.ready:
        _remember(status)
    return status


def _wait(future: Future[LoadedDataset], name: str) -> None:
    """Wait for a reading with a visible clock. Each tick sends the page something, which is
    where Streamlit can end this run when the user goes to another page (not the reading)."""
    started = time.monotonic()
    clock = st.empty()
    with st.spinner(f"Reading {name}..."):
        while not future.done() and time.monotonic() - started < UPLOAD_WAIT_SECONDS:
            wait([future], timeout=0.25)
            clock.caption(f"Reading {name}: {time.monotonic() - started:.0f} s")
    clock.empty()


def _use_local(raw: bytes, name: str, sheet: str | None) -> Dataset:
    """Read an upload in this session only (the workspace is away): it is not kept."""
    table = read_table(raw, name=name, sheet=sheet)
    profile = profile_table(table.frame, warnings=table.warnings)
    dataset = Dataset(table, digest_of(raw) + f"|{sheet}", UPLOAD, profile)
    st.session_state[_LOCAL] = dataset
    st.session_state[_KEY] = Choice(None, name, dataset.digest, local=True)
    st.session_state.pop(_NOTE, None)
    return dataset


def open_kept_dataset(dataset_id: int) -> None:
    """Make a kept dataset the session's data (and what is in use, for everyone)."""
    ws = workspace()
    if ws is None:
        raise ChurnDataError([Problem("The workspace cannot be reached right now.")])
    record = ask(get_dataset, ws, dataset_id)
    if record.status == FAILED:
        raise ChurnDataError([Problem(f"{record.name} could not be read: {record.problem}")])
    choice = _choice_of(record)
    _set(choice)
    st.session_state.pop(_NOTE, None)
    if choice.ready:
        _remember(kept_dataset(ws, choice))
    else:
        start_reading(ws, choice)


def read_sheet(sheet: str, raw: bytes | None = None) -> Dataset | None:
    """Open another sheet of the session's workbook: from the bytes kept in the workspace
    (the sheet is kept as its own dataset), else from ``raw`` (the upload, when not kept)."""
    dataset = current_dataset()
    ws = workspace()
    if dataset.kept and ws is not None:
        raw = ask(load_dataset_bytes, ws, dataset.dataset_id)  # type: ignore[arg-type]
    if raw is None:
        raise ChurnDataError(
            [Problem("Upload the file again to read another sheet.", code="sheet_needs_upload")]
        )
    return use_upload(raw, dataset.name, sheet=sheet)


def set_roles(roles: dict[str, Role], churned_value: str | None = None) -> Dataset:
    """Re-profile the current table with the user's role choices (they win over detection),
    and keep them with the dataset in the workspace."""
    old = current_dataset()
    choice = _choice()
    if choice.local:
        profile = profile_table(
            old.frame, roles=roles, churned_value=churned_value, warnings=old.table.warnings
        )
        dataset = Dataset(old.table, old.digest, old.source, profile, dict(roles), churned_value)
        st.session_state[_LOCAL] = dataset
        return dataset
    key = tuple(sorted((str(k), Role(v).value) for k, v in roles.items()))
    _set(replace(choice, roles=key, churned_value=churned_value))
    status = data_status()
    assert isinstance(status, Dataset)
    dataset = status
    ws = workspace()
    if dataset.kept and ws is not None:
        try:
            ask(
                save_dataset_choices,
                ws,
                dataset.dataset_id,  # type: ignore[arg-type]
                roles=roles,
                churned_value=churned_value,
                label_column=dataset.profile.label_column,
            )
        except ChurnDataError:
            st.toast("Your role choices apply here but could not be saved: the workspace is away.")
    return dataset


def forget_deleted(dataset_id: int) -> None:
    """After a dataset is deleted: a session that had it open goes back to the sample."""
    choice = st.session_state.get(_KEY)
    if isinstance(choice, Choice) and choice.dataset_id == dataset_id:
        use_sample()
