"""A second benchmark for a model trained on a log: BG/NBD's chance that a customer is still
active, P(alive), read as a churn score (1 - P(alive)).

A churn model trained on a log must beat two simple readings of the same history on the
held-out cutoff: the one-rule baseline (usually recency), and BG/NBD, the field's standard
model of when customers stop, which needs no training label at all. BG/NBD is fitted on the
log strictly before the held-out cutoff (every row counts as activity, as the churn label
counts it: :data:`churn_core.logs.purchases.ACTIVITY`), and each held-out customer's
1 - P(alive) is scored against what they really did in the window after the cutoff. Its
metrics join the card's leaderboard (``card["benchmarks"]``); the card warns when the model
does not beat it.

One caveat the page says too: BG/NBD lets a customer stop only right after a repeat
purchase, so every customer seen on one day only has P(alive) = 1 (a churn score of 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.errors import ChurnDataError
from churn_core.logs.activity import Activity
from churn_core.logs.purchases import ACTIVITY, fit_activity_btyd
from churn_core.model import ChurnModel, get_metrics

P_ALIVE_NAME = "BG/NBD: 1 - P(alive)"
P_ALIVE_KIND = "p_alive"


@dataclass
class Benchmark:
    """A churn score for each held-out customer that needed no training label.

    Attributes
    ----------
    name : str
        As the leaderboard shows it.
    p : np.ndarray or None
        Churn score per held-out row (None when it could not be computed).
    test : dict of str to float
        Its held-out metrics (empty when ``p`` is None).
    description : str
        What it is, in words; or why it is missing.
    """

    name: str
    p: np.ndarray | None
    test: dict[str, float] = field(default_factory=dict)
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": P_ALIVE_KIND,
            "description": self.description,
            "test": self.test,
        }


def get_p_alive_benchmark(
    activity: Activity, cutoff: date, ids: np.ndarray, churned: np.ndarray, flagged: int
) -> Benchmark:
    """1 - P(alive) of the customers ``ids`` (those tested, in order) from BG/NBD fitted on the
    log before ``cutoff``, with its metrics against ``churned`` (their labels) when it flags
    the ``flagged`` customers it ranks first (as many as the model flags: precision and recall
    then compare like with like).

    A log BG/NBD cannot be fitted to (too few customers active on two days or more, or a fit
    that does not converge) gives a benchmark without scores, saying why.
    """
    calibration_end = cutoff - timedelta(days=1)
    try:
        forecast = fit_activity_btyd(activity, calibration_end=calibration_end, counting=ACTIVITY)
    except ChurnDataError as error:
        return Benchmark(
            P_ALIVE_NAME,
            None,
            description="BG/NBD could not be fitted on the log before the held-out cutoff: "
            f"{error.problems[0].message}",
        )
    customers = forecast.customers
    p_alive = pd.Series(customers[col.P_ALIVE].to_numpy(), index=customers[forecast.id_column])
    scores = 1.0 - p_alive.reindex(pd.Index(ids, dtype=object)).to_numpy(float)
    scores = np.nan_to_num(scores, nan=0.0)  # not seen before the cutoff: as a new customer
    y = np.asarray(churned, dtype=bool)
    ranked = np.sort(scores)[::-1]
    threshold = float(ranked[flagged - 1]) if 0 < flagged <= len(ranked) else np.inf
    return Benchmark(
        P_ALIVE_NAME,
        scores,
        get_metrics(y, scores, threshold),
        f"BG/NBD fitted on the log up to {calibration_end:%-d %B %Y}; each customer tested "
        "scored by their chance of having stopped (1 - P(alive)), the "
        f"{flagged:,} most likely to have stopped flagged (as many as the model flags). It "
        "needs no churn label: the model must do better to be worth its training.",
    )


def count_flagged(model: ChurnModel) -> int:
    """How many held-out customers the model flags at its threshold."""
    if model.evaluation is None:
        return 0
    return int((model.evaluation.p_test >= model.threshold).sum())


def add_benchmark(model: ChurnModel, benchmark: Benchmark) -> None:
    """Put the benchmark on the model's card (leaderboard, warning) and its evaluation."""
    card = model.card
    if benchmark.p is None:
        card["benchmarks"] = []
        card["benchmarks_missing"] = [benchmark.description]
        return
    card["benchmarks"] = [benchmark.to_dict()]
    if model.evaluation is not None:
        scores = dict(getattr(model.evaluation, "p_benchmarks", None) or {})
        scores[benchmark.name] = benchmark.p
        model.evaluation.p_benchmarks = scores
    auc, rival = card["metrics"]["roc_auc"], benchmark.test["roc_auc"]
    if auc <= rival:
        card.setdefault("warnings", []).append(
            f"BG/NBD's chance that a customer has stopped, which needs no training, ranks the "
            f"customers tested as well as the model (ROC-AUC {rival:.2f} against {auc:.2f}); "
            "the model adds nothing to it here. Try another churn window, or add events that "
            "come before customers leave."
        )
