"""One customer: their churn probability, band, reasons, and how they compare with others."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from churn_core.explain.contributions import ChurnExplainer, Explanation
from churn_core.model import TYPICAL_NAME, ChurnModel, describe_typical, get_band
from churn_core.schema import FeatureSchema


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


def explain_customer(
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
class TypicalCustomer:
    """The one typical customer the form starts from and every explanation starts at."""

    values: dict[str, Any]
    probability: float  # the model's risk for these values: the explanations' base, rounded
    name: str
    help: str


def get_typical_customer(model: ChurnModel) -> TypicalCustomer:
    """The typical customer (see ``churn_core.model.typical``), its risk, name and help text."""
    values = model.typical_customer
    p = float(model.predict_proba(to_frame(values, model.schema))[0])
    return TypicalCustomer(values, p, TYPICAL_NAME, describe_typical(p, model.base_rate))
