"""A log's derived results for a session: prepared once, rolled up, defined, trained, scored.

A purchase or event log (``dataset.profile.is_log``) is never modelled as it is: it is prepared
(:func:`activity`), churn is defined by inactivity (:func:`definition`: the window and triggers
the user picked on the Data page), and its customers are rolled up to one row each. Everything
here is cached by :func:`log_key` (the data, its roles and the user's log-role changes) so a
rerun or another page reuses it; the frames are never hashed.

The pages that work on customer tables (Explore, Segments, Score a customer) are handed a
customer table made from the log as a :class:`~ui.state.Dataset` (:func:`labelled_dataset`,
:func:`customer_dataset`, :func:`scored_dataset`), so their own code runs unchanged on it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import astuple, replace
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from churn_core import logs
from churn_core.btyd import BtydForecast
from churn_core.errors import ChurnDataError
from churn_core.explain import ChurnExplainer, Explanation
from churn_core.io import Table
from churn_core.kpis import LogKpis, get_log_kpis
from churn_core.logs import Activity, ChurnDefinition, CustomerTable, ScoredLog
from churn_core.model import ChurnModel, Policy, Progress
from churn_core.risk import AtRiskList, add_reasons
from churn_core.schema import LogRole, Profile, profile_table
from churn_core.survival import (
    ClvAssumptions,
    KaplanMeier,
    fit_kaplan_meier,
    get_group_columns,
    get_survival_data,
)
from ui.events import logs_training
from ui.model_state import clv_assumptions, current_model, model_key
from ui.state import Dataset
from ui.training_state import keep_trained

_ROLES = "log_roles"  # dataset.key -> {column: LogRole} the user set on the Data page
_CHURN = "log_churn_definition"  # dataset.key -> (window days, triggers)
_SENSITIVITY = "log_sensitivity_tables"  # (log key, triggers) -> the window sensitivity table
#: Customers of the list that get reasons (the first ones shown): ~10 s for gradient boosting.
MAX_EXPLAINED = 20_000
#: Customers explained for the drivers charts.
DRIVER_SAMPLE = 2_000


# --- The log and its roles ----------------------------------------------------------------


def log_roles(dataset: Dataset) -> dict[str, LogRole]:
    """The log roles the user changed on the Data page for this data (empty: as detected)."""
    return dict(st.session_state.get(_ROLES, {}).get(dataset.key, {}))


def set_log_roles(dataset: Dataset, roles: dict[str, LogRole]) -> None:
    st.session_state.setdefault(_ROLES, {})[dataset.key] = dict(roles)


def log_key(dataset: Dataset) -> str:
    """Changes whenever the log or its roles change: the cache key of everything below."""
    roles = ",".join(f"{c}={r.value}" for c, r in sorted(log_roles(dataset).items()))
    return f"{dataset.key}|log:{roles}"


def log_profile(dataset: Dataset) -> Profile:
    """The log's profile with the user's log roles (the detected one when none changed)."""
    roles = log_roles(dataset)
    if not roles:
        return dataset.profile
    return _profile(log_key(dataset), dataset, tuple(sorted(roles.items())))


@st.cache_resource(max_entries=8, show_spinner="Reading the log with your roles...")
def _profile(key: str, _dataset: Dataset, roles: tuple[tuple[str, LogRole], ...]) -> Profile:
    return profile_table(_dataset.frame, warnings=_dataset.table.warnings, log_roles=dict(roles))


def activity(dataset: Dataset) -> Activity:
    """The log prepared for roll-ups (raises ChurnDataError with the profile's problems)."""
    return _activity(log_key(dataset), dataset.frame, log_profile(dataset))


@st.cache_resource(max_entries=4, show_spinner="Preparing the log...")
def _activity(key: str, _frame: pd.DataFrame, _profile: Profile) -> Activity:
    return logs.prepare_activity(_frame, _profile)


# --- When a customer counts as churned ------------------------------------------------------


def chosen_definition(dataset: Dataset) -> tuple[int, tuple[str, ...]]:
    """The churn window (days) and trigger events picked on the Data page, else the window
    suggested by the log's own rhythm and no trigger."""
    saved = st.session_state.get(_CHURN, {}).get(dataset.key)
    if saved is None:
        return logs.suggest_window(activity(dataset))[0], ()
    window, triggers = saved  # kept when roles change; triggers the log no longer has dropped
    return window, tuple(t for t in triggers if t in activity(dataset).event_names)


def set_definition(dataset: Dataset, window: int, triggers: Sequence[str]) -> None:
    st.session_state.setdefault(_CHURN, {})[dataset.key] = (int(window), tuple(triggers))


def definition(dataset: Dataset) -> ChurnDefinition:
    """The churn definition with its cutoffs (raises ChurnDataError: a log too short for it)."""
    window, triggers = chosen_definition(dataset)
    suggested, reason = logs.suggest_window(activity(dataset))
    found = logs.define_churn(activity(dataset), window, triggers)
    if window == suggested:  # keep the reason in words, not "the window you chose"
        found = replace(found, reason=reason)
    return found


def sensitivity(dataset: Dataset, progress: Progress | None = None) -> pd.DataFrame:
    """Churn rate and held-out quality for 30/60/90/180-day windows (four trainings, run
    once per session when asked: see :func:`known_sensitivity`)."""
    _, triggers = chosen_definition(dataset)
    table = logs.get_window_sensitivity(activity(dataset), triggers=triggers, progress=progress)
    st.session_state.setdefault(_SENSITIVITY, {})[(log_key(dataset), triggers)] = table
    return table


def known_sensitivity(dataset: Dataset) -> pd.DataFrame | None:
    """The table when it was worked out for this log and these triggers, else None."""
    _, triggers = chosen_definition(dataset)
    return st.session_state.get(_SENSITIVITY, {}).get((log_key(dataset), triggers))


# --- One row per customer -------------------------------------------------------------------


def customer_table(dataset: Dataset) -> CustomerTable:
    """Every customer as of the log's last day, lapsed by the chosen window and triggers."""
    window, triggers = chosen_definition(dataset)
    return _customers(log_key(dataset), window, triggers, activity(dataset))


@st.cache_resource(max_entries=8, show_spinner="Rolling the log up to customers...")
def _customers(
    key: str, window: int, triggers: tuple[str, ...], _activity: Activity
) -> CustomerTable:
    return logs.get_customer_table(_activity, window_days=window, triggers=triggers)


def _as_dataset(key: str, frame: pd.DataFrame, profile: Profile, name: str, source: str) -> Dataset:
    digest = hashlib.sha1(key.encode()).hexdigest()[:16]
    return Dataset(Table(frame, name, "csv"), digest, source, profile)


def customer_dataset(dataset: Dataset) -> Dataset:
    """The log's customers as a customer table for Segments: no label, and recency,
    frequency, money and tenure its only number features."""
    window, triggers = chosen_definition(dataset)
    key = f"{log_key(dataset)}|customers|{window}|{triggers}"
    table = customer_table(dataset)
    return _customer_dataset(key, table, dataset.name, dataset.source)


@st.cache_resource(max_entries=8, show_spinner=False)
def _customer_dataset(key: str, _table: CustomerTable, name: str, source: str) -> Dataset:
    profile = _table.get_segment_profile()
    return _as_dataset(key, _table.frame, profile, f"{name} (customers)", source)


def labelled_dataset(dataset: Dataset) -> tuple[Dataset, ChurnDefinition]:
    """The customers active at the latest cutoff, labelled by what they did in the window
    after it (raises ChurnDataError: a log too short), for Explore."""
    found = definition(dataset)
    key = f"{log_key(dataset)}|labelled|{json.dumps(found.to_dict(), sort_keys=True)}"
    return _labelled(key, activity(dataset), found, dataset.name, dataset.source), found


@st.cache_resource(max_entries=4, show_spinner="Labelling the customers of the latest cutoff...")
def _labelled(
    key: str, _activity: Activity, _definition: ChurnDefinition, name: str, source: str
) -> Dataset:
    table = logs.get_labelled_customers(_activity, _definition)
    when = f"{_definition.held_out_cutoff:%-d %b %Y}"
    return _as_dataset(key, table.frame, table.profile, f"{name} (customers on {when})", source)


def over_time(dataset: Dataset, freq: str) -> pd.DataFrame:
    return _over_time(log_key(dataset), freq, activity(dataset))


@st.cache_data(max_entries=8, show_spinner=False)
def _over_time(key: str, freq: str, _activity: Activity) -> pd.DataFrame:
    return logs.get_activity_over_time(_activity, freq)


# --- The model, the list --------------------------------------------------------------------


def log_model(dataset: Dataset) -> tuple[ChurnModel | None, str]:
    """The model in use when it was trained on a log and can roll this one up; else None and
    why, in words."""
    model = current_model()
    if model is None or not logs.is_log_model(model):
        return None, "No churn model has learned from a log yet."
    roles = model.card["log"]["roles"]
    missing = [c for c, r in roles.items() if r != LogRole.IGNORED and c not in dataset.frame]
    if missing:
        return None, (
            "The model in use learned from a log with other columns (it needs "
            f"{', '.join(missing)})."
        )
    return model, ""


@logs_training
def train(dataset: Dataset, found: ChurnDefinition, progress: Progress) -> ChurnModel:
    """Train on the log with this churn definition; the model is kept in the workspace and put
    in use for logs like this one (raises ChurnDataError when the workspace is away)."""
    model = logs.fit_log_model(activity(dataset), found, progress=progress)
    model.card["data"]["name"] = dataset.name
    keep_trained(model, dataset)
    return model


def model_activity(dataset: Dataset, model: ChurnModel) -> Activity:
    """The log prepared as the model learned it (its roles): the session's when they agree."""
    prepared = activity(dataset)
    if model.card["log"]["roles"] == prepared.roles.to_dict():
        return prepared
    return _model_activity(f"{log_key(dataset)}|{model_key(model)}", dataset.frame, model)


@st.cache_resource(max_entries=2, show_spinner="Preparing the log as the model learned it...")
def _model_activity(key: str, _frame: pd.DataFrame, _model: ChurnModel) -> Activity:
    return logs.prepare_for_model(_frame, _model)


def _assumptions_key() -> tuple[object, ...]:
    return astuple(clv_assumptions() or ClvAssumptions())


def _assumptions(key: tuple[object, ...]) -> ClvAssumptions:
    return ClvAssumptions(*key)  # type: ignore[arg-type]


def forecast(dataset: Dataset, as_of: date | None = None) -> BtydForecast:
    """BG/NBD and Gamma-Gamma fitted on the log up to ``as_of`` (its last day), with the
    session's CLV assumptions (raises ChurnDataError when they cannot be fitted)."""
    prepared = activity(dataset)
    end = as_of or prepared.last_date
    return _forecast(log_key(dataset), end, _assumptions_key(), prepared)


@st.cache_resource(max_entries=8, show_spinner="Fitting how often customers buy and stop...")
def _forecast(
    key: str, end: date, assumptions: tuple[object, ...], _activity: Activity
) -> BtydForecast:
    return logs.fit_activity_btyd(
        _activity,
        _assumptions(assumptions),
        calibration_end=end,
    )


def holdout_forecast(dataset: Dataset) -> tuple[BtydForecast | None, str]:
    """The forecast fitted on the first part of the log only (its holdout period kept apart)
    to check it against what customers did next; None and why when the log does not allow it."""
    prepared = activity(dataset)
    plan = logs.plan_holdout(prepared)
    if plan is None:
        return None, logs.describe_holdout(prepared)
    try:
        found = _holdout(log_key(dataset), plan, prepared)
    except ChurnDataError as error:
        return None, (
            f"On the log up to {plan[0]:%-d %B %Y} alone, the models cannot be fitted: "
            f"{error.problems[0].message}"
        )
    return found, logs.describe_holdout(prepared)


@st.cache_resource(max_entries=4, show_spinner="Checking the forecasts on a later period...")
def _holdout(key: str, plan: tuple[date, date], _activity: Activity) -> BtydForecast:
    return logs.fit_activity_btyd(_activity, calibration_end=plan[0], holdout_end=plan[1])


def scored(dataset: Dataset, model: ChurnModel, policy: Policy) -> ScoredLog:
    """Every customer of the log scored, valued (BTYD CLV) and ranked; lapsed ones last."""
    prepared = model_activity(dataset, model)
    try:
        btyd = forecast(dataset) if prepared is activity(dataset) else None
    except ChurnDataError:
        btyd = None  # score_log values customers another way and says why
    return _scored(
        log_key(dataset),
        model_key(model),
        astuple(policy),
        _assumptions_key(),
        prepared,
        model,
        policy,
        btyd,
    )


@st.cache_resource(max_entries=8, show_spinner="Scoring every customer of the log...")
def _scored(
    key: str,
    model_key: str,
    policy_key: tuple[object, ...],
    assumptions: tuple[object, ...],
    _activity: Activity,
    _model: ChurnModel,
    _policy: Policy,
    _forecast: BtydForecast | None,
) -> ScoredLog:
    return logs.score_log(
        _activity,
        _model,
        policy=_policy,
        clv_assumptions=_assumptions(assumptions),
        forecast=_forecast,
    )


def scored_dataset(dataset: Dataset, model: ChurnModel) -> Dataset:
    """The customers the model scores (its event types counted), for Score a customer."""
    table = scored(dataset, model, Policy()).customers
    key = f"{log_key(dataset)}|scored|{model_key(model)}"
    return _scored_dataset(key, table, dataset.name, dataset.source)


@st.cache_resource(max_entries=4, show_spinner=False)
def _scored_dataset(key: str, _table: CustomerTable, name: str, source: str) -> Dataset:
    return _as_dataset(key, _table.frame, _table.profile, f"{name} (customers)", source)


@st.cache_resource(max_entries=4, show_spinner="Preparing explanations...")
def explainer(model_key: str, _model: ChurnModel) -> ChurnExplainer:
    return ChurnExplainer(_model)


def explained(dataset: Dataset, model: ChurnModel, policy: Policy, rows: np.ndarray) -> AtRiskList:
    """The list with reasons and actions for ``rows`` (the first ``MAX_EXPLAINED`` of them)."""
    listed = scored(dataset, model, policy)
    rows = rows & (np.cumsum(rows) <= MAX_EXPLAINED)
    key = hashlib.sha1(np.packbits(rows).tobytes()).hexdigest()
    return _explained(
        log_key(dataset), model_key(model), astuple(policy), _assumptions_key(), key, listed,
        model, rows,
    )  # fmt: skip


@st.cache_resource(max_entries=4, show_spinner="Finding the reasons for each customer...")
def _explained(
    key: str,
    model_key: str,
    policy_key: tuple[object, ...],
    assumptions: tuple[object, ...],
    rows_key: str,
    _listed: ScoredLog,
    _model: ChurnModel,
    _rows: np.ndarray,
) -> AtRiskList:
    frame = _listed.customers.frame
    return add_reasons(_listed.at_risk, frame, explainer(model_key, _model), rows=_rows)


def drivers(dataset: Dataset, model: ChurnModel) -> Explanation:
    """Explanations of a fixed random sample of the log's customers (the drivers charts)."""
    frame = scored(dataset, model, Policy()).customers.frame
    return _drivers(f"{log_key(dataset)}|{model_key(model)}", frame, model)


@st.cache_resource(max_entries=2, show_spinner="Working out what drives risk...")
def _drivers(key: str, _frame: pd.DataFrame, _model: ChurnModel) -> Explanation:
    rows = np.random.default_rng(0).permutation(len(_frame))[:DRIVER_SAMPLE]
    return explainer(model_key(_model), _model).explain(_frame.iloc[np.sort(rows)])


def kpis(dataset: Dataset) -> LogKpis:
    """Active and lapsed customers, repeat rate and retention, by the chosen window."""
    window, triggers = chosen_definition(dataset)
    return _kpis(log_key(dataset), window, triggers, _assumptions_key(), activity(dataset))


@st.cache_resource(max_entries=8, show_spinner="Counting active customers...")
def _kpis(
    key: str,
    window: int,
    triggers: tuple[str, ...],
    assumptions: tuple[object, ...],
    _activity: Activity,
) -> LogKpis:
    found, _ = get_log_kpis(
        _activity,
        window_days=window,
        triggers=triggers,
        assumptions=_assumptions(assumptions),
    )
    return found


def retention_groups(dataset: Dataset) -> list[str]:
    """Columns of the log's customers a retention curve can be split by (the latest plan...)."""
    table = customer_table(dataset)
    return get_group_columns(table.frame, table.retention_profile)


def retention_curves(dataset: Dataset, group: str | None) -> KaplanMeier:
    """Retention by months since first activity (gone = lapsed), overall or per group."""
    window, triggers = chosen_definition(dataset)
    table = customer_table(dataset)
    return _curves(log_key(dataset), window, triggers, group, table)


@st.cache_resource(max_entries=16, show_spinner="Drawing retention curves...")
def _curves(
    key: str, window: int, triggers: tuple[str, ...], group: str | None, _table: CustomerTable
) -> KaplanMeier:
    data = get_survival_data(_table.frame, _table.retention_profile, as_of=_table.as_of)
    return fit_kaplan_meier(data, None if group is None else _table.frame[group])
