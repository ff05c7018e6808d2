"""Showing a customer frame as a user knows it: spreadsheet row numbers, plain dates."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st


def preview_frame(frame: pd.DataFrame, rows: int = 200) -> pd.DataFrame:
    """The first rows, indexed by spreadsheet row number (header = row 1)."""
    head = frame.head(rows).copy()
    head.index = pd.RangeIndex(2, 2 + len(head), name="Row")
    return head


def date_columns(frame: pd.DataFrame) -> dict[str, Any]:
    """Column config that shows datetime columns as 2024-01-31 rather than with a time."""
    return {
        name: st.column_config.DateColumn(name, format="YYYY-MM-DD")
        for name in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[name])
    }
