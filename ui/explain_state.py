"""Explanations a session uses: the explainer per model, the drivers per data, the action plan.

Explaining is the costly part (a second or more for thousands of customers), so each result is
computed once per data and model and reused on every rerun and page.
"""

from __future__ import annotations

import hashlib
from dataclasses import astuple

import numpy as np
import pandas as pd
import streamlit as st

from churn_core.columns import RISK_BAND
from churn_core.explain import ChurnExplainer, Explanation, get_action_plan, get_active_actions
from churn_core.model import ChurnModel, Policy
from churn_core.risk import AtRiskList, add_segments, explain_list, fill_reasons
from churn_core.workspace import ACTION_PLAN
from ui.model_state import at_risk_list, clv_assumptions, mismatch, model_key
from ui.segment_state import current_segmentation
from ui.settings_state import load_kind_setting, overlay
from ui.state import Dataset, current_dataset

#: Customers explained for the drivers charts: plenty for stable averages, fast for any model.
DRIVER_SAMPLE = 2_000
#: Rows of the shown list that get reasons (the top ones): about 10 s for gradient boosting.
MAX_EXPLAINED_ROWS = 20_000
_PLAN_KEY = "action_plan"


@st.cache_resource(max_entries=4, show_spinner="Preparing explanations...")
def _explainer(key: str, _model: ChurnModel) -> ChurnExplainer:
    return ChurnExplainer(_model)


def explainer(model: ChurnModel) -> ChurnExplainer:
    """The model's explainer, built once and shared (never mutated)."""
    return _explainer(model_key(model), model)


def drivers(dataset: Dataset, model: ChurnModel) -> Explanation:
    """Explanations for a fixed random sample of the data's customers (the drivers charts)."""
    return _drivers(dataset.key, model_key(model), model, dataset.frame)


@st.cache_data(max_entries=4, show_spinner="Working out what drives risk...")
def _drivers(
    data_key: str, model_key: str, _model: ChurnModel, _frame: pd.DataFrame
) -> Explanation:
    rows = np.random.default_rng(0).permutation(len(_frame))[:DRIVER_SAMPLE]
    return explainer(_model).explain(_frame.iloc[np.sort(rows)])


def action_plan(model: ChurnModel) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The session's (lever table, action table) for this model; guessed the first time.

    The lever table has a row per model column: ``actionable``, its ``kind`` and allowed
    ``direction`` (see ``churn_core.explain.guess_levers``). When the model can score the
    session's data, the guess gives default actions only to category values that raise risk
    among its customers (the drivers sample); a plan saved for data like this one overrides
    the guess where they share columns and values. Pages change the plan with
    ``set_action_plan``.
    """
    plans = st.session_state.setdefault(_PLAN_KEY, {})
    key = model_key(model)
    if key not in plans:
        levers, actions = get_action_plan(model, plan_sample(model))
        saved = load_kind_setting(ACTION_PLAN, current_dataset())  # saved for data like this
        if isinstance(saved, dict):
            levers = overlay(
                levers, saved.get("actionable"), ["column"], ["actionable", "kind", "direction"]
            )
            actions = overlay(actions, saved.get("actions"), ["column", "when"], ["action"])
        plans[key] = (levers, actions)
    return plans[key]


def plan_sample(model: ChurnModel) -> Explanation | None:
    """The explained customers default actions are chosen from (None when the model cannot
    score the session's data)."""
    dataset = current_dataset()
    return None if mismatch(model, dataset) else drivers(dataset, model)


def lever_table(model: ChurnModel) -> pd.DataFrame:
    """The session's lever table for this model, as the user left it: what the what-if may
    move, and in which direction."""
    return action_plan(model)[0]


def set_action_plan(model: ChurnModel, actionable: pd.DataFrame, actions: pd.DataFrame) -> None:
    st.session_state.setdefault(_PLAN_KEY, {})[model_key(model)] = (actionable, actions)


def actionable_columns(model: ChurnModel) -> list[str]:
    actionable, _ = action_plan(model)
    return actionable.loc[actionable["actionable"].astype(bool), "column"].tolist()


def active_actions(model: ChurnModel) -> pd.DataFrame:
    """The action table limited to the columns the user marks actionable."""
    return get_active_actions(*action_plan(model))


def explained_list(
    dataset: Dataset, model: ChurnModel, policy: Policy, bands: list[str]
) -> tuple[AtRiskList, tuple[object, ...]]:
    """The at-risk list with segments, and reasons and actions for the customers in the shown
    bands (the first ``MAX_EXPLAINED_ROWS`` of them); and a key for everything it depends on
    (for the downloads' cache)."""
    scored = at_risk_list(dataset, model, policy)
    with st.spinner("Finding segments..."):
        segments = current_segmentation(fit_if_missing=True)
    names = None if segments is None else segments.segments_.reindex(dataset.frame.index)
    if names is not None:
        scored = add_segments(scored, names.to_numpy())
    rows = scored.frame[RISK_BAND].isin(bands).to_numpy()
    rows &= np.cumsum(rows) <= MAX_EXPLAINED_ROWS
    assumptions = clv_assumptions()  # values order the list, so they key its explanation
    list_key = (
        dataset.key,
        model_key(model),
        astuple(policy),
        tuple(bands),
        None if assumptions is None else astuple(assumptions),
    )
    explanation = _list_explanation(list_key, scored, dataset.frame, model, rows)
    actions = active_actions(model)
    key = (
        *list_key,
        tuple(map(tuple, actions.astype(str).to_numpy())),
        None if names is None else hashlib.sha1(names.to_numpy(str).tobytes()).hexdigest(),
    )
    if explanation is None:
        return scored, key
    return _filled(key, scored, rows, explanation, model, actions), key


@st.cache_data(max_entries=4, show_spinner="Finding the reasons for each customer...")
def _list_explanation(
    key: tuple[object, ...],
    _scored: AtRiskList,
    _frame: pd.DataFrame,
    _model: ChurnModel,
    _rows: np.ndarray,
) -> Explanation | None:
    """The costly part, done once per list: editing an action does not explain again."""
    return explain_list(_scored, _frame, explainer(_model), _rows) if _rows.any() else None


@st.cache_data(max_entries=8, show_spinner=False)
def _filled(
    key: tuple[object, ...],
    _scored: AtRiskList,
    _rows: np.ndarray,
    _explanation: Explanation,
    _model: ChurnModel,
    _actions: pd.DataFrame,
) -> AtRiskList:
    return fill_reasons(_scored, _rows, _explanation, _model.schema, _actions)
