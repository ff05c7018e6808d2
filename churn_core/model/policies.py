"""Who to flag: threshold policies, risk bands, and the expected churners among the flagged.

Three ways to decide, each a business question:

- **Best F1** (default): the probability cut-off that balances catching leavers and not
  bothering stayers, chosen on training data.
- **Capacity**: "we can contact 500 customers" (or "the top 5 %"): flag the top of the list.
- **Expected profit**: flag a customer when saving them is worth more than the offer:
  ``probability x success rate x value > offer cost``.

Because probabilities are calibrated, their sum over the flagged customers estimates how many of
them will actually leave; every policy reports it next to the count flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from churn_core.columns import HIGH, LOW, MEDIUM

BEST_F1 = "best_f1"
CAPACITY = "capacity"
PROFIT = "profit"


@dataclass(frozen=True)
class Policy:
    """How to choose the flagged customers (see the module docstring)."""

    kind: str = BEST_F1
    capacity: int | None = None  # number of customers ...
    capacity_share: float | None = None  # ... or share of customers, for CAPACITY
    saved_value: float = 0.0  # value of a saved customer when no per-customer value is known
    offer_cost: float = 0.0
    success_rate: float = 0.3  # share of flagged would-be leavers an offer keeps

    def describe(self, threshold: float) -> str:
        if self.kind == CAPACITY:
            if self.capacity is not None:
                return f"the top {self.capacity:,} customers"
            return f"the top {self.capacity_share or 0:.0%} of customers"
        if self.kind == PROFIT:
            return "customers where an offer is expected to pay for itself"
        return f"customers with a churn probability of {threshold:.0%} or more"


@dataclass(frozen=True)
class Flagging:
    """The outcome of a policy over a scored list."""

    flagged: np.ndarray  # bool per customer
    bands: np.ndarray  # "High" / "Medium" / "Low" per customer
    count: int
    expected_churners: float
    cutoff: float | None = None  # flagged = probability >= cutoff, when a probability decides

    def summary(self) -> str:
        return (
            f"{self.count:,} customers flagged; about {self.expected_churners:,.0f} of them are "
            "expected to leave"
        )


def apply_policy(
    p: np.ndarray,
    policy: Policy,
    *,
    threshold: float,
    base_rate: float,
    values: np.ndarray | None = None,
    ranking: np.ndarray | None = None,
) -> Flagging:
    """Flag customers by ``policy`` and band everyone.

    ``ranking`` orders customers for the capacity policy (most at risk first; by default by
    probability). Bands: **High** = flagged; **Medium** = not flagged but above the average
    churn rate ``base_rate``; **Low** = the rest.

    >>> f = apply_policy(np.array([0.9, 0.5, 0.3, 0.1]), Policy(), threshold=0.4, base_rate=0.2)
    >>> f.bands.tolist(), f.count, round(f.expected_churners, 2)
    (['High', 'High', 'Medium', 'Low'], 2, 1.4)
    """
    p = np.asarray(p, dtype=float)
    n = len(p)
    cutoff: float | None = None
    if policy.kind == CAPACITY:
        k = (
            policy.capacity
            if policy.capacity is not None
            else round((policy.capacity_share or 0.0) * n)
        )
        order = ranking if ranking is not None else np.argsort(-p, kind="mergesort")
        flagged = np.zeros(n, dtype=bool)
        flagged[order[: max(0, min(int(k), n))]] = True
        by_probability = values is None or bool(np.isnan(values).all())
        cutoff = float(p[flagged].min()) if by_probability and flagged.any() else None
    elif policy.kind == PROFIT:
        worth = values if values is not None else np.full(n, policy.saved_value)
        worth = np.where(np.isnan(worth), policy.saved_value, worth)
        flagged = p * policy.success_rate * worth > policy.offer_cost
    else:
        flagged = p >= threshold
        cutoff = threshold
    bands = get_bands(p, flagged, base_rate)
    return Flagging(flagged, bands, int(flagged.sum()), float(p[flagged].sum()), cutoff)


def get_bands(p: np.ndarray, flagged: np.ndarray, base_rate: float) -> np.ndarray:
    """High = flagged; Medium = not flagged but at or above the average churn rate; Low."""
    return np.where(flagged, HIGH, np.where(p >= base_rate, MEDIUM, LOW)).astype(object)


def get_band(p: float, *, cutoff: float, base_rate: float) -> str:
    """One customer's band when a probability cut-off decides who is flagged.

    >>> get_band(0.7, cutoff=0.5, base_rate=0.2), get_band(0.3, cutoff=0.5, base_rate=0.2)
    ('High', 'Medium')
    """
    return str(get_bands(np.array([p]), np.array([p >= cutoff]), base_rate)[0])
