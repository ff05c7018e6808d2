"""Label leaks: a single column that tells who left almost perfectly.

Such a column was almost always recorded after the customer left (a cancellation reason, a
closing balance, days since last payment), so a model that uses it is useless for predicting
who *will* leave. Leaking columns are excluded by default and shown to the user with the reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Balanced accuracy of the best one-column rule at or above which a column is a leak.
LEAK_ACCURACY = 0.99
_MIN_PER_CLASS = 20
_MIN_PER_VALUE = 10


def single_column_accuracy(values: pd.Series, churned: pd.Series) -> float | None:
    """Balanced accuracy of the best rule that uses only this column to say who left.

    For numbers the rule is a threshold (missing values may go either side); for categories
    it is "these values mean churned". Returns None when there are too few customers of
    either kind to judge.

    >>> v = pd.Series([1, 2, 3, 4] * 10); c = pd.Series([False, False, True, True] * 10)
    >>> single_column_accuracy(v, c.astype("boolean"))
    1.0
    """
    known = churned.notna().to_numpy(bool)
    y = churned.to_numpy(dtype=bool, na_value=False)[known]
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos < _MIN_PER_CLASS or n_neg < _MIN_PER_CLASS:
        return None
    x = values[known]
    if pd.api.types.is_numeric_dtype(x) and not pd.api.types.is_bool_dtype(x):
        arr = x.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(arr)
        low, high = (
            np.nanmin(arr) - 1 if (~missing).any() else 0,
            np.nanmax(arr) + 1 if (~missing).any() else 0,
        )
        return max(_best_threshold(np.where(missing, fill, arr), y) for fill in (low, high))
    codes, _ = pd.factorize(x, use_na_sentinel=False)  # missing is a value of its own
    sizes = np.bincount(codes)
    rare = sizes < _MIN_PER_VALUE  # a value seen a few times "predicts" by memory: pool them
    codes = np.where(rare[codes], len(sizes), codes)
    pos = np.bincount(codes[y], minlength=len(sizes) + 1) / n_pos
    neg = np.bincount(codes[~y], minlength=len(sizes) + 1) / n_neg
    # Calling a value "churned" when it holds more of the churners' share than the stayers'
    # is the best category rule for balanced accuracy.
    return float(0.5 * (1 + np.maximum(pos - neg, 0).sum()))


def _best_threshold(x: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(x, kind="mergesort")
    xs, ys = x[order], y[order]
    n_pos, n_neg = ys.sum(), (~ys).sum()
    pos_below = np.cumsum(ys)
    neg_below = np.cumsum(~ys)
    last_of_value = np.r_[xs[1:] != xs[:-1], True]  # cut only between distinct values
    tpr_low = pos_below[last_of_value] / n_pos  # churners at or below the cut
    tnr_low = 1 - neg_below[last_of_value] / n_neg
    balanced = 0.5 * (tpr_low + tnr_low)  # "low values mean churned"
    return float(np.max(np.maximum(balanced, 1 - balanced)))
