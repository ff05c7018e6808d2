"""BG/NBD: how often a customer buys, and whether they still do (Fader, Hardie and Lee 2005).

The model. While active, a customer buys at random times at their own rate ``lambda`` (a
Poisson process); rates differ across customers as ``lambda ~ Gamma(r, alpha)``. Right after
each repeat purchase the customer stops for good with their own probability
``p ~ Beta(a, b)``. We see for each customer ``x`` repeat purchases (distinct purchase days
after the first), the time ``t_x`` of the last one and their age ``T``, both in weeks since
their first purchase.

Likelihood of one customer (FHL 2005), with ``B`` the beta function and ``G`` the gamma
function::

    L = B(a, b + x) / B(a, b) * G(r + x) alpha^r / (G(r) (alpha + T)^(r + x))
      + [x > 0] B(a + 1, b + x - 1) / B(a, b) * G(r + x) alpha^r / (G(r) (alpha + t_x)^(r + x))

Per customer, given ``(x, t_x, T)``:

- still active (FHL 2008, "Computing P(alive) using the BG/NBD model")::

      P(alive) = 1 / (1 + [x > 0] a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x))

  A customer who never bought again has P(alive) = 1: the model lets customers stop only right
  after a repeat purchase.
- expected purchases in the next ``t`` weeks (FHL 2005, eq. 10)::

      E[Y(t)] = P(alive) * (a + b + x - 1) / (a - 1) * (1 - H)
      H = ((alpha + T) / (alpha + T + t))^(r + x)
          * 2F1(r + x, b + x; a + b + x - 1; t / (alpha + T + t))

  With ``x = t_x = T = 0`` this is eq. 9, the expected repeat purchases of a new customer in
  their first ``t`` weeks. ``H`` is computed as ``(1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1;
  a + b + x - 1; z)`` with ``z = t / (alpha + T + t)`` in [0, 1) (Euler's transformation): small
  upper parameters whatever ``x``, so no overflow for customers with hundreds of purchases.
- expected days to the next purchase, if still active: while active the customer's rate given
  their history is ``Gamma(r + x, alpha + T)``, so at its mean rate a purchase comes every
  ``(alpha + T) / (r + x)`` weeks. (The mean waiting time itself, ``(alpha + T) / (r + x - 1)``,
  is infinite for customers with no repeat purchase, so it cannot be shown.)

References: Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting your customers'
the easy way: an alternative to the Pareto/NBD model", Marketing Science 24 (2), 275-284.
On the 1/10 CDNOW sample (39 weeks) they report r = 0.243, alpha = 4.414, a = 0.793,
b = 2.426; a test reproduces them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import digamma, expit, gammaln, hyp2f1

from churn_core.btyd.likelihood import maximize_likelihood
from churn_core.errors import ChurnDataError, Problem, plural

#: Fewer customers who bought again than this, and the drop-out and rate parts cannot be told
#: apart.
MIN_REPEAT_CUSTOMERS = 20
DAYS_PER_WEEK = 7.0
#: Fitting scale: times are divided so that the oldest customer is this many units old.
_SCALE_TO = 10.0
#: Starting points (r, alpha on the fitting scale, a, b); the second is CDNOW-like.
_STARTS = ((1.0, 1.0, 1.0, 1.0), (0.25, 1.0, 0.8, 2.5), (1.0, 5.0, 0.3, 10.0))
#: Enough series terms for z up to 0.9999 (the terms shrink like z^n).
_MAX_SERIES_TERMS = 400_000


@dataclass(frozen=True)
class BgNbd:
    """A fitted BG/NBD model; times in weeks.

    Attributes
    ----------
    r, alpha : float
        Shape and scale of the purchase rates across customers (mean rate ``r / alpha`` a week).
    a, b : float
        Shapes of the drop-out probabilities across customers (mean ``a / (a + b)`` a purchase).
    log_likelihood : float
        Summed over the customers it was fitted on.
    customers : int
        How many customers it was fitted on.
    """

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float = float("nan")
    customers: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}

    def get_p_alive(
        self, frequency: np.ndarray, recency: np.ndarray, age: np.ndarray
    ) -> np.ndarray:
        """Chance each customer still buys from us at the end of their history, in [0, 1].

        >>> BgNbd(0.243, 4.414, 0.793, 2.426).get_p_alive(
        ...     np.array([0, 2]), np.array([0.0, 30.4]), np.array([38.9, 38.9])).round(3)
        array([1.   , 0.726])
        """
        x, t_x, age_ = _arrays(frequency, recency, age)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_odds_gone = (
                np.log(self.a)
                - np.log(np.where(x > 0, self.b + x - 1, 1.0))
                + (self.r + x) * (np.log(self.alpha + age_) - np.log(self.alpha + t_x))
            )
        return np.where(x > 0, expit(-log_odds_gone), 1.0)

    def get_expected_purchases(
        self, weeks: float | np.ndarray, frequency: np.ndarray, recency: np.ndarray, age: np.ndarray
    ) -> np.ndarray:
        """Expected purchases of each customer in the next ``weeks`` (FHL 2005, eq. 10).

        ``weeks`` may be one number, or an array broadcasting with the customers (a column of
        times against a row of customers gives one row per time).

        >>> model = BgNbd(0.243, 4.414, 0.793, 2.426)
        >>> model.get_expected_purchases(39, [2], [30.43], [38.86]).round(3)
        array([1.226])
        """
        x, t_x, age_ = _arrays(frequency, recency, age)
        return self.get_p_alive(x, t_x, age_) * self.get_expected_purchases_if_alive(weeks, x, age_)

    def get_p_no_purchase(
        self, weeks: float | np.ndarray, frequency: np.ndarray, recency: np.ndarray, age: np.ndarray
    ) -> np.ndarray:
        """Chance each customer makes no purchase in the next ``weeks``, in [0, 1].

        A customer who has stopped makes none; one still active buys at their rate, whose
        distribution given their history is ``Gamma(r + x, alpha + T)``, so none comes with
        chance ``((alpha + T) / (alpha + T + t))^(r + x)``. Hence
        ``1 - P(alive) * (1 - ((alpha + T) / (alpha + T + t))^(r + x))``; for a new customer
        (``x = T = 0``) this is the NBD's ``(alpha / (alpha + t))^r``.

        >>> BgNbd(0.243, 4.414, 0.793, 2.426).get_p_no_purchase(
        ...     13, np.array([0, 2]), np.array([0.0, 30.4]), np.array([38.9, 38.9])).round(3)
        array([0.938, 0.677])
        """
        x, t_x, age_ = _arrays(frequency, recency, age)
        none_if_alive = ((self.alpha + age_) / (self.alpha + age_ + weeks)) ** (self.r + x)
        return 1.0 - self.get_p_alive(x, t_x, age_) * (1.0 - none_if_alive)

    def get_expected_purchases_new(self, weeks: float | np.ndarray) -> np.ndarray:
        """Expected repeat purchases of a new customer in their first ``weeks`` (eq. 9)."""
        zero = np.zeros(1)
        return self.get_expected_purchases_if_alive(weeks, zero, zero)

    def get_days_to_next_purchase(self, frequency: np.ndarray, age: np.ndarray) -> np.ndarray:
        """Days between purchases at each customer's expected rate, if still active.

        ``7 (alpha + T) / (r + x)``: see the module docstring.

        >>> BgNbd(0.243, 4.414, 0.793, 2.426).get_days_to_next_purchase(
        ...     np.array([4]), np.array([38.86])).round(1)
        array([71.4])
        """
        x, _, age_ = _arrays(frequency, np.zeros_like(np.asarray(age, dtype=float)), age)
        return DAYS_PER_WEEK * (self.alpha + age_) / (self.r + x)

    def get_expected_purchases_if_alive(
        self, weeks: float | np.ndarray, frequency: np.ndarray, age: np.ndarray
    ) -> np.ndarray:
        """Expected purchases in the next ``weeks`` of a customer still active.

        ``(a + b + x - 1) / (a - 1) * (1 - H)`` (``H`` as in the module docstring): it depends
        on the history only through ``x`` and ``T``, so customers who share them share it.
        """
        t = np.asarray(weeks, dtype=float)
        x = np.asarray(frequency, dtype=float)
        c = self.a + self.b + x - 1
        z = t / (self.alpha + age + t)
        h = (1 - z) ** (self.a - 1) * get_hyp2f1(self.a + self.b - 1 - self.r, self.a - 1, c, z)
        return np.maximum(c / (self.a - 1) * (1 - h), 0.0)


def get_hyp2f1(a: float, b: float, c: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Gauss's hypergeometric ``2F1(a, b; c; z)`` for ``0 <= z < 1``, broadcast over c and z.

    scipy's ``hyp2f1``, and where it gives up (NaN for some large ``c`` with ``z`` near 1) the
    series ``sum over n of (a)_n (b)_n / ((c)_n n!) z^n`` itself, summed until its terms
    no longer change the total: with the small ``a, b`` used here it converges like ``z^n``.

    >>> round(float(get_hyp2f1(1.0, 1.0, np.array(2.0), np.array(0.5))), 6)  # -ln(1 - z) / z
    1.386294
    """
    c, z = np.broadcast_arrays(np.asarray(c, dtype=float), np.asarray(z, dtype=float))
    with np.errstate(all="ignore"):
        out = np.array(hyp2f1(a, b, c, z), dtype=float)
    failed = ~np.isfinite(out)
    if failed.any():
        c_, z_ = c[failed], z[failed]
        term = np.ones_like(z_)
        total = np.ones_like(z_)
        for n in range(_MAX_SERIES_TERMS):
            term = term * (a + n) * (b + n) / ((c_ + n) * (n + 1)) * z_
            total += term
            if (np.abs(term) <= 1e-16 * np.abs(total)).all():
                break
        out[failed] = total
    return out


