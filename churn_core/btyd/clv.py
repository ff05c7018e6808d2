"""CLV of a customer with no contract: discounted expected purchases x expected spend x margin.

With the app's assumptions (margin ``m``, monthly discount rate ``d`` from the annual rate,
horizon ``H`` months; :class:`~churn_core.survival.ClvAssumptions`), a month of ``w`` weeks
(30.4375 days, as everywhere in the app) and ``E[Y(t)]`` the customer's expected purchases in
the next ``t`` weeks (BG/NBD)::

    CLV = m * E[Z] * sum over k = 1..H of (E[Y(k w)] - E[Y((k - 1) w)]) / (1 + d)^k

Each month's expected purchases are paid at the customer's expected spend per purchase
``E[Z]`` (Gamma-Gamma) and discounted ``k`` months. This is Fader, Hardie and Lee's (2005,
JMR) discounted expected transactions, summed by month; ``lifetimes``'
``customer_lifetime_value`` computes the same sum (with a 4.345-week month) before the margin.
"""

from __future__ import annotations

import numpy as np

from churn_core.btyd.bgnbd import DAYS_PER_WEEK, BgNbd
from churn_core.survival import DAYS_PER_MONTH, ClvAssumptions

WEEKS_PER_MONTH = DAYS_PER_MONTH / DAYS_PER_WEEK
#: Distinct (x, T) histories per block: the month-by-history table of one block stays small.
_BLOCK = 50_000


def get_btyd_clv(
    bgnbd: BgNbd,
    frequency: np.ndarray,
    recency: np.ndarray,
    age: np.ndarray,
    expected_spend: np.ndarray,
    assumptions: ClvAssumptions | None = None,
    *,
    weeks_per_month: float = WEEKS_PER_MONTH,
) -> np.ndarray:
    """Each customer's CLV (see the module docstring), in the log's money.

    Parameters
    ----------
    bgnbd : BgNbd
        The fitted purchase model.
    frequency, recency, age : arrays
        Each customer's ``x``, ``t_x`` and ``T`` in weeks at the calibration end.
    expected_spend : array of float
        Expected spend per purchase (Gamma-Gamma); NaN gives NaN.
    assumptions : ClvAssumptions, optional
        Margin, discount rate and horizon; the app's defaults when omitted.
    weeks_per_month : float
        Length of a month in weeks.

    Examples
    --------
    >>> model = BgNbd(0.243, 4.414, 0.793, 2.426)
    >>> flat = ClvAssumptions(margin=1.0, annual_discount_rate=0.0, horizon_months=12)
    >>> clv = get_btyd_clv(model, [2], [30.43], [38.86], [10.0], flat)
    >>> bool(np.isclose(clv[0], 10 * model.get_expected_purchases(12 * WEEKS_PER_MONTH,
    ...     [2], [30.43], [38.86])[0]))
    True
    """
    assumptions = assumptions or ClvAssumptions()
    x = np.asarray(frequency, dtype=float)
    t_x = np.asarray(recency, dtype=float)
    age_ = np.asarray(age, dtype=float)
    months = np.arange(assumptions.horizon_months + 1, dtype=float)[:, None]
    discount = (1 + assumptions.monthly_discount_rate) ** -months[1:, 0]
    # E[Y(t)] = P(alive) * E[Y(t) | alive], and the second depends on (x, T) only: computed
    # once per distinct pair (a few thousand for any number of customers on daily data).
    pairs, inverse = np.unique(np.stack([x, age_]), axis=1, return_inverse=True)
    if_alive = np.empty(pairs.shape[1])
    for lo in range(0, pairs.shape[1], _BLOCK):
        part = slice(lo, lo + _BLOCK)
        cumulative = bgnbd.get_expected_purchases_if_alive(
            months * weeks_per_month, pairs[0, None, part], pairs[1, None, part]
        )
        if_alive[part] = discount @ np.diff(cumulative, axis=0)
    purchases = bgnbd.get_p_alive(x, t_x, age_) * if_alive[inverse.ravel()]
    return assumptions.margin * np.asarray(expected_spend, dtype=float) * purchases
