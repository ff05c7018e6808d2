"""Why a customer's risk is what it is: SHAP contributions, grouped back to the user's columns.

Exact by construction (docs/architecture.md, "Modelling rules"):

- Trees (gradient boosting) by exact path-dependent TreeSHAP on one-hot inputs, in the model's
  raw log-odds (never a probability mode, which is not additive): ``treeshap.py`` computes what
  ``shap.TreeExplainer(model, model_output="raw")`` does (a test checks they agree) in NumPy.
- Linear models by their exact SHAP values, ``coef * (x - reference)``, measured from the mean
  training customer saved with the model (``ChurnModel.reference``). This is what
  ``shap.LinearExplainer`` computes with an independent masker (a test checks they agree).

shap itself is not imported: its import alone (numba, llvmlite, matplotlib) costs ~95 MB of a
512 MB dyno. It stays the reference the tests compare with (``requirements-dev.txt``).

Calibration is a straight line in log-odds (``slope * raw + intercept``), so contributions
scale by ``slope`` and stay exact: ``base_log_odds + contributions.sum() == logit(p)``.

People read **probability points** instead: a customer's distance from the base risk
(``p - base_probability``) is split among the columns by walking them strongest first, each
taking the change in probability it makes from where the walk has got to (see ``to_points``).
So ``base_probability + points.sum() == p`` (in points/100), every contribution keeps its
sign, and a waterfall of them never leaves 0-100 %. The base is the risk of a customer whose
log-odds are the model's average: "a typical customer".

All one-hot pieces of a column (``Contract_Month-to-month``, ``Contract_One year``...) and a
number's missing-value indicator become one contribution of that column.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit

from churn_core.explain.treeshap import HistGradientBoostingExplainer
from churn_core.model import ChurnModel, model_threads
from churn_core.schema import BLANK, get_feature_frame

_INDICATOR = "missingindicator_"


@dataclass(frozen=True)
class Explanation:
    """Grouped contributions for some customers, in log-odds and in probability points."""

    columns: tuple[str, ...]  # the user's feature columns, in the model's schema order
    values: pd.DataFrame  # the customers' values as the model read them (schema columns)
    base_log_odds: float
    log_odds: np.ndarray  # (customers, columns): calibrated log-odds contributions
    points: np.ndarray  # (customers, columns): probability points, 0-100 scale
    probability: np.ndarray  # (customers,): calibrated churn probability

    @property
    def base_probability(self) -> float:
        """The typical customer's risk, where every explanation starts."""
        return float(expit(self.base_log_odds))

    def __len__(self) -> int:
        return len(self.probability)

    def get_customer_df(self, i: int) -> pd.DataFrame:
        """One customer's contributions, strongest first: column, value, points, reason."""
        row = self.values.iloc[i]
        frame = pd.DataFrame(
            {
                "column": self.columns,
                "value": [format_value(row[c]) for c in self.columns],
                "points": self.points[i],
            }
        )
        frame["reason"] = [
            describe_reason(c, v, p)
            for c, v, p in zip(frame["column"], frame["value"], frame["points"], strict=True)
        ]
        order = np.argsort(-np.abs(frame["points"].to_numpy()), kind="stable")
        return frame.iloc[order].reset_index(drop=True)


class ChurnExplainer:
    """The SHAP explainer that fits a model, built once per model and reused (a gradient
    boosting model's tables take about half a second)."""

    def __init__(self, model: ChurnModel) -> None:
        self.model = model
        estimator = model.pipeline[-1]
        self._tree: HistGradientBoostingExplainer | None = None
        if model.is_linear:
            if model.reference is None:
                raise ValueError("A linear model needs its reference customer to be explained.")
            self._coef = np.asarray(estimator.coef_[0], dtype=float)
            self._reference = np.asarray(model.reference, dtype=float)
            raw_base = float(estimator.intercept_[0] + self._coef @ self._reference)
        else:
            self._tree = HistGradientBoostingExplainer(estimator)
            raw_base = self._tree.expected_value
        self.piece_columns = get_piece_columns(model)
        self.base_log_odds = model.slope * raw_base + model.intercept

    def explain_pieces(self, encoded: np.ndarray) -> np.ndarray:
        """Calibrated log-odds contributions of every encoded piece (one-hot level, number)."""
        if self._tree is None:
            raw = (encoded - self._reference) * self._coef
        else:
            with model_threads():
                raw = self._tree.shap_values(encoded)
        return self.model.slope * raw.reshape(len(encoded), -1)

    def explain(self, frame: pd.DataFrame) -> Explanation:
        """Explain every row of a customer table (raw file columns are read like the model's)."""
        values = get_feature_frame(frame, self.model.schema)
        encoded = self.model.encode(values)
        pieces = self.explain_pieces(encoded)
        columns = self.model.schema.columns
        grouped = group_pieces(pieces, self.piece_columns, columns)
        with model_threads():  # the model's own output, which the contributions add up to
            raw = self.model.encoded_log_odds(encoded)
        p = np.asarray(expit(self.model.slope * raw + self.model.intercept))
        return Explanation(
            columns,
            values.reset_index(drop=True),
            self.base_log_odds,
            grouped,
            to_points(grouped, self.base_log_odds),
            p,
        )


