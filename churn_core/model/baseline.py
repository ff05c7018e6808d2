"""The one-rule baseline: the single best column with one cut, so users see what a model adds.

For a number column the rule is a threshold ("TenureMonths <= 6"); for a category column it is a
set of values ("Contract is Month-to-month"). Each side of the rule scores the churn rate it had
in training. The rule is chosen on training data only, then judged on the held-out customers
like every candidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from churn_core.schema import FeatureSchema


@dataclass(frozen=True)
class OneRule:
    """``column`` split by ``threshold`` (numbers) or ``values`` (categories) into two rates."""

    column: str
    threshold: float | None
    values: tuple[str, ...]
    rate_inside: float  # churn rate of customers the rule picks out
    rate_outside: float
    missing_inside: bool = False

    def describe(self) -> str:
        if self.threshold is not None:
            cut = self.threshold
            shown = f"{cut:,.0f}" if abs(cut) >= 1000 else f"{cut:,.4g}"
            return f"{self.column} <= {shown}"
        shown = ", ".join(self.values[:3]) + (" ..." if len(self.values) > 3 else "")
        return f"{self.column} is {shown}"

    def inside(self, features: pd.DataFrame) -> np.ndarray:
        x = features[self.column]
        if self.threshold is not None:
            values = x.to_numpy(dtype=float)
            return np.where(np.isnan(values), self.missing_inside, values <= self.threshold)
        return x.isin(self.values).to_numpy(bool)

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        return np.where(self.inside(features), self.rate_inside, self.rate_outside)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.describe(),
            "column": self.column,
            "rate_inside": self.rate_inside,
            "rate_outside": self.rate_outside,
        }


def fit_one_rule(features: pd.DataFrame, y: np.ndarray, schema: FeatureSchema) -> OneRule:
    """The column and cut whose two groups best separate leavers from stayers in training."""
    y = np.asarray(y).astype(bool)
    best: tuple[float, OneRule] | None = None
    for column in schema.columns:
        rule = (_numeric_rule if column in schema.numeric else _category_rule)(
            features[column], y, column
        )
        if rule is None:
            continue
        score = roc_auc_score(y, rule.predict_proba(features))
        if best is None or score > best[0]:
            best = (score, rule)
    if best is None:
        rate = float(y.mean())
        return OneRule(schema.columns[0], None, (), rate, rate)
    return best[1]


def _numeric_rule(x: pd.Series, y: np.ndarray, column: str) -> OneRule | None:
    values = x.to_numpy(dtype=float)
    known = ~np.isnan(values)
    if known.sum() < 2:
        return None
    candidates = np.unique(np.quantile(values[known], np.linspace(0.02, 0.98, 49)))
    best: tuple[float, float] | None = None
    n_pos, n_neg = y.sum(), (~y).sum()
    for cut in candidates:
        below = known & (values <= cut)
        tpr, fpr = (y & below).sum() / n_pos, (~y & below).sum() / n_neg
        balanced = max(0.5 * (tpr + 1 - fpr), 0.5 * (1 - tpr + fpr))
        if best is None or balanced > best[0]:
            best = (balanced, float(cut))
    if best is None:
        return None
    cut = best[1]
    inside = known & (values <= cut)
    missing_inside = bool(y[~known].mean() > y.mean()) if (~known).any() else False
    inside = inside | (~known & missing_inside)
    return OneRule(column, cut, (), _rate(y, inside), _rate(y, ~inside), missing_inside)


def _category_rule(x: pd.Series, y: np.ndarray, column: str) -> OneRule | None:
    rates = pd.Series(y).groupby(x.to_numpy()).mean()
    high = tuple(sorted(str(v) for v in rates.index[rates > y.mean()]))
    if not high or len(high) == len(rates):
        return None
    inside = x.isin(high).to_numpy(bool)
    return OneRule(column, None, high, _rate(y, inside), _rate(y, ~inside))


def _rate(y: np.ndarray, mask: np.ndarray) -> float:
    return float(y[mask].mean()) if mask.any() else float(y.mean())
