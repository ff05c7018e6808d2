"""Cached wrappers around engine functions whose cost grows with the whole table.

Keyed by ``Dataset.key`` (data + roles), so the frame itself is never hashed on a rerun.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from churn_core.explore import get_correlations, get_missing_map, get_missing_summary


@st.cache_data(max_entries=8, show_spinner=False)
def correlations(
    key: str,
    columns: tuple[str, ...],
    label_name: str,
    _frame: pd.DataFrame,
    _churned: pd.Series | None,
) -> pd.DataFrame:
    return get_correlations(_frame, list(columns), _churned, label_name=label_name)


@st.cache_data(max_entries=8, show_spinner=False)
def missing(key: str, _frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return get_missing_summary(_frame), get_missing_map(_frame)
