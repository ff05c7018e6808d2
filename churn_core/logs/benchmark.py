"""Benchmarks that need no training for a model trained on a log: BG/NBD's reading of the same
history, on the same held-out customers.

A churn model trained on a log must beat simple readings of the same history on the held-out
cutoff: the one-rule baseline (usually recency), and BG/NBD, the field's standard model of
when customers stop, which needs no churn label at all. BG/NBD is fitted on the log strictly
before the held-out cutoff (every row counts as activity, as the churn label counts it:
:data:`churn_core.logs.purchases.ACTIVITY`); each held-out customer then gets two scores:

- ``1 - P(alive)``: their chance of having stopped for good. BG/NBD lets a customer stop only
  right after a repeat purchase, so every customer seen on one day only has P(alive) = 1 (a
  score of 0), and the window's length plays no part;
- the chance of no activity in the churn window after the cutoff (stopped, or still a
  customer but quiet for that long): exactly what the label asks, in BG/NBD's terms.

Each is scored against what customers really did in the window; their metrics join the card's
leaderboard (``card["benchmarks"]``), and the card warns when the model does not beat them.
Precision and recall are measured flagging as many customers as the model flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.btyd import DAYS_PER_WEEK, BtydForecast
from churn_core.errors import ChurnDataError
from churn_core.logs.activity import Activity
from churn_core.logs.purchases import ACTIVITY, fit_activity_btyd
from churn_core.model import ChurnModel, get_metrics

P_ALIVE_NAME = "BG/NBD: 1 - P(alive)"
NO_ACTIVITY_NAME = "BG/NBD: chance of no activity in the window"
P_ALIVE_KIND, NO_ACTIVITY_KIND = "p_alive", "no_activity"


@dataclass
class Benchmark:
    """A churn score for each held-out customer that needed no training label.

    Attributes
    ----------
    name : str
        As the leaderboard shows it.
    kind : str
        ``"p_alive"`` or ``"no_activity"``.
    p : np.ndarray or None
        Churn score per held-out row (None when it could not be computed).
    test : dict of str to float
        Its held-out metrics (empty when ``p`` is None).
    description : str
        What it is, in words; or why it is missing.
    """

    name: str
    kind: str
    p: np.ndarray | None
    test: dict[str, float] = field(default_factory=dict)
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": self.description,
            "test": self.test,
        }


def get_btyd_benchmarks(
    activity: Activity,
    cutoff: date,
    window_days: int,
    ids: np.ndarray,
    churned: np.ndarray,
    flagged: int,
) -> list[Benchmark]:
    """BG/NBD's two scores (see the module docstring) for the customers ``ids`` (those tested,
    in order), fitted on the log before ``cutoff``, with their metrics against ``churned``
    when each flags its ``flagged`` highest-scored customers (as many as the model flags).

    A log BG/NBD cannot be fitted to (too few customers active on two days or more, or a fit
    that does not converge) gives one benchmark without scores, saying why.
    """
    calibration_end = cutoff - timedelta(days=1)
    try:
        forecast = fit_activity_btyd(activity, calibration_end=calibration_end, counting=ACTIVITY)
    except ChurnDataError as error:
        why = (
            "BG/NBD could not be fitted on the log before the held-out cutoff: "
            f"{error.problems[0].message}"
        )
        return [Benchmark(P_ALIVE_NAME, P_ALIVE_KIND, None, description=why)]
    y = np.asarray(churned, dtype=bool)
    fitted = f"BG/NBD fitted on the log up to {calibration_end:%-d %B %Y}"
    flags = f"the {flagged:,} highest flagged (as many as the model flags)"
    p_alive, quiet = _scores(forecast, ids, window_days)
    return [
        Benchmark(
            P_ALIVE_NAME,
            P_ALIVE_KIND,
            p_alive,
            _metrics(y, p_alive, flagged),
            f"{fitted}; each customer tested scored by their chance of having stopped for good "
            f"(1 - P(alive)), {flags}.",
        ),
        Benchmark(
            NO_ACTIVITY_NAME,
            NO_ACTIVITY_KIND,
            quiet,
            _metrics(y, quiet, flagged),
            f"{fitted}; each customer tested scored by their chance of doing nothing in the "
            f"{window_days} days after the cutoff (stopped, or quiet that long), {flags}.",
        ),
    ]


def _scores(
    forecast: BtydForecast, ids: np.ndarray, window_days: int
) -> tuple[np.ndarray, np.ndarray]:
    customers = forecast.customers.set_index(forecast.id_column)
    customers = customers.reindex(pd.Index(ids, dtype=object))
    seen = customers[col.FREQUENCY].notna().to_numpy()
    x = customers[col.FREQUENCY].fillna(0).to_numpy(float)  # not seen before: as a new customer
    t_x = customers[col.RECENCY_WEEKS].fillna(0).to_numpy(float)
    age = customers[col.AGE_WEEKS].fillna(0).to_numpy(float)
    p_alive = np.where(seen, forecast.bgnbd.get_p_alive(x, t_x, age), 1.0)
    quiet = forecast.bgnbd.get_p_no_purchase(window_days / DAYS_PER_WEEK, x, t_x, age)
    return 1.0 - p_alive, quiet


def _metrics(y: np.ndarray, scores: np.ndarray, flagged: int) -> dict[str, float]:
    ranked = np.sort(scores)[::-1]
    threshold = float(ranked[flagged - 1]) if 0 < flagged <= len(ranked) else np.inf
    return get_metrics(y, scores, threshold)


def count_flagged(model: ChurnModel) -> int:
    """How many held-out customers the model flags at its threshold."""
    if model.evaluation is None:
        return 0
    return int((model.evaluation.p_test >= model.threshold).sum())


def add_benchmarks(model: ChurnModel, benchmarks: list[Benchmark]) -> None:
    """Put the benchmarks on the model's card (leaderboard, a warning when the model does not
    beat the best of them) and their scores on its evaluation."""
    card = model.card
    card["benchmarks"] = [b.to_dict() for b in benchmarks if b.p is not None]
    missing = [b.description for b in benchmarks if b.p is None]
    if missing:
        card["benchmarks_missing"] = missing
    if model.evaluation is not None:
        scores = dict(getattr(model.evaluation, "p_benchmarks", None) or {})
        scores.update({b.name: b.p for b in benchmarks if b.p is not None})
        model.evaluation.p_benchmarks = scores
    if not card["benchmarks"]:
        return
    best = max(card["benchmarks"], key=lambda b: b["test"]["roc_auc"])
    auc, rival = card["metrics"]["roc_auc"], best["test"]["roc_auc"]
    if auc <= rival:
        card.setdefault("warnings", []).append(
            f"BG/NBD, which needs no training, ranks the customers tested as well as the model "
            f"({best['name'].removeprefix('BG/NBD: ')}: ROC-AUC {rival:.2f} against {auc:.2f}); "
            "the model adds nothing to it here. Try another churn window, or add events that "
            "come before customers leave."
        )
