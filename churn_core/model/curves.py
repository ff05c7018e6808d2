"""The numbers behind the model-quality charts: what each cut-off achieves, and predicted
against actual churn in groups of similar scores; with the checks every chart's inputs pass.

Inputs are plain arrays: ``y_true`` (1 or True = the customer left) and churn probabilities in
[0, 1]. Curves are thinned to at most :data:`MAX_CURVE_POINTS` points, so tables stay light
for a million customers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_curve

from churn_core.explore import wilson_interval

#: Most points drawn per curve, whatever the number of customers.
MAX_CURVE_POINTS = 300

CURVE_COLUMNS = ["threshold", "contacted_share", "recall", "false_alarm_rate", "precision"]
CALIBRATION_COLUMNS = [
    "score_low",
    "score_high",
    "mean_score",
    "customers",
    "churned",
    "churn_rate",
    "ci_low",
    "ci_high",
]


def get_curve_points(
    y_true: np.ndarray, p: np.ndarray, max_points: int = MAX_CURVE_POINTS
) -> pd.DataFrame:
    """What flagging customers at or above each cut-off would achieve, one row per cut-off.

    Computed with :func:`sklearn.metrics.roc_curve`, then thinned to points spread evenly
    along the curve. The first row (``threshold`` = inf) flags nobody, the last flags everyone.

    Parameters
    ----------
    y_true : numpy.ndarray
        1 or True where the customer left. Needs customers who left and who stayed.
    p : numpy.ndarray
        Churn probability per customer.
    max_points : int, default 300
        Most rows returned.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CURVE_COLUMNS`: the cut-off, the share of customers flagged, the share
        of leavers caught, the share of stayers wrongly flagged, and the share of flagged
        customers who really left (NaN when nobody is flagged).

    Examples
    --------
    >>> get_curve_points(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])).round(2)
       threshold  contacted_share  recall  false_alarm_rate  precision
    0        inf             0.00     0.0               0.0        NaN
    1       0.80             0.25     0.5               0.0       1.00
    2       0.40             0.50     0.5               0.5       0.50
    3       0.35             0.75     1.0               0.5       0.67
    4       0.10             1.00     1.0               1.0       0.50
    """
    y = as_outcomes(y_true)
    scores = as_probabilities(p, len(y), "p")
    false_alarm, recall, thresholds = roc_curve(y, scores)
    leavers = int(y.sum())
    stayers = len(y) - leavers
    caught, wrongly = recall * leavers, false_alarm * stayers
    flagged = caught + wrongly
    precision = np.divide(caught, flagged, out=np.full(len(flagged), np.nan), where=flagged > 0)
    keep = thin(false_alarm, recall, max_points=max_points)
    columns = [thresholds, flagged / len(y), recall, false_alarm, precision]
    return pd.DataFrame(
        {name: values[keep] for name, values in zip(CURVE_COLUMNS, columns, strict=True)}
    )


def get_calibration_bins(y_true: np.ndarray, p: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Predicted against actual churn rate in groups of customers with similar scores.

    Groups hold about equal numbers of customers (quantile bins); customers with the same
    score always share a group, so there may be fewer than ``bins`` groups.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CALIBRATION_COLUMNS`, one row per group, lowest scores first; the
        ``ci_*`` columns are the range the true churn rate likely lies in (95% Wilson).

    Examples
    --------
    >>> y, p = np.array([0, 0, 1, 0, 1, 1]), np.array([0.1, 0.1, 0.2, 0.6, 0.7, 0.9])
    >>> get_calibration_bins(y, p, bins=2)[["customers", "mean_score", "churn_rate"]]
       customers  mean_score  churn_rate
    0          3    0.133333    0.333333
    1          3    0.733333    0.666667
    """
    if not isinstance(bins, int | np.integer) or bins < 1:
        raise ValueError(f"bins must be a positive whole number. Got {bins!r} instead.")
    y = as_outcomes(y_true)
    scores = as_probabilities(p, len(y), "p")
    if len(y) == 0:
        return pd.DataFrame({name: pd.Series(dtype=float) for name in CALIBRATION_COLUMNS})
    # Each customer joins the group where the first customer with the same score would fall.
    first = np.searchsorted(np.sort(scores), scores, side="left")
    _, group = np.unique(first * bins // len(scores), return_inverse=True)
    customers = np.bincount(group)
    churned = np.bincount(group, weights=y.astype(float)).astype(int)
    lows, highs = np.full(len(customers), np.inf), np.full(len(customers), -np.inf)
    np.minimum.at(lows, group, scores)
    np.maximum.at(highs, group, scores)
    mean = np.clip(np.bincount(group, weights=scores) / customers, lows, highs)  # float noise
    ci_low, ci_high = wilson_interval(churned, customers)
    return pd.DataFrame(
        {
            "score_low": lows,
            "score_high": highs,
            "mean_score": mean,
            "customers": customers,
            "churned": churned,
            "churn_rate": churned / customers,
            "ci_low": ci_low,
            "ci_high": ci_high,
        }
    )


def as_outcomes(values: np.ndarray, name: str = "y_true") -> np.ndarray:
    """Outcomes as a boolean array; 0/1 and True/False accepted."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional. Got shape {array.shape} instead.")
    if array.dtype == bool:
        return array
    bad = ~np.isin(array, [0, 1])
    if bad.any():
        raise ValueError(
            f"{name} must hold only 0/1 or True/False. Got {bad.sum():,} other values, "
            f"e.g. {array[bad][0].item()!r}, instead."
        )
    return array.astype(bool)


def as_probabilities(values: np.ndarray, n: int | None, name: str) -> np.ndarray:
    """Probabilities as a float array; one per customer, finite and in [0, 1]."""
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional. Got shape {array.shape} instead.")
    if n is not None and len(array) != n:
        raise ValueError(
            f"{name} must have one probability per customer ({n:,}). Got {len(array):,} instead."
        )
    bad = ~((array >= 0) & (array <= 1))
    if bad.any():
        raise ValueError(
            f"{name} must hold probabilities between 0 and 1. Got {bad.sum():,} other values, "
            f"e.g. {array[bad][0].item()!r}, instead."
        )
    return array


def thin(*coords: np.ndarray, max_points: int = MAX_CURVE_POINTS) -> np.ndarray:
    """Indices of at most ``max_points`` points spread evenly along the curve; ends kept."""
    n = len(coords[0])
    if n <= max_points:
        return np.arange(n)
    steps = np.sqrt(np.sum([np.diff(c) ** 2 for c in coords], axis=0))
    length = np.concatenate([[0.0], np.cumsum(steps)])
    targets = np.linspace(0.0, length[-1], max(2, max_points - 1))
    picked = np.searchsorted(length, targets, side="left")
    return np.unique(np.concatenate([[0], np.minimum(picked, n - 1), [n - 1]]))
