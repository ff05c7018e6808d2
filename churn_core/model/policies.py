"""Who to flag: threshold policies, risk bands, and the expected churners among the flagged.

Three ways to decide, each a business question:

- **Best F1** (default): the probability cut-off that balances catching leavers and not
  bothering stayers, chosen on training data.
- **Capacity**: "we can contact 500 customers" (or "the top 5 %"): flag the top of the list.
- **Expected profit**: flag a customer when saving them is worth more than the offer:
  ``probability x success rate x value > offer cost``.

What a flagged group is worth in money (customers saved, offer cost, net value) is
:func:`get_policy_value`.

Because probabilities are calibrated, their sum over the flagged customers estimates how many of
them will actually leave; every policy reports it next to the count flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from churn_core.columns import HIGH, LOW, MEDIUM
from churn_core.errors import plural
from churn_core.io import format_money

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


@dataclass(frozen=True)
class PolicyValue:
    """What offering to a flagged group is worth, from the user's own value, cost and success.

    ``expected_saved`` = sum over the flagged of probability x success rate (customers kept);
    ``offer_cost`` = flagged x cost of an offer; ``value_saved`` = sum of probability x success
    rate x value; ``net_value`` = value saved - offer cost.
    """

    flagged: int
    expected_churners: float
    expected_saved: float
    offer_cost: float
    value_saved: float
    net_value: float
    success_rate: float
    cost_per_offer: float
    #: Flagged customers valued at the default ``saved_value`` (their own value is unknown).
    valued_by_default: int = 0
    currency: str | None = None

    def describe(self) -> str:
        """The value in one sentence, money with the currency when set.

        >>> get_policy_value(np.array([0.5, 0.3]), np.array([True, True]), values=np.array(
        ...     [1000.0, 500.0]), offer_cost=50, success_rate=0.4, currency="EUR").describe()
        'Offering to the 2 flagged customers costs €100; about 0.3 of the 0.8 expected to leave would stay, worth €260: a net gain of €160.'
        """  # noqa: E501
        if not self.flagged:
            return "Nobody is flagged, so no offer is made: nothing is spent and nothing saved."
        cost, worth = self.money(self.offer_cost), self.money(self.value_saved)
        net = (
            f"a net gain of {self.money(self.net_value)}"
            if self.net_value >= 0
            else f"a net loss of {self.money(-self.net_value)}"
        )
        text = (
            f"Offering to the {plural(self.flagged, 'flagged customer')} costs {cost}; about "
            f"{_count(self.expected_saved)} of the {_count(self.expected_churners)} expected to "
            f"leave would stay, worth {worth}: {net}."
        )
        if self.valued_by_default:
            text += (
                f" {plural(self.valued_by_default, 'customer')} without a value of their own "
                "count at the value you entered."
            )
        return text

    def money(self, amount: float) -> str:
        """An amount in this value's currency: ``"€1,200"`` (plain ``"1,200"`` without one)."""
        return format_money(amount, self.currency)


def _count(expected: float) -> str:
    """Expected customers: one decimal below 10 (``0.3``), whole above (``42``)."""
    return f"{expected:,.1f}" if expected < 10 else f"{expected:,.0f}"


def get_policy_value(
    p: np.ndarray,
    flagged: np.ndarray,
    *,
    values: np.ndarray | None = None,
    saved_value: float = 0.0,
    offer_cost: float,
    success_rate: float,
    currency: str | None = None,
) -> PolicyValue:
    """What an offer to the flagged customers is worth (see :class:`PolicyValue`).

    Parameters
    ----------
    p : np.ndarray
        Churn probability per customer.
    flagged : np.ndarray
        True for the customers who get the offer (a policy's ``Flagging.flagged``).
    values : np.ndarray, optional
        What keeping each customer is worth (the list's ``customer_value``); NaN or missing
        values count at ``saved_value``.
    saved_value : float
        The value of a saved customer when their own is unknown.
    offer_cost, success_rate : float
        Cost of one offer, and the share of would-be leavers an offer keeps (0 to 1).
    """
    if not 0 <= success_rate <= 1:
        raise ValueError(f"success_rate must be between 0 and 1; got {success_rate}.")
    if offer_cost < 0:
        raise ValueError(f"offer_cost must not be negative; got {offer_cost}.")
    p = np.asarray(p, dtype=float)
    chosen = np.asarray(flagged, dtype=bool)
    worth = np.full(len(p), float(saved_value)) if values is None else np.asarray(values, float)
    unknown = np.isnan(worth) & chosen
    worth = np.where(np.isnan(worth), float(saved_value), worth)
    kept = p[chosen] * success_rate
    value_saved = float((kept * worth[chosen]).sum())
    cost = float(chosen.sum()) * float(offer_cost)
    return PolicyValue(
        flagged=int(chosen.sum()),
        expected_churners=float(p[chosen].sum()),
        expected_saved=float(kept.sum()),
        offer_cost=cost,
        value_saved=value_saved,
        net_value=value_saved - cost,
        success_rate=float(success_rate),
        cost_per_offer=float(offer_cost),
        valued_by_default=int(unknown.sum()) if values is not None else 0,
        currency=currency,
    )
