"""A customer as form fields built from the model's inputs, prefilled from data or the typical
customer (one real training customer at the explanations' base risk, saved on the model card:
the same customer and risk as the waterfall's first bar).

Fields live in session state under ``"<prefix>:<column>"``: the form and the what-if form
each have a prefix, and filling one is writing its keys before the widgets are drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from churn_core.explain import TypicalCustomer, format_value
from churn_core.model import TYPICAL_NAME
from churn_core.schema import BLANK, FeatureSchema, get_feature_frame
from ui.state import Dataset

#: Ids offered in the picker, most at risk first (typing filters them).
MAX_PICKER_IDS = 5_000
TYPICAL = TYPICAL_NAME
FROM_DATA = "A customer from your data"
_RANK = "score_customer_rank"  # the picker's widget: a rank in the list shown
_PICKED = "score_customer_row"  # (data key, row position): who was picked, whatever the order


def field_key(prefix: str, column: str) -> str:
    return f"{prefix}:{column}"


def fill_fields(prefix: str, schema: FeatureSchema, customer: Mapping[str, Any]) -> None:
    """Write a customer's values into the fields (call before the fields are drawn)."""
    for column in schema.columns:
        st.session_state[field_key(prefix, column)] = _field_value(
            schema, column, customer.get(column)
        )


def customer_fields(
    prefix: str,
    schema: FeatureSchema,
    typical: Mapping[str, Any],
    columns: int = 3,
    *,
    follows: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Draw one field per model input; returns ``{column: value}`` (None for an empty number).

    Fields start as ``typical`` (the model's typical customer) when empty; ``follows`` names
    derived columns (column -> how it is derived), whose help says so.
    """
    if not has_fields(prefix, schema):
        fill_fields(prefix, schema, typical)
    slots = st.columns(columns)
    out: dict[str, Any] = {}
    for k, column in enumerate(schema.columns):
        key = field_key(prefix, column)
        with slots[k % columns]:
            if column in schema.categorical:
                options = list(schema.levels.get(column, [])) or [BLANK]
                if st.session_state[key] not in options:
                    options.append(st.session_state[key])  # a value the model never saw
                st.selectbox(column, options, key=key)
            else:
                ranges = schema.ranges.get(column, {})
                whole = ranges.get("whole") == 1.0
                step = ranges.get("step", 0.01)
                st.number_input(
                    column,
                    step=1 if whole else step,
                    format="%d" if whole else None if step >= 0.01 else "%.4f",
                    key=key,
                    placeholder="unknown",
                    help=_follows_help(column, follows) or _number_help(ranges),
                )
        out[column] = st.session_state[key]
    return out


def pick_customer(
    schema: FeatureSchema,
    dataset: Dataset | None,
    ranked_ids: pd.Series | None,
    typical: TypicalCustomer,
) -> None:
    """ "Start from": the typical customer or one from the data; fills the form's fields."""
    choices = [TYPICAL] if dataset is None or ranked_ids is None else [TYPICAL, FROM_DATA]
    start = st.radio(
        "Start from",
        choices,
        horizontal=True,
        key="score_start",
        help=typical.help,
    )
    chosen: tuple[str, str, int] = (TYPICAL, "", -1)
    customer: Mapping[str, Any] = typical.values
    if start == FROM_DATA and dataset is not None and ranked_ids is not None:
        ids = ranked_ids.astype(str).to_numpy()
        shown = min(len(ids), MAX_PICKER_IDS)
        # The picked customer keeps their place in the picker when new values reorder the list.
        picked = st.session_state.get(_PICKED)
        if picked is not None and picked[0] == dataset.key:
            now = np.flatnonzero(ranked_ids.index[:shown] == picked[1])
            if len(now):
                st.session_state[_RANK] = int(now[0])
        rank = st.selectbox(  # by rank, not by id: an id column may repeat a value
            f"{ranked_ids.name} (most at risk first; type to search)",
            range(shown),
            format_func=lambda k: ids[k],
            key=_RANK,
            on_change=_remember_pick,
            args=(dataset.key, ranked_ids),
            help=f"The {shown:,} customers most at risk." if len(ranked_ids) > shown else None,
        )
        position = int(ranked_ids.index[rank])
        st.session_state[_PICKED] = (dataset.key, position)
        chosen = (FROM_DATA, dataset.key, position)
        customer = _customer_at(dataset, schema, position)
    # Refill on a new choice, and when Streamlit dropped the fields (their page was not shown).
    if st.session_state.get("score_loaded") != chosen or not has_fields("score", schema):
        st.session_state["score_loaded"] = chosen
        fill_fields("score", schema, customer)


def has_fields(prefix: str, schema: FeatureSchema) -> bool:
    return all(field_key(prefix, c) in st.session_state for c in schema.columns)


def prefill_score_page(data_key: str, position: int) -> None:
    """Make the Score a customer page open on the customer in row ``position`` of the data;
    a button's callback."""
    st.session_state["score_start"] = FROM_DATA
    st.session_state[_PICKED] = (data_key, position)


def _remember_pick(data_key: str, ranked_ids: pd.Series) -> None:
    st.session_state[_PICKED] = (data_key, int(ranked_ids.index[st.session_state[_RANK]]))


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """``Contract: Month-to-month → One year`` for each field that differs."""
    return [
        f"{column}: {format_value(before[column])} → {format_value(after[column])}"
        for column in before
        if not _same(before[column], after.get(column))
    ]


def _customer_at(dataset: Dataset, schema: FeatureSchema, position: int) -> dict[str, Any]:
    row = get_feature_frame(dataset.frame.iloc[[position]], schema)
    return {c: row[c].iloc[0] for c in schema.columns}


def _field_value(schema: FeatureSchema, column: str, value: Any) -> Any:
    if column in schema.categorical:
        return BLANK if value is None or (isinstance(value, float) and np.isnan(value)) else value
    if value is None or pd.isna(value):
        return None
    whole = schema.ranges.get(column, {}).get("whole") == 1.0
    return round(float(value)) if whole else float(value)


def _follows_help(column: str, follows: Mapping[str, str] | None) -> str | None:
    if not follows or column not in follows:
        return None
    return (
        f"{follows[column]}: it follows those columns. Change them and it is recomputed; "
        "changed alone it describes no real customer."
    )


def _number_help(ranges: Mapping[str, float]) -> str | None:
    if not ranges:
        return None
    return (
        f"Most customers: {format_value(ranges['p10'])} to {format_value(ranges['p90'])} "
        f"(typical {format_value(ranges['median'])}; seen {format_value(ranges['min'])} to "
        f"{format_value(ranges['max'])}). Leave empty if unknown."
    )


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return bool(a == b)