def get_bgnbd_log_likelihood(
    params: tuple[float, float, float, float],
    frequency: np.ndarray,
    recency: np.ndarray,
    age: np.ndarray,
) -> np.ndarray:
    """Each customer's log-likelihood under ``(r, alpha, a, b)`` (the module docstring's ``L``)."""
    return _log_likelihood_and_gradient(np.log(params), *_arrays(frequency, recency, age))[0]


def fit_bgnbd(frequency: np.ndarray, recency: np.ndarray, age: np.ndarray) -> BgNbd:
    """Fit r, alpha, a, b by maximum likelihood (times in weeks).

    Raises
    ------
    ChurnDataError
        Fewer than :data:`MIN_REPEAT_CUSTOMERS` customers bought again (how many did, and how
        many are needed), or the fit did not converge.
    """
    x, t_x, age_ = _arrays(frequency, recency, age)
    repeaters = int((x > 0).sum())
    if repeaters < MIN_REPEAT_CUSTOMERS:
        raise ChurnDataError([get_too_few_repeaters(repeaters, len(x))])
    scale = _SCALE_TO / float(age_.max())
    # One row per distinct history, weighted by how many customers share it: same likelihood.
    rows, weights = np.unique(np.stack([x, t_x * scale, age_ * scale]), axis=1, return_counts=True)
    total = float(weights.sum())

    def objective(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        ll, grad = _log_likelihood_and_gradient(log_params, *rows)
        return -float(weights @ ll) / total, -(grad @ weights) / total

    names = ("r", "alpha", "a", "b")
    r, alpha, a, b = np.exp(maximize_likelihood(objective, _STARTS, names, "BG/NBD"))
    params = (float(r), float(alpha / scale), float(a), float(b))
    ll = get_bgnbd_log_likelihood(params, x, t_x, age_)
    return BgNbd(*params, log_likelihood=float(ll.sum()), customers=len(x))


def get_too_few_repeaters(repeaters: int, customers: int) -> Problem:
    """The problem when too few customers bought again to fit the models."""
    return Problem(
        f"Only {plural(repeaters, 'customer')} of {customers:,} bought again on a later day "
        f"before the calibration end; fitting how often customers buy and when they stop "
        f"needs at least {MIN_REPEAT_CUSTOMERS}.",
        fix="Use a later calibration end (or none), or a log with more customers.",
        code="too_few_repeat_customers",
    )


def _log_likelihood_and_gradient(
    log_params: np.ndarray, x: np.ndarray, t_x: np.ndarray, age: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per customer: ``log L`` and its gradient in ``(log r, log alpha, log a, log b)``.

    ``log L = A1 + A2 + log(exp(A3) + [x > 0] exp(A4))`` with
    ``A1 = lnG(r + x) - lnG(r) + r ln alpha``,
    ``A2 = lnG(a + b) + lnG(b + x) - lnG(b) - lnG(a + b + x)``,
    ``A3 = -(r + x) ln(alpha + T)`` and
    ``A4 = ln a - ln(b + x - 1) - (r + x) ln(alpha + t_x)``.
    """
    r, alpha, a, b = np.exp(log_params)
    repeat = x > 0
    bx1 = np.where(repeat, b + x - 1, 1.0)  # only used where x > 0
    log_t = np.log(alpha + age)
    log_tx = np.log(alpha + t_x)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * log_t
    a4 = np.where(repeat, np.log(a) - np.log(bx1) - (r + x) * log_tx, -np.inf)
    top = np.maximum(a3, a4)
    mix = np.log(np.exp(a3 - top) + np.exp(a4 - top)) + top
    w = np.exp(a4 - mix)  # share of the likelihood from "stopped after the last purchase"
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - (1 - w) * log_t - w * log_tx
    d_alpha = r / alpha - (r + x) * ((1 - w) / (alpha + age) + w / (alpha + t_x))
    d_ab = digamma(a + b) - digamma(a + b + x)
    d_a = d_ab + w / a
    d_b = d_ab + digamma(b + x) - digamma(b) - np.where(repeat, w / bx1, 0.0)
    gradient = np.stack([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
    return a1 + a2 + mix, gradient


def _arrays(
    frequency: np.ndarray, recency: np.ndarray, age: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        np.asarray(frequency, dtype=float),
        np.asarray(recency, dtype=float),
        np.asarray(age, dtype=float),
    )
