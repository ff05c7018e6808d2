"""The model a session uses: the one in use in the workspace for its kind of data, else the
shipped default (trained on the sample).

The workspace keeps one model *in use* per kind of data (the same columns, label aside); every
session with such data uses it, and a change (a training, a choice on the Churn risk or
Workspace page) shows everywhere within ``IN_USE_SECONDS``, at once in the session that made
it. Models are read from the database once per server and shared (``MAX_MODELS`` at a time),
after their signature checks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import astuple, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from churn_core.columns import CHURN_PROBABILITY
from churn_core.errors import ChurnDataError, Problem
from churn_core.model import (
    ChurnModel,
    Policy,
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
from churn_core.workspace import (
    CLV_ASSUMPTIONS,
    ModelRecord,
    Workspace,
    find_model_in_use,
    load_registered_model,
    save_at_risk_list,
)
from ui.events import logs_scoring
from ui.settings_state import load_kind_setting
from ui.state import Dataset, current_dataset
from ui.workspace_state import ask, is_unreachable, last_workspace, workspace, workspace_key

DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "models" / "default"
#: Seconds a session may go on with the model in use it last saw (another session's change).
IN_USE_SECONDS = 3
#: Models from the workspace held in the server's memory at once.
MAX_MODELS = 4
_SEEN = "model_in_use_seen"  # columns -> the ModelRecord this session last saw in use
_PROBLEM = "model_problem"  # a kept model that could not be loaded, for the sidebar


@st.cache_resource(show_spinner=False)
def _default_model() -> ChurnModel | None:
    try:
        return load_model(DEFAULT_MODEL)
    except ChurnDataError:
        return None  # the page says there is no model yet


@st.cache_data(ttl=IN_USE_SECONDS, max_entries=64, show_spinner=False)
def _in_use(key: str, columns: tuple[str, ...], _workspace: Workspace) -> ModelRecord | None:
    return find_model_in_use(_workspace, columns)


@st.cache_resource(max_entries=MAX_MODELS, show_spinner="Loading the model...")
def _registered(key: str, model_id: int, trained_at: str, _workspace: Workspace) -> ChurnModel:
    return load_registered_model(_workspace, model_id)


def load_model_record(record: ModelRecord) -> ChurnModel:
    """A kept model, loaded once per server after its signature checks (raises
    ChurnDataError when it does not, or the workspace is away)."""
    held = last_workspace()
    if held is None:
        raise ChurnDataError(
            [Problem("The workspace cannot be reached.", code="database_unreachable")]
        )
    return ask(_registered, workspace_key(), record.id, record.trained_at.isoformat(), held)


def forget_models_in_use() -> None:
    """After this session changed the model in use: every page sees the change in this run."""
    _in_use.clear()


@dataclass(frozen=True)
class InUseModel:
    """The model a session's data is scored with, and its workspace record (None: bundled)."""

    model: ChurnModel | None
    record: ModelRecord | None


def model_in_use(dataset: Dataset | None = None) -> InUseModel:
    """The model in use for the data's kind in the workspace, else the bundled default.

    While the workspace is away, the one this session saw last (if the server still holds it).
    A kept model that cannot be loaded (its signature does not check) is refused: the bundled
    default stands in and :func:`model_problem` says why.
    """
    dataset = dataset or current_dataset()
    columns = tuple(str(c) for c in dataset.frame.columns)
    seen: dict[tuple[str, ...], ModelRecord | None] = st.session_state.setdefault(_SEEN, {})
    record = seen.get(columns)
    ws = workspace()
    if ws is not None:
        try:
            record = ask(_in_use, workspace_key(), columns, ws)
            seen[columns] = record
        except ChurnDataError:
            pass  # the workspace went away: the one seen last
    if record is not None:
        try:
            model = load_model_record(record)
        except ChurnDataError as error:
            if not is_unreachable(error):
                st.session_state[_PROBLEM] = (record.id, error)
        else:
            st.session_state.pop(_PROBLEM, None)
            return InUseModel(model, record)
    return InUseModel(_default_model(), None)


def model_problem() -> tuple[int, ChurnDataError] | None:
    """A kept model in use that could not be loaded: its id and why (None when all is well)."""
    problem = st.session_state.get(_PROBLEM)
    return problem if isinstance(problem, tuple) else None


def current_model() -> ChurnModel | None:
    """The model in use for the session's data (see :func:`model_in_use`)."""
    return model_in_use().model


def is_default(model: ChurnModel) -> bool:
    """True for the bundled model trained on the sample (not one trained in the workspace)."""
    return model is _default_model()


def model_key(model: ChurnModel) -> str:
    """Tells models apart in caches (shared by every session of the server): when and on what
    data it was trained, and what it learned from (the label and the features, which follow the
    user's roles)."""
    card = model.card
    learned = json.dumps([card["label"], card["features"]], sort_keys=True, default=str)
    digest = hashlib.sha1(learned.encode()).hexdigest()[:16]
    return f"{card['trained_at']}|{card['data']['fingerprint']}|{digest}"


def model_source(model: ChurnModel) -> str:
    """Where the model in use came from, for the page, Home and the sidebar."""
    if is_default(model):
        return "the bundled model, trained on the sample data"
    record = model_in_use().record
    if record is not None and record.trained_at.isoformat() == model.card.get("trained_at"):
        return (
            f"model {record.id} in the workspace, trained on {record.dataset_name} "
            f"{record.trained_at:%Y-%m-%d %H:%M} UTC"
        )
    return f"trained on {model.card['data'].get('name', 'your data')}"


def mismatch(model: ChurnModel, dataset: Dataset) -> list[Problem]:
    """Why this model cannot score this data as it is now set up (empty when it can)."""
    return get_mismatches(model, dataset.frame, dataset.profile)


_DELIVERED = "lists_delivered"


def keep_delivered_list(
    dataset: Dataset, policy: Policy, at_risk: AtRiskList, shown: pd.DataFrame, key: object
) -> Callable[[], None]:
    """A download button's callback that keeps the list as delivered (the rows shown, the
    policy, the data and the model) in the workspace, once per list on screen."""

    def keep() -> None:
        delivered: set[str] = st.session_state.setdefault(_DELIVERED, set())
        fingerprint = hashlib.sha1(repr(key).encode()).hexdigest()
        if fingerprint in delivered:
            return
        ws = workspace()
        if ws is None:
            st.toast("Downloaded, but not kept: the workspace cannot be reached right now.")
            return
        record = model_in_use(dataset).record
        try:
            kept = ask(
                save_at_risk_list,
                ws,
                at_risk,
                policy=policy,
                model_id=None if record is None else record.id,
                dataset_id=dataset.dataset_id,
                data_name=dataset.name,
                rows=shown,
            )
        except ChurnDataError as error:
            st.toast(f"Downloaded, but not kept in the workspace: {error}")
            return
        delivered.add(fingerprint)
        st.toast(f"Kept in the workspace as list {kept.id}, with its data, model and policy.")

    return keep


_CLV_KEY = "clv_assumptions"


def clv_assumptions() -> ClvAssumptions | None:
    """The CLV assumptions this session is trying (Retention & CLV page), else the ones saved
    for its kind of data, else None (the model's)."""
    tried = st.session_state.get(_CLV_KEY)
    if isinstance(tried, ClvAssumptions):
        return tried
    saved = load_kind_setting(CLV_ASSUMPTIONS, current_dataset())
    if isinstance(saved, dict):
        try:
            return ClvAssumptions(**saved)
        except (TypeError, ValueError):
            return None  # saved by another version: the model's own
    return None


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
