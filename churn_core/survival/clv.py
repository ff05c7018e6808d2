"""Customer lifetime value: what a current customer's future months are worth today.

For a customer ``t`` whole months in, with monthly revenue ``r``, retention curve ``S`` and the
assumptions (margin ``m``, monthly discount rate ``d`` from the annual rate, horizon ``H``)::

    CLV = m * r * sum over k = 1..H of  S(t + k) / S(t) / (1 + d) ** k

``S(t + k) / S(t)`` is the chance a customer who has stayed ``t`` months stays ``k`` more: the
curve *conditional on tenure so far*. Each future month is paid if the customer is still there
k months from now, and is discounted k months. Without discounting, the sum is the expected
remaining months within the horizon.

Everything depends on ``t`` only through a table with one factor per whole month of tenure, so
a million customers cost one table look-up each (numpy, no lifelines per row).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from churn_core.survival.durations import get_tenure_months
from churn_core.survival.kaplan_meier import RetentionCurve

#: Defaults shown, and editable, on the Retention & CLV page.
DEFAULT_MARGIN = 0.6
DEFAULT_ANNUAL_DISCOUNT_RATE = 0.10
DEFAULT_HORIZON_MONTHS = 36
MAX_HORIZON_MONTHS = 240


@dataclass(frozen=True)
class ClvAssumptions:
    """The assumptions behind every CLV figure, visible and editable.

    Attributes
    ----------
    margin : float
        Share of revenue kept as profit (0.6 = 60 %), in (0, 1].
    annual_discount_rate : float
        What money a year from now is worth less than today (0.10 = 10 % a year), in [0, 1).
    horizon_months : int
        How far ahead to count, 1 to 240 months.
    """

    margin: float = DEFAULT_MARGIN
    annual_discount_rate: float = DEFAULT_ANNUAL_DISCOUNT_RATE
    horizon_months: int = DEFAULT_HORIZON_MONTHS

    def __post_init__(self) -> None:
        if not 0 < self.margin <= 1:
            raise ValueError(f"margin must be between 0 and 1 (0.6 = 60%); got {self.margin}.")
        if not 0 <= self.annual_discount_rate < 1:
            raise ValueError(
                "annual_discount_rate must be between 0 and 1 (0.1 = 10% a year); got "
                f"{self.annual_discount_rate}."
            )
        if not 1 <= int(self.horizon_months) <= MAX_HORIZON_MONTHS:
            raise ValueError(
                f"horizon_months must be 1 to {MAX_HORIZON_MONTHS}; got {self.horizon_months}."
            )

    @property
    def monthly_discount_rate(self) -> float:
        """``(1 + annual) ** (1/12) - 1``: 10 % a year is about 0.797 % a month."""
        return float((1 + self.annual_discount_rate) ** (1 / 12) - 1)

    def describe(self) -> str:
        """``"60% margin, 10% a year discount, 36-month horizon"``."""
        return (
            f"{self.margin:.0%} margin, {self.annual_discount_rate:.0%} a year discount, "
            f"{self.horizon_months}-month horizon"
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClvAssumptions:
        return cls(
            float(data.get("margin", DEFAULT_MARGIN)),
            float(data.get("annual_discount_rate", DEFAULT_ANNUAL_DISCOUNT_RATE)),
            int(data.get("horizon_months", DEFAULT_HORIZON_MONTHS)),
        )


def get_clv(
    tenure_months: np.ndarray,
    monthly_revenue: np.ndarray,
    curve: RetentionCurve,
    assumptions: ClvAssumptions | None = None,
) -> np.ndarray:
    """Lifetime value of each current customer (see the module docstring for the formula).

    Parameters
    ----------
    tenure_months : array of float
        Months as a customer so far; fractions count as the whole months completed.
    monthly_revenue : array of float
        Revenue per month of each customer.
    curve : RetentionCurve
        From :func:`churn_core.survival.kaplan_meier.fit_retention_curve` (or a model card).
    assumptions : ClvAssumptions, optional
        Margin, discount rate and horizon; the defaults when omitted.

    Returns
    -------
    np.ndarray
        One value per customer; NaN where tenure or revenue is missing or negative tenure.

    Examples
    --------
    >>> flat = RetentionCurve((1.0, 1.0), tail_retention=1.0, customers=1, churners=0)
    >>> no_discount = ClvAssumptions(margin=0.5, annual_discount_rate=0.0, horizon_months=12)
    >>> get_clv(np.array([3.0]), np.array([100.0]), flat, no_discount)  # 0.5 * 100 * 12
    array([600.])
    """
    assumptions = assumptions or ClvAssumptions()
    factor = get_value_factors(curve, assumptions)
    tenure = np.asarray(tenure_months, dtype=float)
    revenue = np.asarray(monthly_revenue, dtype=float)
    known = ~np.isnan(tenure) & (tenure >= 0)
    index = np.minimum(np.floor(np.where(known, tenure, 0.0)), len(factor) - 1).astype(np.int64)
    value = assumptions.margin * revenue * factor[index]
    return np.where(known, value, np.nan)


def get_table_clv(
    frame: pd.DataFrame,
    curve: RetentionCurve,
    revenue_column: str | None,
    assumptions: ClvAssumptions | None = None,
    *,
    as_of: date | None = None,
) -> np.ndarray:
    """CLV per row of a file scored later, reading tenure the way the curve's source says.

    NaN where the revenue column is missing or blank, or tenure is unknown. ``as_of`` (today
    when the function runs) ends durations that come from a signup date.
    """
    if not revenue_column or revenue_column not in frame.columns:
        return np.full(len(frame), np.nan)
    revenue = pd.to_numeric(frame[revenue_column], errors="coerce").to_numpy(float)
    tenure = get_tenure_months(frame, curve.source, as_of=as_of)
    return get_clv(tenure, revenue, curve, assumptions)


def get_expected_months(
    tenure_months: np.ndarray, curve: RetentionCurve, horizon_months: int
) -> np.ndarray:
    """Expected further months as a customer within the horizon, given tenure so far.

    ``sum over k = 1..H of S(t + k) / S(t)``: the undiscounted CLV factor; NaN where unknown.
    """
    flat = ClvAssumptions(margin=1.0, annual_discount_rate=0.0, horizon_months=horizon_months)
    return get_clv(tenure_months, np.ones(len(np.asarray(tenure_months))), curve, flat)


def get_value_factors(curve: RetentionCurve, assumptions: ClvAssumptions) -> np.ndarray:
    """Discounted expected months ahead for each whole month of tenure 0, 1, ..., len(curve).

    The last entry holds for every longer tenure: past the curve, retention falls by the same
    ``tail_retention`` each month, so the conditional chances no longer change.
    """
    horizon = int(assumptions.horizon_months)
    tenures = np.arange(len(curve.survival) + 1, dtype=float)
    ahead = np.arange(1, horizon + 1, dtype=float)
    now = curve.at(tenures)
    later = curve.at(tenures[:, None] + ahead[None, :])  # (tenures, horizon): small
    discount = (1 + assumptions.monthly_discount_rate) ** -ahead
    with np.errstate(divide="ignore", invalid="ignore"):
        stay = np.where(now[:, None] > 0, later / now[:, None], 0.0)
    return np.asarray(stay @ discount)


def get_revenue_at_risk(probability: np.ndarray, clv: np.ndarray) -> float:
    """Sum over customers of churn probability x CLV (customers without a CLV are skipped).

    >>> get_revenue_at_risk(np.array([0.5, 0.1, 0.9]), np.array([1000.0, 200.0, np.nan]))
    520.0
    """
    product = np.asarray(probability, dtype=float) * np.asarray(clv, dtype=float)
    return float(np.nansum(product))
