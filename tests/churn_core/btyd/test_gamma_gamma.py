"""Gamma-Gamma: the paper's parameters, lifetimes' formulas, and spend it cannot model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifetimes import GammaGammaFitter
from scipy.optimize import approx_fprime

from churn_core import columns as col
from churn_core.btyd.gamma_gamma import (
    MIN_SPEND_CUSTOMERS,
    GammaGamma,
    _log_likelihood_and_gradient,
    fit_gamma_gamma,
    get_gamma_gamma_log_likelihood,
)
from churn_core.btyd.summary import PurchaseSummary
from churn_core.errors import ChurnDataError

#: Fader, Hardie and Lee (2005, JMR) on the 946 repeat customers of the 1/10 CDNOW sample.
PAPER = {"p": 6.25, "q": 3.74, "v": 15.44}


@pytest.fixture(scope="module")
def spend(cdnow_summary: PurchaseSummary) -> tuple[np.ndarray, np.ndarray]:
    frame = cdnow_summary.customers
    return frame[col.SPEND_PURCHASES].to_numpy(float), frame[col.MONETARY_VALUE].to_numpy(float)


@pytest.fixture(scope="module")
def fitted(spend: tuple[np.ndarray, np.ndarray]) -> GammaGamma:
    return fit_gamma_gamma(*spend)


def simulate(customers: int, model: GammaGamma, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Spend drawn from the model: nu ~ Gamma(q, v), each purchase ~ Gamma(p, nu)."""
    rng = np.random.default_rng(seed)
    nu = rng.gamma(model.q, 1 / model.v, customers)
    x = rng.integers(1, 8, customers)
    mean = np.array([rng.gamma(model.p, 1 / n, k).mean() for n, k in zip(nu, x, strict=True)])
    return x.astype(float), mean


def test_the_papers_parameters_are_reproduced_on_cdnow(fitted: GammaGamma) -> None:
    for name, value in PAPER.items():
        assert getattr(fitted, name) == pytest.approx(value, abs=0.01), name
    assert fitted.customers == 946


def test_the_log_likelihood_equals_lifetimes(spend: tuple[np.ndarray, np.ndarray]) -> None:
    x, m = spend
    used = x > 0
    ours = get_gamma_gamma_log_likelihood(tuple(PAPER.values()), x[used], m[used])  # type: ignore[arg-type]
    theirs = GammaGammaFitter._negative_log_likelihood(
        np.log(list(PAPER.values())), x[used], m[used], np.ones(used.sum()), 0.0
    )
    assert -ours.mean() == pytest.approx(theirs, rel=1e-12)


def test_the_gradient_matches_finite_differences(spend: tuple[np.ndarray, np.ndarray]) -> None:
    x, m = spend
    used = x > 0
    point = np.log([4.0, 3.0, 10.0])
    grad = _log_likelihood_and_gradient(point, x[used], m[used])[1].sum(axis=1)
    numeric = approx_fprime(
        point, lambda p: _log_likelihood_and_gradient(p, x[used], m[used])[0].sum(), 1e-7
    )
    np.testing.assert_allclose(grad, numeric, rtol=1e-4)


def test_expected_spend_equals_lifetimes_on_every_cdnow_customer(
    fitted: GammaGamma, spend: tuple[np.ndarray, np.ndarray]
) -> None:
    x, m = spend
    reference = GammaGammaFitter()
    reference.params_ = pd.Series(fitted.to_dict())
    theirs = reference.conditional_expected_average_profit(x, np.nan_to_num(m))
    np.testing.assert_allclose(fitted.get_expected_spend(x, m), theirs, rtol=1e-12)


def test_expected_spend_is_the_weighted_average_worked_out_by_hand() -> None:
    model = GammaGamma(**PAPER)
    # Population mean p v / (q - 1); the customer's own mean weighs p x / (p x + q - 1).
    population = 6.25 * 15.44 / 2.74
    weight = 6.25 * 3 / (6.25 * 3 + 2.74)
    spend = model.get_expected_spend(np.array([0.0, 3.0]), np.array([np.nan, 80.0]))
    assert spend[0] == pytest.approx(population) == model.mean_spend
    assert spend[1] == pytest.approx((1 - weight) * population + weight * 80.0)


def test_a_population_simulated_from_the_model_gives_its_parameters_back() -> None:
    truth = GammaGamma(4.0, 5.0, 60.0)
    fitted = fit_gamma_gamma(*simulate(6000, truth, seed=2))
    assert fitted.p == pytest.approx(truth.p, rel=0.15)
    assert fitted.q == pytest.approx(truth.q, rel=0.2)
    assert fitted.v == pytest.approx(truth.v, rel=0.25)
    assert fitted.mean_spend == pytest.approx(truth.mean_spend, rel=0.05)


def test_too_few_repeat_customers_with_a_spend_says_how_many_are_needed() -> None:
    with pytest.raises(ChurnDataError) as error:
        fit_gamma_gamma(np.array([1.0, 2.0, 0.0]), np.array([5.0, 7.0, np.nan]))
    [problem] = error.value.problems
    assert problem.code == "too_few_spend_customers"
    assert problem.message == (
        "Only 2 customers bought again with a positive amount before the calibration end; "
        f"fitting how much customers spend needs at least {MIN_SPEND_CUSTOMERS}."
    )


def test_spend_too_uneven_to_have_an_average_is_refused() -> None:
    x, m = simulate(500, GammaGamma(3.0, 0.5, 10.0), seed=0)
    with pytest.raises(ChurnDataError) as error:
        fit_gamma_gamma(x, m)
    [problem] = error.value.problems
    assert problem.code == "spend_too_uneven"
    assert "it must be above 1" in problem.message


def test_identical_spends_cannot_be_fitted_and_say_so() -> None:
    with pytest.raises(ChurnDataError) as error:
        fit_gamma_gamma(np.full(50, 2.0), np.full(50, 10.0))
    [problem] = error.value.problems
    assert problem.code == "fit_not_converged"
    assert problem.fix == "Check that the amount column is the money spent per purchase line."