def get_piece_columns(model: ChurnModel) -> list[str]:
    """For each column the model sees after encoding, the user's column it came from."""
    prepare = model.pipeline[:-1][-1]  # the ColumnTransformer
    out: list[str] = []
    for name, transformer, columns in prepare.transformers_:
        columns = list(columns)
        if name == "remainder" or not columns:
            continue
        if name == "cat":
            for column, levels in zip(columns, transformer.categories_, strict=True):
                out.extend([column] * len(levels))
        elif transformer == "passthrough":
            out.extend(columns)
        else:
            names = transformer.get_feature_names_out(columns)
            out.extend(str(n).removeprefix(_INDICATOR) for n in names)
    return out


def group_pieces(
    pieces: np.ndarray, piece_columns: list[str], columns: tuple[str, ...]
) -> np.ndarray:
    """Sum the pieces of each column: (customers, pieces) -> (customers, columns).

    >>> group_pieces(np.array([[1.0, 2.0, 0.5]]), ["a", "b", "b"], ("a", "b")).tolist()
    [[1.0, 2.5]]
    """
    index = {c: j for j, c in enumerate(columns)}
    membership = np.zeros((len(piece_columns), len(columns)))
    for i, column in enumerate(piece_columns):
        membership[i, index[column]] = 1.0
    return np.asarray(pieces) @ membership


def to_points(log_odds: np.ndarray, base_log_odds: float) -> np.ndarray:
    """Log-odds contributions -> probability points (0-100) that add up to the probability.

    The columns are walked strongest first (largest log-odds effect); each gets the change in
    probability it makes from where the walk has got to. So the points add up exactly to
    ``p - base``, each keeps its sign, and every running total (the waterfall's bars) stays a
    real probability between 0 and 100 %.

    >>> pts = to_points(np.array([[2.0, -1.0]]), 0.0)
    >>> [round(float(x), 2) for x in pts[0]]
    [38.08, -14.97]
    >>> round(float(pts.sum()), 6) == round(100 * (float(expit(1.0)) - 0.5), 6)
    True
    """
    log_odds = np.asarray(log_odds, dtype=float)
    order = np.argsort(-np.abs(log_odds), axis=1, kind="stable")
    walked = np.take_along_axis(log_odds, order, axis=1)
    levels = expit(base_log_odds + np.cumsum(walked, axis=1))
    start = np.full((len(log_odds), 1), expit(base_log_odds))
    steps = np.diff(np.hstack([start, levels]), axis=1)
    points = np.empty_like(log_odds)
    np.put_along_axis(points, order, 100 * steps, axis=1)
    return points


def format_value(value: Any) -> str:
    """A value as a person would write it: ``2``, ``29.99``, ``12,500``, ``blank``.

    >>> format_value(2.0), format_value(29.994), format_value(12500.0), format_value(float("nan"))
    ('2', '29.99', '12,500', 'blank')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value == BLANK:
        return "blank"
    if isinstance(value, int | float | np.number):
        number = float(value)
        if number == round(number):
            return f"{number:,.0f}"
        return f"{number:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def format_points(points: float) -> str:
    """``+12 pts``, ``-5 pts``, ``+0.4 pts`` (small ones keep a decimal).

    >>> format_points(12.3), format_points(-4.6), format_points(0.42)
    ('+12 pts', '-5 pts', '+0.4 pts')
    """
    if abs(points) < 0.95:
        return f"{points:+.1f} pts"
    return f"{points:+.0f} pts"


def describe_reason(column: str, value: str, points: float) -> str:
    """A reason in the user's own names and values: ``Contract is Month-to-month (+12 pts)``.

    >>> describe_reason("TenureMonths", "2", 8.2)
    'TenureMonths is 2 (+8 pts)'
    """
    return f"{column} is {value} ({format_points(points)})"


def get_top_reasons(
    explanation: Explanation, n: int = 3, *, exclude: Collection[str] = ()
) -> list[list[tuple[str, str, float]]]:
    """Per customer, up to ``n`` columns that raise their risk most: (column, value, points).

    Only contributions that raise risk are reasons to call; a customer with none gets none.
    Columns in ``exclude`` are never reasons (derived columns a model keeps: they follow other
    columns, so no one acts on them); the next strongest take their place.
    """
    out = []
    columns = explanation.columns
    values = explanation.values.to_numpy(dtype=object)  # cell by cell from pandas is slow
    points = explanation.points
    if exclude:
        points = points.copy()
        points[:, [j for j, c in enumerate(columns) if c in exclude]] = -np.inf
    order = np.argsort(-points, axis=1, kind="stable")[:, :n]
    for i, top in enumerate(order):
        reasons = []
        for j in top:
            raised = float(points[i, j])
            if raised < 0.05:
                break
            reasons.append((columns[j], format_value(values[i, j]), raised))
        out.append(reasons)
    return out


def get_importance_df(explanation: Explanation) -> pd.DataFrame:
    """Global importance: each column's mean absolute contribution, in points, largest first."""
    frame = pd.DataFrame(
        {
            "column": explanation.columns,
            "mean_abs_points": np.abs(explanation.points).mean(axis=0),
            "raises_risk_share": (explanation.points > 0).mean(axis=0),
        }
    )
    return frame.sort_values("mean_abs_points", ascending=False, kind="stable").reset_index(
        drop=True
    )


def get_dependence_df(explanation: Explanation, column: str) -> pd.DataFrame:
    """How a column's value moves risk: one row per customer, its value and its points."""
    j = explanation.columns.index(column)
    return pd.DataFrame(
        {
            "value": explanation.values[column].to_numpy(),
            "points": explanation.points[:, j],
            "probability": explanation.probability,
        }
    )
