"""The Workspace page's parts: what is kept (datasets, models, lists), the storage it takes,
and opening, downloading and (after a confirmation) deleting any of it.

Every change is made in a button's callback, so the sidebar, drawn before the page, already
shows it. Downloads read their bytes from the database only when clicked.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from churn_core.errors import ChurnDataError, plural
from churn_core.io import at_risk_filename, to_csv_bytes
from churn_core.model import Policy, describe_catch
from churn_core.workspace import (
    FAILED,
    READING,
    DatasetRecord,
    ListRecord,
    ModelRecord,
    Workspace,
    delete_at_risk_list,
    delete_dataset,
    delete_model,
    get_storage_used,
    load_at_risk_list,
    load_dataset_bytes,
)
from ui.feedback import show_data_error
from ui.model_state import forget_models_in_use
from ui.state import data_status, forget_deleted, open_kept_dataset
from ui.training_state import put_in_use
from ui.workspace_state import ask

MB = 1024 * 1024
_CONFIRM = "workspace_confirm"  # (action, kind, id) waiting for "Yes"
_ERROR = "workspace_error"
_DONE = "workspace_done"
STATUS = {READING: "still being read", FAILED: "could not be read"}


def _mb(size: int) -> str:
    return f"{size / MB:.2f} MB" if size < 10 * MB else f"{size / MB:,.0f} MB"


def show_storage(ws: Workspace) -> None:
    """Storage used against the plan's limit, and by what."""
    storage = ask(get_storage_used, ws)
    counted = storage[storage["What"].isin(["Datasets", "Models", "At-risk lists"])]
    used_mb = float(counted["Bytes"].sum()) / MB
    quota = ws.limits.quota_mb
    st.progress(
        min(used_mb / quota, 1.0),
        text=f"**Storage used: {used_mb:,.1f} MB of {quota:,.0f} MB** "
        f"(each upload up to {ws.limits.dataset_mb:,.0f} MB)",
    )
    parts = [
        f"{row.What.lower()}: {int(row.Kept):,} ({row.MB:,.2f} MB)" for row in counted.itertuples()
    ]
    st.caption("Kept: " + "; ".join(parts) + f". Stored in the {ws.database}.")


def show_messages() -> None:
    """What the last action did, or why it could not."""
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(done, icon=":material/check_circle:")
    error = st.session_state.pop(_ERROR, None)
    if isinstance(error, ChurnDataError):
        show_data_error(error, "That could not be done")


def _act(action: Callable[[], object], done: str) -> None:
    """Run an action from a callback; keep its outcome for the page to show."""
    st.session_state.pop(_CONFIRM, None)
    try:
        action()
    except ChurnDataError as error:
        st.session_state[_ERROR] = error
    else:
        st.session_state[_DONE] = done


def _ask_first(action: str, kind: str, record_id: int) -> None:
    st.session_state[_CONFIRM] = (action, kind, record_id)


def _delete_button(column: Any, kind: str, record_id: int) -> None:
    """The Delete... button of a kept dataset, model or list: it asks first (``_confirm``)."""
    column.button(
        "Delete...",
        icon=":material/delete:",
        key=f"delete_{kind}",
        on_click=_ask_first,
        args=("delete", kind, record_id),
        width="stretch",
    )


def _cancel() -> None:
    st.session_state.pop(_CONFIRM, None)


def _confirm(
    kind: str, record_id: int, question: str, yes: str, on_yes: Callable[[], None]
) -> bool:
    """The "are you sure?" row for this record, when it was asked for; True when shown."""
    waiting = st.session_state.get(_CONFIRM)
    if not (isinstance(waiting, tuple) and waiting[1:] == (kind, record_id)):
        return False
    with st.container(border=True):
        st.warning(question, icon=":material/help:")
        left, right, _ = st.columns([1, 1, 2])
        left.button(yes, type="primary", key=f"yes_{kind}_{record_id}", on_click=on_yes)
        right.button("Cancel", key=f"cancel_{kind}_{record_id}", on_click=_cancel)
    return True


