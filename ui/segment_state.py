"""The session's segments: computed once per data, columns and k, and shared with other pages.

The Segments page records what the user chose; :func:`current_segmentation` gives other pages
(Churn risk's ``segment`` column and filter) the same fitted segments without refitting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from churn_core.errors import ChurnDataError
from churn_core.io import download_filename, to_csv_bytes
from churn_core.schema import Profile
from churn_core.segments import KChoice, Segmentation, choose_k, fit_segments, get_segment_columns
from ui.model_state import scores_by_row
from ui.settings_state import saved_segment_choice
from ui.state import Dataset, current_dataset

_KEY = "segment_choice"


@dataclass(frozen=True)
class SegmentChoice:
    """What the user chose on the Segments page, for the data it was chosen on."""

    data_key: str
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    k: int


def k_choice(dataset: Dataset, numeric: tuple[str, ...], categorical: tuple[str, ...]) -> KChoice:
    """Scores for 2 to 10 segments and the recommendation (raises ChurnDataError)."""
    return _k_choice(dataset.key, numeric, categorical, dataset.frame, dataset.profile)


def segmentation(
    dataset: Dataset, numeric: tuple[str, ...], categorical: tuple[str, ...], k: int
) -> Segmentation:
    """The fitted segments for these columns and k; remembered as the session's choice."""
    found = _segmentation(
        dataset.key,
        numeric,
        categorical,
        k,
        *scores_by_row(dataset),
        dataset.frame,
        dataset.profile,
    )
    st.session_state[_KEY] = SegmentChoice(dataset.key, numeric, categorical, k)
    return found


def current_segmentation(*, fit_if_missing: bool = False) -> Segmentation | None:
    """The segments last shown on the Segments page for the current data, else None.

    With ``fit_if_missing``, a session that never opened Segments gets the page's defaults
    (the choice saved for data like this, else every number column and the recommended k):
    the same segments the page would show first.
    None when the data cannot be segmented.
    """
    dataset = current_dataset()
    choice = st.session_state.get(_KEY)
    if isinstance(choice, SegmentChoice) and choice.data_key == dataset.key:
        return _segmentation(
            choice.data_key,
            choice.numeric,
            choice.categorical,
            choice.k,
            *scores_by_row(dataset),
            dataset.frame,
            dataset.profile,
        )
    if not fit_if_missing:
        return None
    start = saved_segment_choice(dataset, *get_segment_columns(dataset.profile, dataset.frame))
    numeric, categorical = tuple(start.numeric), tuple(start.categorical)
    try:
        k = start.k or k_choice(dataset, numeric, categorical).k
        return segmentation(dataset, numeric, categorical, k)
    except ChurnDataError:
        return None


def assignments_csv(
    dataset: Dataset, numeric: tuple[str, ...], categorical: tuple[str, ...], k: int
) -> bytes:
    """Each customer's id and segment as CSV bytes, built once per data, columns and k."""
    found = segmentation(dataset, numeric, categorical, k)
    key = (dataset.key, numeric, categorical, k)
    return _assignments(key, found, dataset.frame, dataset.profile.id_column)


def assignments_filename(dataset: Dataset) -> str:
    """``segments_<file name>.csv`` with only safe characters."""
    return download_filename("segments", dataset.name, "csv")


@st.cache_data(max_entries=8, show_spinner=False)
def _k_choice(
    data_key: str,
    numeric: tuple[str, ...],
    categorical: tuple[str, ...],
    _frame: pd.DataFrame,
    _profile: Profile,
) -> KChoice:
    return choose_k(_frame, _profile, numeric=numeric, categorical=categorical)


@st.cache_resource(max_entries=16, show_spinner=False)
def _segmentation(
    data_key: str,
    numeric: tuple[str, ...],
    categorical: tuple[str, ...],
    k: int,
    scores_key: str,
    _risk: np.ndarray | None,
    _clv: np.ndarray | None,
    _frame: pd.DataFrame,
    _profile: Profile,
) -> Segmentation:
    return fit_segments(
        _frame, _profile, numeric=numeric, categorical=categorical, k=k, risk=_risk, clv=_clv
    )


@st.cache_data(max_entries=4, show_spinner=False)
def _assignments(
    key: tuple[object, ...], _found: Segmentation, _frame: pd.DataFrame, id_column: str | None
) -> bytes:
    return to_csv_bytes(_found.get_assignments(_frame, id_column))
