"""Cached retention, hazard and CLV results for the Retention & CLV page.

Keyed by ``Dataset.key`` (data + roles) and the analysis date, so nothing is refitted on a
rerun; the frame itself is never hashed. Changing the CLV assumptions only recomputes CLV.
"""

from __future__ import annotations

from dataclasses import astuple
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from churn_core.kpis import (
    RetentionKpis,
    summarize_retention,
)
from churn_core.model import ChurnModel
from churn_core.schema import Role
from churn_core.survival import (
    ClvAssumptions,
    Hazards,
    KaplanMeier,
    SurvivalData,
    fit_hazards,
    fit_kaplan_meier,
    get_cohort_retention,
    get_group_columns,
    get_survival_data,
)
from ui.model_state import current_model, customer_scores, mismatch, model_key
from ui.state import Dataset

EVERYONE = "Everyone"


def unit_key(dataset: Dataset) -> str:
    """The widget key of the tenure unit chosen for this dataset (a new upload starts afresh)."""
    return f"retention_tenure_unit|{dataset.key}"


def survival(dataset: Dataset) -> SurvivalData:
    """Durations and churn flags (raises ChurnDataError when the data gives none).

    The tenure unit is the one chosen on the page, else read from the column's name.
    """
    unit = st.session_state.get(unit_key(dataset))
    return _survival(dataset.key, date.today(), unit, dataset.frame, dataset)


@st.cache_data(max_entries=8, show_spinner="Working out how long each customer stayed...")
def _survival(
    key: str, today: date, unit: str | None, _frame: pd.DataFrame, _dataset: Dataset
) -> SurvivalData:
    return get_survival_data(_frame, _dataset.profile, as_of=today, tenure_unit=unit)


def group_options(dataset: Dataset) -> list[str]:
    """ "Everyone" and the columns a retention curve can be split by."""
    return [EVERYONE, *get_group_columns(dataset.frame, dataset.profile)]


def _key(dataset: Dataset) -> str:
    """Data, roles and the tenure unit: what every derived result depends on."""
    return f"{dataset.key}|{survival(dataset).source.tenure_unit}"


def curves(dataset: Dataset, group: str) -> KaplanMeier:
    return _curves(_key(dataset), date.today(), group, dataset.frame, survival(dataset))


@st.cache_data(max_entries=32, show_spinner="Drawing retention curves...")
def _curves(
    key: str, today: date, group: str, _frame: pd.DataFrame, _data: SurvivalData
) -> KaplanMeier:
    return fit_kaplan_meier(_data, None if group == EVERYONE else _frame[group])


def hazards(dataset: Dataset) -> Hazards:
    return _hazards(_key(dataset), date.today(), dataset, survival(dataset))


@st.cache_data(max_entries=8, show_spinner="Measuring what makes customers leave sooner...")
def _hazards(key: str, today: date, _dataset: Dataset, _data: SurvivalData) -> Hazards:
    return fit_hazards(_dataset.frame, _dataset.profile, _data)


def probabilities(dataset: Dataset) -> tuple[ChurnModel | None, np.ndarray | None, str]:
    """The model in use, its churn probability per row, or why there are none."""
    model = current_model()
    if model is None:
        return None, None, "No churn model yet: train one on the Churn risk page."
    if problems := mismatch(model, dataset):
        why = "its churn label differs" if problems[0].code == "label_changed" else "other columns"
        return (
            model,
            None,
            (
                f"The churn model in use was trained on {why}: train one on this data on the Churn "
                "risk page."
            ),
        )
    return model, customer_scores(dataset, model).p, ""


def values(
    dataset: Dataset, assumptions: ClvAssumptions, model: ChurnModel | None, p: np.ndarray | None
) -> tuple[pd.DataFrame, RetentionKpis]:
    """Current customers' CLV (and value at risk, with probabilities) and the headline figures."""
    p_key = "" if p is None or model is None else model_key(model)
    data = survival(dataset)
    km = curves(dataset, EVERYONE)
    return _values(_key(dataset), date.today(), astuple(assumptions), p_key, dataset, data, km, p)


@st.cache_data(max_entries=32, show_spinner="Computing lifetime values...")
def _values(
    key: str,
    today: date,
    assumptions_key: tuple[object, ...],
    p_key: str,
    _dataset: Dataset,
    _data: SurvivalData,
    _km: KaplanMeier,
    _p: np.ndarray | None,
) -> tuple[pd.DataFrame, RetentionKpis]:
    assumptions = ClvAssumptions(*assumptions_key)  # type: ignore[arg-type]
    return summarize_retention(_dataset.frame, _dataset.profile, _data, _km, assumptions, _p)


def cohorts(dataset: Dataset) -> pd.DataFrame:
    """Retention by signup month; empty without a signup date column."""
    signup = dataset.profile.column_for(Role.SIGNUP_DATE)
    if signup is None:
        return pd.DataFrame()
    return _cohorts(_key(dataset), date.today(), signup, dataset.frame, survival(dataset))


@st.cache_data(max_entries=8, show_spinner="Grouping customers by signup month...")
def _cohorts(
    key: str, today: date, signup: str, _frame: pd.DataFrame, _data: SurvivalData
) -> pd.DataFrame:
    return get_cohort_retention(_frame[signup], _data)
