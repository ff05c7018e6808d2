"""Choices saved for a kind of data: CLV assumptions, the action plan, segments and plays.

What a user tries stays in their session; a *Save* button (:func:`save_button`) keeps it in the
workspace for everyone who opens data of the same kind (the same columns, label aside), and it
becomes their starting point. Saved values are read at most every ``SETTING_SECONDS`` per server.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from churn_core.errors import ChurnDataError, Problem
from churn_core.segments import get_default_plays
from churn_core.survival import ClvAssumptions
from churn_core.workspace import (
    CLV_ASSUMPTIONS,
    PLAYS,
    SEGMENT_CHOICES,
    Workspace,
    load_setting,
    save_setting,
    scope_for_kind,
)
from ui.feedback import show_data_error
from ui.workspace_state import ask, workspace, workspace_key

if TYPE_CHECKING:
    from ui.state import Dataset

#: Seconds a saved setting is reused before it is read again (another session's save).
SETTING_SECONDS = 5
_SAVED = "settings_saved_note"


@st.cache_data(ttl=SETTING_SECONDS, max_entries=64, show_spinner=False)
def _load(key: str, name: str, scope: str, _workspace: Workspace) -> Any:
    return load_setting(_workspace, name, scope=scope)


def load_kind_setting(name: str, dataset: Dataset) -> Any:
    """The value saved under ``name`` for this data's kind (None when none, or the workspace
    is away)."""
    ws = workspace()
    if ws is None:
        return None
    try:
        return ask(_load, workspace_key(), name, scope_for_kind(dataset.kind), ws)
    except ChurnDataError:
        return None


def save_kind_setting(name: str, dataset: Dataset, value: Any) -> None:
    """Save a value for this data's kind (raises ChurnDataError when the workspace is away)."""
    ws = workspace()
    if ws is None:
        raise ChurnDataError(
            [
                Problem(
                    "The workspace cannot be reached, so this could not be saved.",
                    fix="It still applies in this browser; save again when the database is back.",
                    code="database_unreachable",
                )
            ]
        )
    ask(save_setting, ws, name, value, scope=scope_for_kind(dataset.kind))
    _load.clear()


def save_button(
    label: str, what: str, name: str, dataset: Dataset, value: Callable[[], Any], *, key: str
) -> None:
    """A button that saves ``value()`` under ``name`` for data like ``dataset``, and says so."""
    if st.button(label, icon=":material/save:", key=key, help=_help(what)):
        try:
            save_kind_setting(name, dataset, value())
        except ChurnDataError as error:
            show_data_error(error, f"The {what} could not be saved")
        else:
            st.session_state[_SAVED] = key
    if st.session_state.get(_SAVED) == key:
        st.caption(f"Saved: everyone who opens data like {dataset.name} starts from these {what}.")


def _help(what: str) -> str:
    return (
        f"Until you save, the {what} you try apply in this browser only. Saved, they are the "
        "starting point for everyone with the password who opens data with the same columns."
    )


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A small table as JSON-ready rows (blanks as None)."""
    return [
        {str(k): (None if pd.isna(v) else v) for k, v in row.items()}
        for row in frame.astype(object).to_dict(orient="records")
    ]


def overlay(guess: pd.DataFrame, saved: Any, keys: list[str], columns: list[str]) -> pd.DataFrame:
    """``guess`` with the ``columns`` of the saved rows that match it on ``keys``; rows the
    guess does not have (another version of the data), and other columns, stay as guessed."""
    if not isinstance(saved, list):
        return guess
    found = {
        tuple(str(row[k]) for k in keys): row
        for row in saved
        if isinstance(row, dict) and all(k in row for k in keys)
    }
    out = guess.copy()
    for label, key in zip(
        out.index, out[keys].astype(str).itertuples(index=False, name=None), strict=True
    ):
        row = found.get(tuple(key))
        if row is None:
            continue
        for column in columns:
            if column in row:
                out.at[label, column] = "" if row[column] is None else row[column]
    return out


# ---------------------------------------------------------------------------------------------
# The choices the pages save


def save_clv_button(dataset: Dataset, assumptions: ClvAssumptions) -> None:
    """Retention & CLV: keep the CLV assumptions for data like this."""
    save_button(
        "Save these assumptions",
        "CLV assumptions",
        CLV_ASSUMPTIONS,
        dataset,
        lambda: asdict(assumptions),
        key="save_clv_assumptions",
    )


@dataclass(frozen=True)
class SegmentDefaults:
    """Where the Segments page starts: the saved choice for data like this, else every
    number column and the recommended number of segments (``k`` None)."""

    numeric: list[str]
    categorical: list[str]
    k: int | None


def saved_segment_choice(
    dataset: Dataset, numbers: list[str], categories: list[str]
) -> SegmentDefaults:
    saved = load_kind_setting(SEGMENT_CHOICES, dataset)
    if not isinstance(saved, dict):
        return SegmentDefaults(list(numbers), [], None)
    numeric = [c for c in saved.get("numeric", []) if c in numbers] or list(numbers)
    categorical = [c for c in saved.get("categorical", []) if c in categories]
    k = saved.get("k")
    return SegmentDefaults(numeric, categorical, int(k) if isinstance(k, int) else None)


def saved_plays(dataset: Dataset) -> pd.DataFrame:
    """The retention plays saved for data like this, else the default rules."""
    saved = load_kind_setting(PLAYS, dataset)
    default = get_default_plays()
    if isinstance(saved, list) and saved:
        try:
            rules = pd.DataFrame(saved)[list(default.columns)]
        except (KeyError, ValueError):
            return default  # saved by another version of the app
        return rules.fillna("")
    return default


def save_segments_button(
    dataset: Dataset,
    numeric: Sequence[str],
    categorical: Sequence[str],
    k: int,
    plays: pd.DataFrame | None,
) -> None:
    """Segments: keep the columns, the number of segments and, when the user wrote their own
    rules (``plays``; None: plays chosen from each segment's traits), the plays for data like
    this."""

    def value() -> dict[str, Any]:
        return {"numeric": list(numeric), "categorical": list(categorical), "k": int(k)}

    if st.button(
        "Save these segments and plays",
        icon=":material/save:",
        key="save_segments",
        help=_help("segment choices and plays"),
    ):
        try:
            save_kind_setting(SEGMENT_CHOICES, dataset, value())
            if plays is not None:
                save_kind_setting(PLAYS, dataset, frame_records(plays))
        except ChurnDataError as error:
            show_data_error(error, "The segment choices could not be saved")
        else:
            st.session_state[_SAVED] = "save_segments"
    if st.session_state.get(_SAVED) == "save_segments":
        st.caption(
            f"Saved: everyone who opens data like {dataset.name} starts from these segments "
            "and plays."
        )
