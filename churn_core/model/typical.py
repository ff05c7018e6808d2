"""The typical customer: one definition, one number, for the form and for every explanation.

Explanations start from the model's *base* risk: the risk at the model's average log-odds over
the training customers (for a linear model, the risk of the average customer in its encoding).
A form needs real values, so the typical customer is a **real training customer whose risk is
that base risk**: among the customers within :data:`RISK_TOLERANCE` of it, the one whose values
are closest to the commonest (median numbers, most common categories). The form's "typical
customer" and the waterfall's first bar then show the same customer and the same number.

The base sits below the churn rate: risk is averaged in log-odds, where a few customers with
very high risk weigh less than in the plain average.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit

from churn_core.schema import FeatureSchema

#: Largest gap, in probability, between the typical customer's risk and the base risk.
RISK_TOLERANCE = 0.0025
#: What the app calls it, and how it explains it.
TYPICAL_NAME = "A typical customer"


def find_typical_customer(
    features: pd.DataFrame, log_odds: np.ndarray, base_log_odds: float, schema: FeatureSchema
) -> dict[str, Any]:
    """The training customer to show as typical: its values (as the model reads them) and risk.

    ``log_odds`` are the customers' calibrated log-odds and ``base_log_odds`` the explanations'
    base, on the same scale.
    """
    p, base = expit(np.asarray(log_odds, dtype=float)), float(expit(base_log_odds))
    gap = np.abs(p - base)
    near = np.flatnonzero(gap <= max(RISK_TOLERANCE, float(np.sort(gap)[min(19, len(gap) - 1)])))
    near = near[np.argsort(gap[near], kind="stable")][:200]
    distance = np.zeros(len(near))
    for column in schema.numeric:
        ranges = schema.ranges.get(column)
        values = features[column].to_numpy(float)[near]
        if ranges:
            spread = (ranges["p90"] - ranges["p10"]) or 1.0
            distance += np.nan_to_num(np.abs(values - ranges["median"]) / spread, nan=1.0)
    for column in schema.categorical:
        distance += features[column].to_numpy(object)[near] != schema.typical.get(column)
    chosen = int(near[int(np.argmin(distance + gap[near]))])
    row = features.iloc[chosen]
    values = {c: (None if pd.isna(row[c]) else float(row[c])) for c in schema.numeric}
    values.update({c: str(row[c]) for c in schema.categorical})
    return {"values": values, "churn_probability": float(p[chosen]), "base_probability": base}


def describe_typical(probability: float, churn_rate: float) -> str:
    """The help text shown next to the typical customer, wherever it appears."""
    return (
        f"{TYPICAL_NAME}: a real customer from the training data whose churn risk "
        f"({probability:.0%}) is where every explanation starts (the model's average risk, "
        f"taken in log-odds), with values as close as possible to the commonest ones. It sits "
        f"below the churn rate ({churn_rate:.0%}) because a few customers with very high risk "
        "pull the plain average up."
    )
