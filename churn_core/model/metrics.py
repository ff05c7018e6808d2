"""Held-out model quality in the numbers a model card shows, computed with scikit-learn."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    f1_score,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_auc_score,
)

#: The share of customers the plain quality sentence is about: "its riskiest 20 %".
TOP_SHARE = 0.2


def get_top_share_recall(y_true: np.ndarray, p: np.ndarray, share: float = TOP_SHARE) -> float:
    """Share of all leavers found among the ``share`` of customers with the highest scores.

    Ties at the cut are broken by order (stable), so exactly ``ceil(share x n)`` are taken.

    >>> get_top_share_recall(np.array([1, 1, 0, 0, 1, 0, 0, 0, 0, 0]), np.linspace(1, 0, 10))
    0.6666666666666666
    """
    y = np.asarray(y_true).astype(bool)
    leavers = int(y.sum())
    if leavers == 0 or not len(y):
        return float("nan")
    top = np.argsort(-np.asarray(p, dtype=float), kind="mergesort")[: int(np.ceil(share * len(y)))]
    return float(y[top].sum() / leavers)


def top_decile_lift(y_true: np.ndarray, p: np.ndarray) -> float:
    """Churn rate among the 10 % highest scores divided by the overall churn rate.

    >>> top_decile_lift(np.array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]), np.linspace(1, 0, 10))
    10.0
    """
    y = np.asarray(y_true, dtype=float)
    n_top = max(1, int(np.ceil(0.1 * len(y))))
    top = np.argsort(-np.asarray(p), kind="mergesort")[:n_top]
    base = y.mean()
    return float(y[top].mean() / base) if base > 0 else float("nan")


def best_f1_threshold(y_true: np.ndarray, p: np.ndarray) -> float:
    """The probability cut-off with the highest F1 (flag when probability >= it)."""
    precision, recall, thresholds = precision_recall_curve(y_true, p)
    f1 = np.divide(
        2 * precision * recall,
        precision + recall,
        out=np.zeros_like(precision),
        where=(precision + recall) > 0,
    )
    return float(thresholds[int(np.argmax(f1[:-1]))]) if len(thresholds) else 0.5


def get_metrics(y_true: np.ndarray, p: np.ndarray, threshold: float) -> dict[str, float]:
    """ROC-AUC, PR-AUC, Brier, top-decile lift and precision/recall/F1 at ``threshold``."""
    y = np.asarray(y_true).astype(int)
    flagged = (np.asarray(p) >= threshold).astype(int)
    two_classes = len(np.unique(y)) == 2
    return {
        "roc_auc": float(roc_auc_score(y, p)) if two_classes else float("nan"),
        "pr_auc": float(average_precision_score(y, p)) if two_classes else float("nan"),
        "brier": float(brier_score_loss(y, p)),
        "top_decile_lift": top_decile_lift(y, p),
        "precision": float(precision_score(y, flagged, zero_division=0)),
        "recall": float(recall_score(y, flagged, zero_division=0)),
        "f1": float(f1_score(y, flagged, zero_division=0)),
        "threshold": float(threshold),
        "flagged": int(flagged.sum()),
        "expected_churners_flagged": float(np.asarray(p)[flagged == 1].sum()),
        "actual_churners_flagged": int(y[flagged == 1].sum()),
    }
