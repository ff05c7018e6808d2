"""Definition sensitivity: churn rate and held-out quality for 30/60/90/180-day windows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.logs import Activity, describe_sensitivity, get_window_sensitivity
from churn_core.logs.sensitivity import SENSITIVITY_COLUMNS
from churn_core.model import ChurnModel


def test_the_sensitivity_table_has_a_row_per_window_and_says_what_a_short_log_needs(
    france: tuple[pd.DataFrame, object, Activity],
) -> None:
    steps: list[str] = []
    table = get_window_sensitivity(france[2], progress=lambda f, m: steps.append(m))
    assert list(table.columns) == SENSITIVITY_COLUMNS
    assert table[col.WINDOW_DAYS].tolist() == [30, 60, 90, 180]
    known = table.iloc[:3]
    assert known[col.TRAINING_CUTOFFS].tolist() == [6, 4, 2]
    assert known[col.CHURN_RATE].between(0, 1).all()
    rates = known[col.CHURN_RATE].to_numpy()
    assert rates[0] > rates[2]  # a short window calls more customers churned
    assert known[col.MODEL_ROC_AUC].between(0, 1).all()
    assert known[col.BASELINE_RULE].str.len().gt(0).all()
    # Before most cutoffs BG/NBD sees no one stop in this log: no P(alive) to compare with.
    assert table[col.P_ALIVE_ROC_AUC].isna().tolist() == [True, True, False, True]
    assert table[col.NO_ACTIVITY_ROC_AUC].isna().tolist() == [True, True, False, True]
    assert table[col.NOTE].iloc[1] == "the suggested window"
    long = table.iloc[3]
    assert np.isnan(long[col.MODEL_ROC_AUC]) and long[col.TRAINING_CUTOFFS] == 0
    assert long[col.NOTE].startswith("The log covers 374 days")
    assert "a 180-day churn window needs at least 390" in long[col.NOTE]
    assert steps[-1] == "Done" and steps[0] == "Training with a 30-day window"
    assert describe_sensitivity(table).startswith("Churn is ")


def test_each_window_shows_bgnbds_readings_beside_the_model(
    events: tuple[pd.DataFrame, object, Activity], events_model: ChurnModel
) -> None:
    [row] = get_window_sensitivity(events[2], windows=(30,)).to_dict("records")
    p_alive, quiet = events_model.card["benchmarks"]  # trained at the suggested 30 days
    assert row[col.P_ALIVE_ROC_AUC] == pytest.approx(p_alive["test"]["roc_auc"])
    assert row[col.NO_ACTIVITY_ROC_AUC] == pytest.approx(quiet["test"]["roc_auc"])
    assert row[col.MODEL_ROC_AUC] == pytest.approx(events_model.card["metrics"]["roc_auc"])
