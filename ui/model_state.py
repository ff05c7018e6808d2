"""The model a session uses: the shipped default until the user trains one on their data."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

import pandas as pd
import streamlit as st

from churn_core.bundle import check_columns, load_model
from churn_core.errors import ChurnDataError, Problem
from churn_core.model import ChurnModel
from churn_core.policies import Policy
from churn_core.scoring import AtRiskList, score_customers
from churn_core.training import Progress, fit_churn_model
from ui.state import Dataset

DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "models" / "default"
_KEY = "model"


@st.cache_resource(show_spinner=False)
def _default_model() -> ChurnModel | None:
    try:
        return load_model(DEFAULT_MODEL)
    except ChurnDataError:
        return None  # the page says there is no model yet


def current_model() -> ChurnModel | None:
    """The session's trained model, else the default bundle trained on the sample."""
    return st.session_state.get(_KEY) or _default_model()


def is_default(model: ChurnModel) -> bool:
    """True for the bundled model trained on the sample (not one the user trained)."""
    return model is _default_model()


def model_key(model: ChurnModel) -> str:
    return f"{model.card['trained_at']}|{model.card['data']['fingerprint']}"


def train(dataset: Dataset, progress: Progress) -> ChurnModel:
    """Train on the session's data (raises ChurnDataError with every problem)."""
    model = fit_churn_model(dataset.frame, dataset.profile, progress=progress)
    model.card["data"]["name"] = dataset.name
    st.session_state[_KEY] = model
    return model


def mismatch(model: ChurnModel, frame: pd.DataFrame) -> list[Problem]:
    """Why this model cannot score this table (empty when it can)."""
    try:
        check_columns(model, frame)
    except ChurnDataError as error:
        return error.problems
    return []


def at_risk_list(dataset: Dataset, model: ChurnModel, policy: Policy) -> AtRiskList:
    return _scored(
        dataset.key,
        model_key(model),
        astuple(policy),
        dataset.profile.id_column,
        model,
        dataset.frame,
        policy,
    )


@st.cache_data(max_entries=16, show_spinner="Scoring every customer...")
def _scored(
    data_key: str,
    model_key: str,
    policy_key: tuple[object, ...],
    id_column: str | None,
    _model: ChurnModel,
    _frame: pd.DataFrame,
    _policy: Policy,
) -> AtRiskList:
    return score_customers(_model, _frame, policy=_policy, id_column=id_column)
