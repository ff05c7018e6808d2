"""Editing the action plan: which columns are actionable, and what to do about each reason.

Edits are applied to the session's plan as they happen and the editor starts again from the
saved plan, so they survive a visit to another page (Streamlit forgets a widget's own state
when its page is not shown).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from churn_core.model import ChurnModel
from churn_core.workspace import ACTION_PLAN
from ui.explain_state import action_plan, actionable_columns, set_action_plan
from ui.model_state import model_key
from ui.settings_state import frame_records, save_button
from ui.state import current_dataset

_VERSION = "action_editor_version"


def action_editor(model: ChurnModel) -> None:
    """Two tables: the actionable columns (tick or untick), then the actions for them."""
    actionable, actions = action_plan(model)
    version = st.session_state.get(_VERSION, 0)
    base = f"{model_key(model)}|{version}"
    st.markdown(
        "**Actionable** columns are ones your business can change for a customer (plan, price, "
        "contract, support, usage, payment method), unlike age or region. Only they lead to "
        "a recommended action. The first guess comes from the column names and values."
    )
    with st.container():
        st.data_editor(
            actionable,
            key=f"actionable|{base}",
            on_change=_apply,
            args=(model, f"actionable|{base}", None),
            hide_index=True,
            disabled=["column", "why"],
            width="stretch",
            column_config={
                "column": "Column",
                "actionable": st.column_config.CheckboxColumn("Can act on it"),
                "why": "Why we guessed so",
            },
        )
    shown = actions.index[actions["column"].isin(actionable_columns(model))]
    with st.container():
        st.data_editor(
            actions.loc[shown],
            key=f"actions|{base}",
            on_change=_apply,
            args=(model, f"actions|{base}", shown),
            hide_index=True,
            disabled=["column", "when"],
            width="stretch",
            column_config={
                "column": "Column",
                "when": st.column_config.TextColumn(
                    "When it is", help="A value of the column, or high / low for a number."
                ),
                "action": st.column_config.TextColumn("Recommended action", width="large"),
            },
        )
    st.caption(
        "Edit any action's text; leave one empty to skip that reason. A customer's action is "
        "the one for their strongest actionable reason."
    )
    save_button(
        "Save this plan",
        "action plan",
        ACTION_PLAN,
        current_dataset(),
        lambda: {
            "actionable": frame_records(action_plan(model)[0]),
            "actions": frame_records(action_plan(model)[1]),
        },
        key="save_action_plan",
    )


def _apply(model: ChurnModel, key: str, shown: pd.Index | None) -> None:
    """Apply the editor's changed cells to the saved plan, then start the editor afresh."""
    actionable, actions = (frame.copy() for frame in action_plan(model))
    target = actionable if shown is None else actions
    labels = target.index if shown is None else shown
    for row, changes in st.session_state[key].get("edited_rows", {}).items():
        for column, value in changes.items():
            target.loc[labels[int(row)], column] = "" if value is None else value
    set_action_plan(model, actionable, actions)
    st.session_state[_VERSION] = st.session_state.get(_VERSION, 0) + 1
