"""How the churn definition changes the answer: churn rate and model quality per window.

A 30-day window calls many customers churned who were only between visits; a 180-day window
waits long before calling anyone. Side by side, for 30, 60, 90 and 180 days: the held-out
cutoff's churn rate, how many cutoffs train the model, and the held-out ROC-AUC of the model,
of the one-rule baseline and of BG/NBD's two readings (P(alive), and the chance of no activity
in the window), so the user picks a window knowingly. A
window the log is too short for gets a row saying what it needs instead of figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.errors import ChurnDataError
from churn_core.logs.activity import Activity
from churn_core.logs.benchmark import NO_ACTIVITY_KIND, P_ALIVE_KIND
from churn_core.logs.churn_definition import (
    ChurnDefinition,
    label_customers,
    plan_cutoffs,
    suggest_window,
)
from churn_core.logs.training import fit_log_model
from churn_core.model import Progress

SENSITIVITY_WINDOWS: tuple[int, ...] = (30, 60, 90, 180)
SENSITIVITY_COLUMNS = [
    col.WINDOW_DAYS,
    col.TRAINING_CUTOFFS,
    col.TESTED_CUSTOMERS,
    col.CHURN_RATE,
    col.MODEL_ROC_AUC,
    col.BASELINE_ROC_AUC,
    col.BASELINE_RULE,
    col.P_ALIVE_ROC_AUC,
    col.NO_ACTIVITY_ROC_AUC,
    col.NOTE,
]


def get_window_sensitivity(
    activity: Activity,
    windows: Sequence[int] = SENSITIVITY_WINDOWS,
    *,
    triggers: Sequence[str] = (),
    seed: int = 42,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """One row per churn window: the churn rate among the customers tested, the number of
    training cutoffs, and held-out ROC-AUC of the model and the baseline (columns
    ``SENSITIVITY_COLUMNS``); the window suggested for this log is marked in ``note``."""
    say = progress or (lambda fraction, message: None)
    suggested, _ = suggest_window(activity)
    rows = []
    for i, window in enumerate(windows):
        say(i / len(windows), f"Training with a {window}-day window")
        try:
            cutoffs = plan_cutoffs(activity, window)
        except ChurnDataError as error:
            rows.append(_row(window, note=error.problems[0].message))
            continue
        definition = ChurnDefinition(window, cutoffs, tuple(triggers))
        active, churned = label_customers(
            activity, definition.held_out_cutoff, window, definition.triggers
        )
        rate = float(churned[active].mean()) if active.any() else float("nan")
        try:
            model = fit_log_model(activity, definition, seed=seed)
        except ChurnDataError as error:
            rows.append(
                _row(window, len(cutoffs) - 1, int(active.sum()), rate, error.problems[0].message)
            )
            continue
        card = model.card
        note = "the suggested window" if window == suggested else ""
        rows.append(
            _row(
                window,
                len(cutoffs) - 1,
                int(active.sum()),
                rate,
                note,
                card["metrics"]["roc_auc"],
                card["baseline"]["test"]["roc_auc"],
                card["baseline"]["rule"],
                _benchmark_auc(card, P_ALIVE_KIND),
                _benchmark_auc(card, NO_ACTIVITY_KIND),
            )
        )
    say(1.0, "Done")
    return pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)


def _row(
    window: int,
    cutoffs: int = 0,
    tested: int = 0,
    rate: float = float("nan"),
    note: str = "",
    model_auc: float = float("nan"),
    baseline_auc: float = float("nan"),
    rule: str = "",
    p_alive_auc: float = float("nan"),
    no_activity_auc: float = float("nan"),
) -> dict[str, object]:
    return {
        col.WINDOW_DAYS: window,
        col.TRAINING_CUTOFFS: cutoffs,
        col.TESTED_CUSTOMERS: tested,
        col.CHURN_RATE: rate,
        col.MODEL_ROC_AUC: model_auc,
        col.BASELINE_ROC_AUC: baseline_auc,
        col.BASELINE_RULE: rule,
        col.P_ALIVE_ROC_AUC: p_alive_auc,
        col.NO_ACTIVITY_ROC_AUC: no_activity_auc,
        col.NOTE: note,
    }


def _benchmark_auc(card: dict[str, Any], kind: str) -> float:
    found = [b["test"]["roc_auc"] for b in card.get("benchmarks", []) if b["kind"] == kind]
    return found[0] if found else float("nan")


def describe_sensitivity(table: pd.DataFrame) -> str:
    """One sentence: how much the churn rate moves with the window."""
    known = table.dropna(subset=[col.CHURN_RATE])
    if known.empty:
        return "The log is too short for any of these windows."
    low, high = (
        known.iloc[np.argmin(known[col.CHURN_RATE])],
        known.iloc[np.argmax(known[col.CHURN_RATE])],
    )
    return (
        f"Churn is {high[col.CHURN_RATE]:.0%} with a {high[col.WINDOW_DAYS]}-day window and "
        f"{low[col.CHURN_RATE]:.0%} with a {low[col.WINDOW_DAYS]}-day one: the shorter the "
        "window, the more customers between two visits count as churned."
    )