def _pick(label: str, records: Sequence[Any], describe: Callable[[Any], str], key: str) -> Any:
    ids = [r.id for r in records]
    chosen = st.selectbox(
        label, ids, format_func=lambda i: describe(records[ids.index(i)]), key=key
    )
    return records[ids.index(chosen)] if chosen is not None else None


# ---------------------------------------------------------------------------------------------
# Datasets


def datasets_frame(records: Sequence[DatasetRecord], open_id: int | None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Dataset": [f"{r.name}" + (f" ({r.sheet})" if r.sheet else "") for r in records],
            "Rows": [r.rows for r in records],
            "Columns": [r.columns for r in records],
            "Status": [STATUS.get(r.status, "ready") for r in records],
            "Uploaded (UTC)": [r.uploaded_at.replace(tzinfo=None) for r in records],
            "Size": [_mb(r.size_bytes) for r in records],
            "Open here": ["yes" if r.id == open_id else "" for r in records],
            "Id": [r.id for r in records],
        }
    )


def show_datasets(ws: Workspace, records: Sequence[DatasetRecord]) -> None:
    if not records:
        st.info("No data kept yet: upload a file on the Data page and it is kept here.")
        return
    status = data_status()
    open_id = getattr(status, "dataset_id", None)
    st.dataframe(datasets_frame(records, open_id), hide_index=True, width="stretch")
    record: DatasetRecord = _pick(
        "Dataset",
        records,
        lambda r: f"{r.name} (#{r.id}, {r.uploaded_at:%Y-%m-%d %H:%M})",
        "workspace_dataset",
    )
    st.caption(record.describe() + (f". {record.problem}" if record.problem else ""))
    open_col, get_col, delete_col = st.columns(3)
    open_col.button(
        "Open here" if record.id != open_id else "Opened here",
        icon=":material/open_in_browser:",
        key="open_dataset",
        disabled=record.status == FAILED or record.id == open_id,
        on_click=_act,
        args=(partial(open_kept_dataset, record.id), f"Opened {record.name} on every page."),
        width="stretch",
        help="Make it the data of this browser (and what opens first for everyone next).",
    )
    get_col.download_button(
        "Download the file as uploaded",
        partial(ask, load_dataset_bytes, ws, record.id),
        record.name,
        mimetypes.guess_type(record.name)[0] or "application/octet-stream",
        icon=":material/download:",
        key=f"download_dataset_{record.id}",
        on_click="ignore",
        width="stretch",
    )
    _delete_button(delete_col, "dataset", record.id)

    def _delete() -> None:
        ask(delete_dataset, ws, record.id)
        forget_deleted(record.id)

    _confirm(
        "dataset",
        record.id,
        f"Delete **{record.name}** for everyone? Models and lists made from it are kept (they "
        "say their data was deleted), but it cannot be opened or trained on again.",
        "Yes, delete it",
        partial(_act, _delete, f"Deleted {record.name}."),
    )


# ---------------------------------------------------------------------------------------------
# Models


def quality_words(record: ModelRecord) -> str:
    """Held-out quality in plain words, from the figures kept with the model."""
    auc = record.metrics.get("roc_auc")
    tested = int(record.metrics.get("test_rows") or 0)
    return describe_catch(float("nan"), 0.2, tested, auc if isinstance(auc, float) else None)


def models_frame(records: Sequence[ModelRecord]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Model": [f"{r.id}: {r.name}" for r in records],
            "In use": ["yes" if r.in_use else "" for r in records],
            "Learned from": [r.dataset_name for r in records],
            "Predicts": [r.label_column for r in records],
            "Trained (UTC)": [r.trained_at.replace(tzinfo=None) for r in records],
            "On customers it never saw": [quality_words(r) for r in records],
            "Size": [_mb(r.size_bytes) for r in records],
        }
    )


