"""Advice for some customers: probability, band, reasons, the action, and the what-if move.

One function for the page and the command line (``python -m churn_core explain``): explain the
customers once, then per customer their risk-raising reasons, the recommended action, and the
smallest allowed move that lowers their band, or why there is none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from churn_core.explain.actions import get_action_plan, get_active_actions, recommend_actions
from churn_core.explain.contributions import ChurnExplainer, get_top_reasons
from churn_core.explain.what_if import WhatIf, advise_change
from churn_core.model import get_band

#: Reasons given per customer, strongest first.
REASONS = 3


@dataclass(frozen=True)
class CustomerAdvice:
    """What to know and do about one customer."""

    id: Any
    probability: float
    band: str
    reasons: list[tuple[str, str, float]]  # (column, value as written, points)
    action: str
    what_if: WhatIf

    def to_dict(self) -> dict[str, Any]:
        """The command line's JSON object for this customer."""
        suggestion = self.what_if.suggestion
        return {
            "id": _plain(self.id),
            "churn_probability": round(self.probability, 6),
            "risk_band": self.band,
            "reasons": [
                {"column": c, "value": v, "points": round(p, 2)} for c, v, p in self.reasons
            ],
            "recommended_action": self.action,
            "suggestion": None
            if suggestion is None
            else {
                "changes": [
                    {"column": c, "from": _plain(old), "to": _plain(new)}
                    for c, (old, new) in suggestion.changes.items()
                ],
                "recomputed": [
                    {"column": c, "from": _plain(old), "to": _plain(new)}
                    for c, (old, new) in suggestion.recomputed.items()
                ],
                "probability_after": round(suggestion.after, 6),
                "risk_band_after": suggestion.band_after,
            },
            "why": self.what_if.why if suggestion is None else "",
            "backfires": list(self.what_if.backfires),
        }


def advise_customers(
    explainer: ChurnExplainer,
    customers: pd.DataFrame,
    ids: Sequence[Any],
    *,
    cutoff: float,
    levers: pd.DataFrame | Sequence[str] | None = None,
    actions: pd.DataFrame | None = None,
    reasons: int = REASONS,
) -> list[CustomerAdvice]:
    """Advice for each row of ``customers`` (``ids`` name them, in the same order).

    ``levers`` is the lever table (default: guessed), ``actions`` the action table (default: the
    first plan's, with actions for the category values that raise risk among these customers).
    A customer at or above ``cutoff`` is flagged: with no actionable reason, they get "call them
    personally". Derived columns the model keeps are never reasons (as in the at-risk list).
    """
    if len(customers) != len(ids):
        raise ValueError(f"ids must name each customer: {len(ids)} for {len(customers)} rows.")
    model = explainer.model
    if customers.empty:
        return []
    explanation = explainer.explain(customers)
    if actions is None:
        plan = get_action_plan(model, explanation)
        actions = get_active_actions(*plan)
    p = explanation.probability
    flagged = np.asarray(p >= cutoff)
    found = get_top_reasons(explanation, n=reasons, exclude=model.schema.derived)
    chosen = recommend_actions(explanation, model.schema, actions, flagged=flagged)
    rows = customers.to_dict("records")
    return [
        CustomerAdvice(
            ids[i],
            float(p[i]),
            get_band(float(p[i]), cutoff=cutoff, base_rate=model.base_rate),
            found[i],
            chosen[i],
            advise_change(model, rows[i], levers, cutoff=cutoff),
        )
        for i in range(len(rows))
    ]


def _plain(value: Any) -> Any:
    """A JSON-ready value: numpy numbers as Python ones, blanks as None."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value
