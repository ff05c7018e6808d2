"""Gamma-Gamma: how much a customer spends per purchase (Fader, Hardie and Lee 2005).

The model. Each purchase of a customer costs ``z ~ Gamma(p, nu)``, so their own average spend is
``p / nu``; ``nu`` differs across customers as ``nu ~ Gamma(q, v)`` (``v`` is the paper's gamma).
How much is spent is assumed independent of how often (check it: the correlation of frequency
and average spend across repeat customers should be small). We see ``x`` purchases with a
positive spend and their mean ``m``.

Likelihood of one customer's mean spend (Fader and Hardie 2013, "The Gamma-Gamma model of
monetary value"), with ``G`` the gamma function::

    f(m | x) = G(p x + q) / (G(p x) G(q)) * v^q m^(p x - 1) x^(p x) / (v + m x)^(p x + q)

Expected spend per future purchase given ``(x, m)`` (eq. 5), a weighted average of the
customer's own mean and the population mean ``p v / (q - 1)``::

    E[Z | x, m] = (q - 1) / (p x + q - 1) * p v / (q - 1) + p x / (p x + q - 1) * m
                = p (v + m x) / (p x + q - 1)

Customers with no repeat spend get the population mean. ``q > 1`` is needed for it to be finite.

References: Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "RFM and CLV: using iso-value
curves for customer base analysis", Journal of Marketing Research 42 (4), 415-430. On the 946
repeat customers of the 1/10 CDNOW sample: p = 6.25, q = 3.74, gamma = 15.44; a test
reproduces them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import digamma, gammaln

from churn_core.btyd.likelihood import maximize_likelihood
from churn_core.errors import ChurnDataError, Problem, plural

#: Fewer repeat customers with a spend than this, and how spend varies cannot be estimated.
MIN_SPEND_CUSTOMERS = 20
_STARTS = ((1.0, 1.0, 1.0), (5.0, 3.0, 5.0), (1.0, 10.0, 1.0))


@dataclass(frozen=True)
class GammaGamma:
    """A fitted Gamma-Gamma spend model, in the log's money.

    Attributes
    ----------
    p, q, v : float
        Shape of each customer's spend, and shape and scale of how it differs across customers.
    log_likelihood : float
        Summed over the customers it was fitted on.
    customers : int
        How many customers it was fitted on (those with a repeat purchase and a positive spend).
    """

    p: float
    q: float
    v: float
    log_likelihood: float = float("nan")
    customers: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"p": self.p, "q": self.q, "v": self.v}

    @property
    def mean_spend(self) -> float:
        """Expected spend per purchase of a customer we know nothing about: ``p v / (q - 1)``."""
        return self.p * self.v / (self.q - 1)

    def get_expected_spend(self, frequency: np.ndarray, monetary_value: np.ndarray) -> np.ndarray:
        """Expected spend per future purchase of each customer (see the module docstring).

        >>> GammaGamma(6.25, 3.74, 15.44).get_expected_spend(
        ...     np.array([0, 1, 10]), np.array([np.nan, 50.0, 50.0])).round(2)
        array([35.22, 45.49, 49.38])
        """
        x = np.asarray(frequency, dtype=float)
        m = np.where(x > 0, np.asarray(monetary_value, dtype=float), 0.0)
        return self.p * (self.v + m * x) / (self.p * x + self.q - 1)


def get_gamma_gamma_log_likelihood(
    params: tuple[float, float, float], frequency: np.ndarray, monetary_value: np.ndarray
) -> np.ndarray:
    """Each customer's log-likelihood under ``(p, q, v)`` (the module docstring's ``f``)."""
    x = np.asarray(frequency, dtype=float)
    m = np.asarray(monetary_value, dtype=float)
    return _log_likelihood_and_gradient(np.log(params), x, m)[0]


def fit_gamma_gamma(frequency: np.ndarray, monetary_value: np.ndarray) -> GammaGamma:
    """Fit p, q, v by maximum likelihood on customers with ``frequency > 0``.

    Parameters
    ----------
    frequency : array of int
        Repeat purchases with a positive spend, per customer (others are left out).
    monetary_value : array of float
        The average spend of those purchases.

    Raises
    ------
    ChurnDataError
        Fewer than :data:`MIN_SPEND_CUSTOMERS` such customers (how many, and how many are
        needed), a fit that did not converge, or spend so uneven that no average exists.
    """
    x = np.asarray(frequency, dtype=float)
    m = np.asarray(monetary_value, dtype=float)
    used = (x > 0) & np.isfinite(m) & (m > 0)
    if int(used.sum()) < MIN_SPEND_CUSTOMERS:
        raise ChurnDataError([_too_few(int(used.sum()))])
    x, m = x[used], m[used]
    scale = float(np.median(m))  # fit in units of the typical spend; v scales with money

    def objective(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        ll, grad = _log_likelihood_and_gradient(log_params, x, m / scale)
        return -float(ll.mean()), -grad.mean(axis=1)

    fix = "Check that the amount column is the money spent per purchase line."
    names = ("p", "q", "v")
    p, q, v = np.exp(maximize_likelihood(objective, _STARTS, names, "Gamma-Gamma spend", fix))
    v *= scale
    if q <= 1:
        raise ChurnDataError([_too_uneven(float(q))])
    ll = get_gamma_gamma_log_likelihood((p, q, v), x, m)
    return GammaGamma(float(p), float(q), float(v), float(ll.sum()), len(x))


def _log_likelihood_and_gradient(
    log_params: np.ndarray, x: np.ndarray, m: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per customer: ``log f(m | x)`` and its gradient in ``(log p, log q, log v)``."""
    p, q, v = np.exp(log_params)
    px = p * x
    log_total = np.log(v + m * x)
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(v)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * log_total
    )
    common = digamma(px + q)
    d_p = x * (common - digamma(px) + np.log(m) + np.log(x) - log_total)
    d_q = common - digamma(q) + np.log(v) - log_total
    d_v = q / v - (px + q) / (v + m * x)
    return ll, np.stack([d_p * p, d_q * q, d_v * v])


def _too_few(customers: int) -> Problem:
    return Problem(
        f"Only {plural(customers, 'customer')} bought again with a positive amount before the "
        f"calibration end; fitting how much customers spend needs at least "
        f"{MIN_SPEND_CUSTOMERS}.",
        fix="Check that the amount column is the money spent, or use a later calibration end.",
        code="too_few_spend_customers",
    )


def _too_uneven(q: float) -> Problem:
    return Problem(
        f"Spend per purchase varies so much between customers that it has no stable average "
        f"(the spend model's q is {q:.2f}; it must be above 1).",
        fix="Look for amounts in different units or currencies, or a few huge orders, and "
        "remove them.",
        code="spend_too_uneven",
    )