def show_models(ws: Workspace, records: Sequence[ModelRecord]) -> None:
    if not records:
        st.info("No model kept yet: train one on the Churn risk page and it is kept here.")
        return
    st.dataframe(
        models_frame(records),
        hide_index=True,
        width="stretch",
        column_config={"On customers it never saw": st.column_config.TextColumn(width="large")},
    )
    st.caption(
        "One model is in use for each kind of data (the same columns, the churn label aside): "
        "every page scores such data with it, in every browser."
    )
    record: ModelRecord = _pick(
        "Model",
        records,
        lambda r: f"Model {r.id}: {r.name} on {r.dataset_name}" + (" (in use)" if r.in_use else ""),
        "workspace_model",
    )
    st.caption(f"Model {record.id} on customers it never saw: {quality_words(record)}")
    use_col, delete_col = st.columns(2)
    use_col.button(
        "In use" if record.in_use else "Put in use...",
        icon=":material/published_with_changes:",
        key="use_model",
        disabled=record.in_use,
        on_click=_ask_first,
        args=("use", "model", record.id),
        width="stretch",
    )
    _delete_button(delete_col, "model", record.id)
    waiting = st.session_state.get(_CONFIRM)
    if isinstance(waiting, tuple) and waiting[0] == "use":
        _confirm(
            "model",
            record.id,
            f"Put **model {record.id}** ({record.name}, trained on {record.dataset_name}) in "
            "use for all data like it, for everyone? The model in use now is kept and can be "
            "put back here.",
            "Yes, put it in use",
            partial(
                _act,
                partial(put_in_use, record.id, record.dataset_id),
                f"Model {record.id} is now in use for data like {record.dataset_name}.",
            ),
        )
    else:

        def _delete() -> None:
            ask(delete_model, ws, record.id)
            forget_models_in_use()

        _confirm(
            "model",
            record.id,
            f"Delete **model {record.id}** for everyone? Lists made with it are kept."
            + (
                " It is in use: data like it has no model in use until you put another in use."
                if record.in_use
                else ""
            ),
            "Yes, delete it",
            partial(_act, _delete, f"Deleted model {record.id}."),
        )


# ---------------------------------------------------------------------------------------------
# At-risk lists


def _policy_words(record: ListRecord) -> str:
    try:
        return Policy(**record.policy).describe(record.threshold or 0.5)
    except (TypeError, ValueError):
        return ""


def lists_frame(records: Sequence[ListRecord]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "List": [r.id for r in records],
            "Delivered (UTC)": [r.created_at.replace(tzinfo=None) for r in records],
            "Data": [r.data_name for r in records],
            "Model": [
                r.model_name if r.model_id is None else f"{r.model_id}: {r.model_name}"
                for r in records
            ],
            "Customers": [r.rows for r in records],
            "Flagged": [r.flagged for r in records],
            "Expected churners": [round(r.expected_churners, 1) for r in records],
            "Who was flagged": [_policy_words(r) for r in records],
            "Size": [_mb(r.stored_bytes) for r in records],
        }
    )


def _list_csv(ws: Workspace, list_id: int) -> bytes:
    _, rows = ask(load_at_risk_list, ws, list_id)
    return to_csv_bytes(rows)


def show_lists(ws: Workspace, records: Sequence[ListRecord]) -> None:
    if not records:
        st.info(
            "No list kept yet: each at-risk list you download on the Churn risk page is kept "
            "here, with the data, model and policy it came from."
        )
        return
    st.dataframe(lists_frame(records), hide_index=True, width="stretch")
    record: ListRecord = _pick(
        "At-risk list",
        records,
        lambda r: f"List {r.id}: {r.describe()}",
        "workspace_list",
    )
    st.caption(
        f"{plural(record.rows, 'customer')} from {record.data_name}, scored by "
        f"{record.model_name}; {_policy_words(record) or 'policy unknown'}: "
        f"{record.flagged:,} flagged, about {record.expected_churners:,.0f} expected churners."
    )
    get_col, delete_col = st.columns(2)
    get_col.download_button(
        f"Download list {record.id} as CSV",
        partial(_list_csv, ws, record.id),
        at_risk_filename(record.data_name, "csv", when=record.created_at),
        "text/csv",
        icon=":material/download:",
        key=f"download_list_{record.id}",
        on_click="ignore",
        width="stretch",
    )
    _delete_button(delete_col, "list", record.id)
    _confirm(
        "list",
        record.id,
        f"Delete **list {record.id}** ({record.describe()}) for everyone?",
        "Yes, delete it",
        partial(
            _act, partial(ask, delete_at_risk_list, ws, record.id), f"Deleted list {record.id}."
        ),
    )
