"""One customer: their risk, band and reasons, how they compare, and what would lower their risk.

The what-if suggestion searches the smallest change to actionable columns that moves the
customer down a risk band: first one column at a time, then pairs of values of the columns
that lower risk most on their own. "Smallest" means a switch of
category counts 1, and a number's change counts its size relative to the spread of typical
customers (the 10th to 90th percentile); ties go to the larger drop in risk.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from churn_core.columns import HIGH, LOW, MEDIUM, RISK_BANDS
from churn_core.explain import ChurnExplainer, Explanation, format_value
from churn_core.features import BLANK, FeatureSchema
from churn_core.model import ChurnModel

#: Pairs of changes are tried among this many most promising columns.
PAIR_COLUMNS = 6


def get_band(p: float, *, cutoff: float, base_rate: float) -> str:
    """High above the cut-off, Medium above the average churn rate, else Low.

    >>> get_band(0.7, cutoff=0.5, base_rate=0.2), get_band(0.3, cutoff=0.5, base_rate=0.2)
    ('High', 'Medium')
    """
    if p >= cutoff:
        return HIGH
    return MEDIUM if p >= base_rate else LOW


def get_percentile(p: float, population: np.ndarray) -> float:
    """Share of ``population`` with a lower risk than ``p`` (0-1).

    >>> get_percentile(0.5, np.array([0.1, 0.2, 0.6, 0.9]))
    0.5
    """
    population = np.asarray(population, dtype=float)
    return float((population < p).mean()) if len(population) else float("nan")


def to_frame(customer: Mapping[str, Any], schema: FeatureSchema) -> pd.DataFrame:
    """One customer as a one-row table with the schema's columns (missing ones blank)."""
    return pd.DataFrame([{c: customer.get(c) for c in schema.columns}])


@dataclass(frozen=True)
class CustomerScore:
    """One customer's risk: probability, band, rank among others, and the explanation."""

    probability: float
    band: str
    percentile: float  # share of the reference customers with a lower risk (nan if none)
    explanation: Explanation

    def describe_rank(self) -> str:
        if np.isnan(self.percentile):
            return ""
        # Floored: a customer above 99.6 % of others is not "higher than 100 %".
        return f"higher than {np.floor(100 * self.percentile):.0f}% of customers"


def score_customer(
    explainer: ChurnExplainer,
    customer: Mapping[str, Any],
    *,
    cutoff: float,
    population: np.ndarray | None = None,
) -> CustomerScore:
    """Score and explain one customer given as ``{column: value}``."""
    model = explainer.model
    explanation = explainer.explain(to_frame(customer, model.schema))
    p = float(explanation.probability[0])
    return CustomerScore(
        p,
        get_band(p, cutoff=cutoff, base_rate=model.base_rate),
        get_percentile(p, population if population is not None else np.array([])),
        explanation,
    )


@dataclass(frozen=True)
class Suggestion:
    """Changes that move a customer down a band, with the risk before and after."""

    changes: dict[str, tuple[Any, Any]]  # column -> (before, after)
    before: float
    after: float
    band_before: str
    band_after: str

    def apply(self, customer: Mapping[str, Any]) -> dict[str, Any]:
        return {**customer, **{c: new for c, (_, new) in self.changes.items()}}

    def describe(self) -> str:
        """``switching Contract to One year lowers risk from 64% to 31% (High to Low)``."""
        parts = []
        for column, (old, new) in self.changes.items():
            if isinstance(new, str):
                parts.append(f"switching {column} to {new}")
            else:
                parts.append(f"changing {column} from {format_value(old)} to {format_value(new)}")
        return (
            f"{' and '.join(parts)} lowers risk from {self.before:.0%} to {self.after:.0%} "
            f"({self.band_before} to {self.band_after})"
        )


def suggest_change(
    model: ChurnModel,
    customer: Mapping[str, Any],
    actionable: Sequence[str],
    *,
    cutoff: float,
) -> Suggestion | None:
    """The smallest change to ``actionable`` columns that lowers the customer's band, if any."""
    schema = model.schema
    customer = {c: customer.get(c) for c in schema.columns}
    before = float(model.predict_proba(to_frame(customer, schema))[0])
    band = get_band(before, cutoff=cutoff, base_rate=model.base_rate)
    if band == LOW:
        return None
    single = [
        (column, value, size)
        for column in actionable
        if column in schema.columns
        for value, size in _candidates(schema, column, customer[column])
    ]
    if not single:
        return None
    tried = [{column: value} for column, value, _ in single]
    sizes = [size for _, _, size in single]
    p = model.predict_proba(pd.DataFrame([{**customer, **change} for change in tried]))
    best = _smallest(tried, sizes, p, band, cutoff, model.base_rate)
    if best is None:  # no single change is enough: pairs of values of the leading columns
        lowest: dict[str, float] = {}
        for (column, _, _), p_one in zip(single, p, strict=True):
            lowest[column] = min(lowest.get(column, 1.0), float(p_one))
        leading = set(sorted(lowest, key=lowest.__getitem__)[:PAIR_COLUMNS])
        options = [k for k, (column, _, _) in enumerate(single) if column in leading]
        pairs = [(a, b) for a, b in combinations(options, 2) if single[a][0] != single[b][0]]
        if not pairs:
            return None
        tried = [{**tried[a], **tried[b]} for a, b in pairs]
        sizes = [sizes[a] + sizes[b] for a, b in pairs]
        p = model.predict_proba(pd.DataFrame([{**customer, **change} for change in tried]))
        best = _smallest(tried, sizes, p, band, cutoff, model.base_rate)
    if best is None:
        return None
    change, after = best
    return Suggestion(
        {c: (customer[c], v) for c, v in change.items()},
        before,
        after,
        band,
        get_band(after, cutoff=cutoff, base_rate=model.base_rate),
    )


def _candidates(schema: FeatureSchema, column: str, current: Any) -> list[tuple[Any, float]]:
    """Values to try for one column, with the size of the change."""
    if column in schema.categorical:
        levels = schema.levels.get(column, [])
        return [(v, 1.0) for v in levels if v not in (BLANK, current)]
    ranges = schema.ranges.get(column)
    if not ranges or current is None or pd.isna(current):
        return []
    spread = (ranges["p90"] - ranges["p10"]) or (ranges["max"] - ranges["min"]) or 1.0
    quantiles = {ranges[k] for k in ("min", "p10", "p25", "median", "p75", "p90", "max")}
    if ranges.get("whole") == 1.0:  # whole numbers stay whole: 2 support tickets, not 2.5
        quantiles = {float(round(v)) for v in quantiles}
    return [(v, abs(v - float(current)) / spread) for v in sorted(quantiles) if v != current]


def _smallest(
    changes: list[dict[str, Any]],
    sizes: list[float],
    p: np.ndarray,
    band: str,
    cutoff: float,
    base_rate: float,
) -> tuple[dict[str, Any], float] | None:
    rank = RISK_BANDS.index(band)
    lower = [
        i
        for i in range(len(changes))
        if RISK_BANDS.index(get_band(float(p[i]), cutoff=cutoff, base_rate=base_rate)) > rank
    ]
    if not lower:
        return None
    i = min(lower, key=lambda i: (round(sizes[i], 9), p[i]))
    return changes[i], float(p[i])
