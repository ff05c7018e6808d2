"""Editing the action plan: the levers (which columns a business can act on, what kind of lever
each is and which moves it allows), and what to do about each reason.

Edits are applied to the session's plan as they happen and the editor starts again from the
saved plan, so they survive a visit to another page (Streamlit forgets a widget's own state
when its page is not shown). A lever whose kind or direction changes gets its actions worded
afresh for that kind.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from churn_core.explain import DIRECTIONS, LEVER_KINDS, Explanation, get_action_plan
from churn_core.model import ChurnModel
from churn_core.workspace import ACTION_PLAN
from ui.explain_state import action_plan, actionable_columns, plan_sample, set_action_plan
from ui.feedback import escape_markdown
from ui.model_state import model_key
from ui.settings_state import frame_records, save_button
from ui.state import current_dataset

_VERSION = "action_editor_version"
#: What the user reads for an empty kind: the column is about the customer, not a lever.
NO_KIND = ""
_CHOSEN = "you chose this"


def action_editor(model: ChurnModel) -> None:
    """Two tables: the levers (tick, kind, direction), then the actions for them."""
    levers, actions = action_plan(model)
    version = st.session_state.get(_VERSION, 0)
    base = f"{model_key(model)}|{version}"
    st.markdown(
        "**Levers** are columns your business can change for a customer (price, plan or "
        "contract, products, support, usage, payment), unlike age or region. Only they lead to "
        "a recommended action, and the what-if on *Score a customer* moves them only in their "
        "**direction** (a price only down, a contract only longer, a product only added). The "
        "first guess comes from the column names and values: correct any row."
    )
    with st.container():
        st.data_editor(
            levers,
            key=f"levers|{base}",
            on_change=_apply,
            args=(model, f"levers|{base}", None),
            hide_index=True,
            disabled=["column", "why"],
            width="stretch",
            column_config={
                "column": "Column",
                "actionable": st.column_config.CheckboxColumn("Can act on it"),
                "kind": st.column_config.SelectboxColumn(
                    "Kind of lever",
                    options=[NO_KIND, *LEVER_KINDS],
                    help="What the column is about for a business; the actions are worded by it.",
                ),
                "direction": st.column_config.SelectboxColumn(
                    "Allowed moves",
                    options=list(DIRECTIONS),
                    required=True,
                    help="; ".join(f"{k}: {v}" for k, v in DIRECTIONS.items()),
                ),
                "why": st.column_config.TextColumn("Why we guessed so", width="large"),
            },
        )
    derived = model.schema.derived
    if derived:
        st.caption(
            "Never levers, whatever the table says: "
            + "; ".join(escape_markdown(why) for why in derived.values())
            + ". They follow other columns, so no one changes them on their own."
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
    levers, actions = (frame.copy() for frame in action_plan(model))
    target = levers if shown is None else actions
    labels = target.index if shown is None else shown
    reworded: set[str] = set()
    for row, changes in st.session_state[key].get("edited_rows", {}).items():
        label = labels[int(row)]
        for column, value in changes.items():
            target.loc[label, column] = "" if value is None else value
        if shown is None:
            levers.loc[label, "why"] = _CHOSEN
            if {"kind", "direction"} & set(changes):
                reworded.add(str(levers.loc[label, "column"]))
    if reworded:
        actions = reword_actions(model, levers, actions, reworded, plan_sample(model))
    set_action_plan(model, levers, actions)
    st.session_state[_VERSION] = st.session_state.get(_VERSION, 0) + 1


def reword_actions(
    model: ChurnModel,
    levers: pd.DataFrame,
    actions: pd.DataFrame,
    columns: set[str],
    sample: Explanation | None = None,
) -> pd.DataFrame:
    """The action table with the rows of ``columns`` worded afresh from the edited levers (the
    other rows, maybe edited by hand, kept), in the model's column order."""
    _, fresh = get_action_plan(model, sample, levers=levers)
    kept = actions[~actions["column"].isin(columns)]
    new = fresh[fresh["column"].isin(columns)]
    order = {c: k for k, c in enumerate(model.schema.columns)}
    merged = pd.concat([kept, new], ignore_index=True)
    rank = merged["column"].map(order)
    return merged.iloc[rank.argsort(kind="stable")].reset_index(drop=True)
