"""What if a customer changed: before and after, and the smallest change that lowers the band.

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

from churn_core.columns import LOW, RISK_BANDS
from churn_core.explain.contributions import Explanation, format_value
from churn_core.explain.customer import to_frame
from churn_core.model import ChurnModel, get_band
from churn_core.schema import BLANK, FeatureSchema

#: Pairs of changes are tried among this many most promising columns.
PAIR_COLUMNS = 6


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


def get_what_if_df(before: Explanation, after: Explanation) -> pd.DataFrame:
    """Each column's effect on the first customer of ``before`` and of ``after``, in points."""
    return pd.DataFrame(
        {
            "Column": before.columns,
            "Before": [format_value(v) for v in before.values.iloc[0]],
            "After": [format_value(v) for v in after.values.iloc[0]],
            "Effect before (pts)": before.points[0].round(1),
            "Effect after (pts)": after.points[0].round(1),
        }
    )
