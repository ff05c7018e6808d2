"""Explanations a session uses: the explainer per model, the drivers per data, the action plan.

Explaining is the costly part (shap's import alone takes seconds), so each result is computed
once per data and model and reused on every rerun and page.
"""

from __future__ import annotations

from dataclasses import astuple

import numpy as np
import pandas as pd
import streamlit as st
from pandas.util import hash_pandas_object

from churn_core.actions import get_default_actions, get_risky_levels, guess_actionable
from churn_core.columns import RISK_BAND
from churn_core.explain import ChurnExplainer, Explanation
from churn_core.model import ChurnModel
from churn_core.policies import Policy
from churn_core.reasons import add_reasons
from churn_core.scoring import AtRiskList, add_segments
from ui.model_state import at_risk_list, clv_assumptions, model_key
from ui.segment_state import current_segmentation
from ui.state import Dataset

#: Customers explained for the drivers charts: plenty for stable averages, fast for any model.
DRIVER_SAMPLE = 2_000
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


def action_plan(
    model: ChurnModel, sample: Explanation | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The session's (actionable columns, action table) for this model; guessed the first time.

    ``sample`` (the drivers explanation) lets the guess leave out category values that lower
    risk. Pages change the plan with ``set_action_plan``.
    """
    plans = st.session_state.setdefault(_PLAN_KEY, {})
    key = model_key(model)
    if key not in plans:
        risky = None if sample is None else get_risky_levels(sample)
        plans[key] = (
            guess_actionable(model.schema),
            get_default_actions(model.schema, model.schema.columns, risky),
        )
    return plans[key]


def set_action_plan(model: ChurnModel, actionable: pd.DataFrame, actions: pd.DataFrame) -> None:
    st.session_state.setdefault(_PLAN_KEY, {})[model_key(model)] = (actionable, actions)


def actionable_columns(model: ChurnModel) -> list[str]:
    actionable, _ = action_plan(model)
    return actionable.loc[actionable["actionable"].astype(bool), "column"].tolist()


def active_actions(model: ChurnModel) -> pd.DataFrame:
    """The action table limited to the columns the user marks actionable."""
    _, actions = action_plan(model)
    return actions[actions["column"].isin(actionable_columns(model))]


def explained_list(
    dataset: Dataset, model: ChurnModel, policy: Policy, bands: list[str]
) -> tuple[AtRiskList, tuple[object, ...]]:
    """The at-risk list with segments, and reasons and actions for the customers in the shown
    bands; and a key for everything it depends on (for the downloads' cache)."""
    scored = at_risk_list(dataset, model, policy)
    segments = current_segmentation(fit_if_missing=True)
    names = None if segments is None else segments.segments_.reindex(dataset.frame.index)
    if names is not None:
        scored = add_segments(scored, names.to_numpy())
    actions = active_actions(model)
    key = (
        dataset.key,
        model_key(model),
        astuple(policy),
        tuple(bands),
        tuple(map(tuple, actions.astype(str).to_numpy())),
        None if names is None else int(hash_pandas_object(names, index=False).sum()),
        astuple(clv_assumptions()) if clv_assumptions() else None,
    )
    return _explained(key, tuple(bands), scored, dataset.frame, model, actions), key


@st.cache_data(max_entries=8, show_spinner="Finding the reasons for each customer...")
def _explained(
    key: tuple[object, ...],
    bands: tuple[str, ...],
    _scored: AtRiskList,
    _frame: pd.DataFrame,
    _model: ChurnModel,
    _actions: pd.DataFrame,
) -> AtRiskList:
    rows = _scored.frame[RISK_BAND].isin(bands).to_numpy()
    return add_reasons(_scored, _frame, explainer(_model), _actions, rows=rows)
