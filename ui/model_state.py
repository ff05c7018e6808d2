"""The model a session uses: the shipped default until the user trains one on their data."""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from churn_core.columns import CHURN_PROBABILITY
from churn_core.errors import ChurnDataError, Problem
from churn_core.model import (
    ChurnModel,
    Policy,
    Progress,
    fit_churn_model,
    get_mismatches,
    load_model,
)
from churn_core.risk import (
    AtRiskList,
    CustomerScores,
    rank_customers,
    score_customers,
    value_customers,
)
from churn_core.survival import ClvAssumptions
from ui.events import logs_scoring, logs_training
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
    """Tells models apart in caches (shared by every session of the server): when and on what
    data it was trained, and what it learned from (the label and the features, which follow the
    user's roles)."""
    card = model.card
    learned = json.dumps([card["label"], card["features"]], sort_keys=True, default=str)
    digest = hashlib.sha1(learned.encode()).hexdigest()[:16]
    return f"{card['trained_at']}|{card['data']['fingerprint']}|{digest}"


@logs_training
def train(dataset: Dataset, progress: Progress) -> ChurnModel:
    """Train on the session's data (raises ChurnDataError with every problem)."""
    model = fit_churn_model(dataset.frame, dataset.profile, progress=progress)
    model.card["data"]["name"] = dataset.name
    st.session_state[_KEY] = model
    return model


def use_trained(model: ChurnModel) -> None:
    """Put a model trained in this session in use (a log's, from ``ui.log_state.train``)."""
    st.session_state[_KEY] = model


def model_source(model: ChurnModel) -> str:
    """Where the model in use came from, for the page, Home and the sidebar."""
    if is_default(model):
        return "the bundled model, trained on the sample data"
    return f"trained on {model.card['data'].get('name', 'your data')}"


def mismatch(model: ChurnModel, dataset: Dataset) -> list[Problem]:
    """Why this model cannot score this data as it is now set up (empty when it can)."""
    return get_mismatches(model, dataset.frame, dataset.profile)


_CLV_KEY = "clv_assumptions"


def clv_assumptions() -> ClvAssumptions | None:
    """The CLV assumptions the user set on the Retention & CLV page (None: the model's)."""
    return st.session_state.get(_CLV_KEY)


def set_clv_assumptions(assumptions: ClvAssumptions) -> None:
    st.session_state[_CLV_KEY] = assumptions


def customer_scores(dataset: Dataset, model: ChurnModel) -> CustomerScores:
    """Step 1, features -> probabilities: every row scored once per data and model."""
    return _scores(dataset.key, model_key(model), dataset.profile.id_column, model, dataset.frame)


def customer_values(dataset: Dataset, model: ChurnModel) -> np.ndarray:
    """Step 2, each row's value (CLV) under the session's assumptions (see ``clv_assumptions``):
    new assumptions re-value without re-scoring."""
    assumptions = clv_assumptions()
    return _values(
        dataset.key, model_key(model), _assumptions_key(), model, dataset.frame, assumptions
    )


def at_risk_list(dataset: Dataset, model: ChurnModel, policy: Policy) -> AtRiskList:
    """Step 3, ranking and policy: the list of the data's customers still with you."""
    return _ranked(
        dataset.key,
        model_key(model),
        _assumptions_key(),
        astuple(policy),
        customer_scores(dataset, model),
        customer_values(dataset, model),
        model,
        policy,
    )


def _assumptions_key() -> tuple[object, ...] | None:
    assumptions = clv_assumptions()
    return None if assumptions is None else astuple(assumptions)


@st.cache_data(max_entries=8, show_spinner="Scoring every customer...")
@logs_scoring
def _scores(
    data_key: str, model_key: str, id_column: str | None, _model: ChurnModel, _frame: pd.DataFrame
) -> CustomerScores:
    return score_customers(_model, _frame, id_column=id_column)


@st.cache_data(max_entries=8, show_spinner="Working out what each customer is worth...")
def _values(
    data_key: str,
    model_key: str,
    assumptions_key: tuple[object, ...] | None,
    _model: ChurnModel,
    _frame: pd.DataFrame,
    _assumptions: ClvAssumptions | None,
) -> np.ndarray:
    return value_customers(_model, _frame, _assumptions)


@st.cache_data(max_entries=16, show_spinner=False)
def _ranked(
    data_key: str,
    model_key: str,
    assumptions_key: tuple[object, ...] | None,
    policy_key: tuple[object, ...],
    _scores: CustomerScores,
    _values: np.ndarray,
    _model: ChurnModel,
    _policy: Policy,
) -> AtRiskList:
    return rank_customers(_model, _scores, _values, policy=_policy)


def reference_scores(
    dataset: Dataset, model: ChurnModel
) -> tuple[np.ndarray, pd.Series | None, str]:
    """Scores to compare one customer with: the data's when the model can score it (with its
    ids, most at risk first, indexed by row position), else the held-out test customers."""
    scored = None if mismatch(model, dataset) else at_risk_list(dataset, model, Policy())
    if scored is not None and len(scored.frame):  # empty when every customer already left
        ids = pd.Series(
            scored.frame[scored.id_column].to_numpy(),
            index=scored.positions,
            name=scored.id_column,
        )
        among = f"{'still with you ' if scored.left_out else ''}in {dataset.name}"
        return scored.frame[CHURN_PROBABILITY].to_numpy(), ids, among
    if model.evaluation is not None:
        return model.evaluation.p_test, None, "among the customers the model was tested on"
    return np.array([]), None, ""


def scores_by_row(dataset: Dataset) -> tuple[str, np.ndarray | None, np.ndarray | None]:
    """Each row's churn probability and customer value (CLV) in the data's own row order, with
    a key for caching; ("", None, None) when the model in use cannot score this data."""
    model = current_model()
    if model is None or mismatch(model, dataset):
        return "", None, None
    key = f"{model_key(model)}|{_assumptions_key()}"
    return key, customer_scores(dataset, model).p, customer_values(dataset, model)
