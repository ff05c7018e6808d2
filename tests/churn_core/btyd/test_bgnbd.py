"""BG/NBD: the paper's parameters, lifetimes' formulas, invariants, and fits that must fail."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifetimes import BetaGeoFitter
from scipy.optimize import approx_fprime

from churn_core.btyd import bgnbd
from churn_core.btyd.bgnbd import (
    MIN_REPEAT_CUSTOMERS,
    BgNbd,
    _log_likelihood_and_gradient,
    fit_bgnbd,
    get_bgnbd_log_likelihood,
    get_hyp2f1,
)
from churn_core.errors import ChurnDataError

#: Fader, Hardie and Lee (2005), section 5: the 1/10 CDNOW sample, 39 calibration weeks.
PAPER = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PAPER_LOG_LIKELIHOOD = -9582.4
PAPER_MODEL = BgNbd(**PAPER)

Histories = tuple[np.ndarray, np.ndarray, np.ndarray]


@pytest.fixture(scope="module")
def fitted(histories: Histories) -> BgNbd:
    return fit_bgnbd(*histories)


def lifetimes_model(model: BgNbd) -> BetaGeoFitter:
    reference = BetaGeoFitter()
    reference.params_ = pd.Series(model.to_dict())
    return reference


def simulate(
    customers: int, age: float, model: BgNbd, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Histories drawn from the model itself: buy at rate lambda, stop after a purchase w.p. p."""
    rng = np.random.default_rng(seed)
    rates = rng.gamma(model.r, 1 / model.alpha, customers)
    stops = rng.beta(model.a, model.b, customers)
    x, t_x = np.zeros(customers), np.zeros(customers)
    for i in range(customers):
        t = rng.exponential(1 / rates[i])
        while t <= age:
            x[i], t_x[i] = x[i] + 1, t
            if rng.random() < stops[i]:
                break
            t += rng.exponential(1 / rates[i])
    return x, t_x, np.full(customers, age)


def test_the_papers_parameters_and_likelihood_are_reproduced_on_cdnow(fitted: BgNbd) -> None:
    for name, value in PAPER.items():
        assert getattr(fitted, name) == pytest.approx(value, abs=1e-3), name
    assert fitted.log_likelihood == pytest.approx(PAPER_LOG_LIKELIHOOD, abs=0.1)
    assert fitted.customers == 2357


def test_the_log_likelihood_equals_lifetimes(histories: Histories) -> None:
    x, t_x, age = histories
    ours = get_bgnbd_log_likelihood(tuple(PAPER.values()), x, t_x, age)  # type: ignore[arg-type]
    theirs = BetaGeoFitter._negative_log_likelihood(
        np.log(list(PAPER.values())), x, t_x, age, np.ones_like(x), 0.0
    )
    assert -ours.mean() == pytest.approx(theirs, rel=1e-12)


def test_the_gradient_matches_finite_differences(histories: Histories) -> None:
    x, t_x, age = histories
    point = np.log([0.3, 5.0, 0.7, 2.0])
    grad = _log_likelihood_and_gradient(point, x, t_x, age)[1].sum(axis=1)
    numeric = approx_fprime(
        point, lambda p: _log_likelihood_and_gradient(p, x, t_x, age)[0].sum(), 1e-7
    )
    np.testing.assert_allclose(grad, numeric, rtol=1e-4)


def test_per_customer_figures_equal_lifetimes_on_every_cdnow_customer(
    fitted: BgNbd, histories: Histories
) -> None:
    reference = lifetimes_model(fitted)
    x, t_x, age = histories
    np.testing.assert_allclose(
        fitted.get_p_alive(x, t_x, age),
        reference.conditional_probability_alive(x, t_x, age),
        rtol=1e-10,
        atol=1e-12,
    )
    for weeks in (1, 13, 39, 52, 156):
        np.testing.assert_allclose(
            fitted.get_expected_purchases(weeks, x, t_x, age),
            reference.conditional_expected_number_of_purchases_up_to_time(weeks, x, t_x, age),
            rtol=1e-9,
            atol=1e-12,
        )
        assert fitted.get_expected_purchases_new(weeks)[0] == pytest.approx(
            reference.expected_number_of_purchases_up_to_time(weeks), rel=1e-10
        )


def test_p_alive_of_one_customer_matches_the_formula_by_hand() -> None:
    # x = 2, t_x = 30.43, T = 38.86 (customer 00004 of CDNOW):
    # 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))
    r, alpha, a, b = PAPER.values()
    by_hand = 1 / (1 + a / (b + 1) * ((alpha + 38.86) / (alpha + 30.43)) ** (r + 2))
    assert PAPER_MODEL.get_p_alive([2], [30.43], [38.86])[0] == pytest.approx(by_hand)
    assert PAPER_MODEL.get_p_alive([0], [0.0], [38.86])[0] == 1.0  # never bought again


def test_days_to_next_purchase_is_the_gap_at_the_expected_rate() -> None:
    # A customer active with 4 repeat purchases in 38.86 weeks: rate (r + 4) / (alpha + 38.86).
    days = PAPER_MODEL.get_days_to_next_purchase(np.array([4.0]), np.array([38.86]))[0]
    assert days == pytest.approx(7 * (4.414 + 38.86) / (0.243 + 4))


def test_p_alive_stays_in_0_1_and_never_rises_with_time_since_the_last_purchase() -> None:
    for model in (PAPER_MODEL, BgNbd(2.0, 10.0, 3.0, 0.5), BgNbd(0.05, 0.5, 0.1, 50.0)):
        for x in (0, 1, 2, 5, 20, 100):
            for t_x in (0.0, 1.0, 10.0, 52.0) if x else (0.0,):
                age = t_x + np.linspace(0, 300, 301)
                p = model.get_p_alive(np.full_like(age, x), np.full_like(age, t_x), age)
                assert ((p >= 0) & (p <= 1)).all()
                assert (np.diff(p) <= 1e-15).all(), (model, x, t_x)


def test_expected_purchases_are_non_negative_and_grow_with_the_horizon() -> None:
    weeks = np.linspace(0, 520, 261)[:, None]
    x = np.array([0, 1, 3, 10, 50, 300, 1000], dtype=float)
    t_x = np.array([0, 5, 20, 30, 38, 38.5, 38.8])
    age = np.full_like(x, 38.86)
    for model in (PAPER_MODEL, BgNbd(2.0, 10.0, 3.0, 0.5), BgNbd(0.05, 0.5, 0.1, 50.0)):
        expected = model.get_expected_purchases(weeks, x[None, :], t_x[None, :], age[None, :])
        assert np.isfinite(expected).all() and (expected >= 0).all()
        assert (expected[0] == 0).all()
        assert (np.diff(expected, axis=0) >= -1e-9).all()


def test_where_scipy_gives_up_on_2f1_the_series_gives_the_same_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = np.array([3.2, 10.0, 302.5, 1000.0])
    z = np.array([0.1, 0.5, 0.9, 0.99])
    exact = get_hyp2f1(0.5, 2.0, c, z)
    monkeypatch.setattr(bgnbd, "hyp2f1", lambda *args: np.full(np.broadcast(*args).shape, np.nan))
    np.testing.assert_allclose(get_hyp2f1(0.5, 2.0, c, z), exact, rtol=1e-12)


def test_a_population_simulated_from_the_model_gives_its_parameters_back() -> None:
    truth = BgNbd(0.5, 8.0, 0.8, 3.0)
    fitted = fit_bgnbd(*simulate(8000, 52.0, truth, seed=1))
    assert fitted.r == pytest.approx(truth.r, rel=0.15)
    assert fitted.alpha == pytest.approx(truth.alpha, rel=0.2)
    assert fitted.a == pytest.approx(truth.a, rel=0.3)
    assert fitted.b == pytest.approx(truth.b, rel=0.4)


def test_too_few_repeat_customers_says_how_many_there_are_and_are_needed() -> None:
    x = np.array([1.0] * 5 + [0.0] * 95)
    with pytest.raises(ChurnDataError) as error:
        fit_bgnbd(x, x * 3.0, np.full(100, 10.0))
    [problem] = error.value.problems
    assert problem.code == "too_few_repeat_customers"
    assert problem.message == (
        "Only 5 customers of 100 bought again on a later day before the calibration end; "
        f"fitting how often customers buy and when they stop needs at least {MIN_REPEAT_CUSTOMERS}."
    )


def test_a_fit_the_data_cannot_pin_down_fails_plainly_instead_of_printing_nonsense() -> None:
    # Everyone bought again on the last day: nobody has ever been seen to stop.
    rng = np.random.default_rng(0)
    x = rng.integers(1, 5, 100).astype(float)
    age = rng.uniform(20, 40, 100)
    with pytest.raises(ChurnDataError) as error:
        fit_bgnbd(x, age, age)
    [problem] = error.value.problems
    assert problem.code == "fit_not_converged"
    assert problem.message.startswith("The BG/NBD model could not be fitted to this log: its ")
    assert "the data cannot pin" in problem.message


def test_the_chance_of_no_purchase_matches_customers_drawn_from_the_model() -> None:
    # Customers drawn from the paper's model, seen at 39 weeks and then for 13 more: among
    # those with x repeat purchases, the share who buy nothing in the 13 weeks is on average
    # what the formula says for each of them (it is exact given x, t_x and T).
    rng = np.random.default_rng(1)
    n, age, ahead = 60_000, 39.0, 13.0
    rates = rng.gamma(PAPER_MODEL.r, 1 / PAPER_MODEL.alpha, n)
    stops = rng.beta(PAPER_MODEL.a, PAPER_MODEL.b, n)
    x, t_x, later = np.zeros(n), np.zeros(n), np.zeros(n, dtype=bool)
    for i in range(n):
        t = rng.exponential(1 / rates[i])
        while t <= age + ahead:
            if t <= age:
                x[i], t_x[i] = x[i] + 1, t
            else:
                later[i] = True
                break
            if rng.random() < stops[i]:
                break
            t += rng.exponential(1 / rates[i])
    predicted = PAPER_MODEL.get_p_no_purchase(ahead, x, t_x, np.full(n, age))
    assert ((predicted >= 0) & (predicted <= 1)).all()
    for k in range(4):
        group = x == k
        actual = 1 - later[group].mean()
        error = np.sqrt(actual * (1 - actual) / group.sum())
        assert predicted[group].mean() == pytest.approx(actual, abs=4 * error + 1e-3), k


def test_a_new_customers_chance_of_no_purchase_is_the_nbds() -> None:
    weeks = np.array([1.0, 13.0, 52.0])
    new = PAPER_MODEL.get_p_no_purchase(weeks, np.zeros(3), np.zeros(3), np.zeros(3))
    reference = lifetimes_model(PAPER_MODEL).probability_of_n_purchases_up_to_time(weeks, 0)
    assert new == pytest.approx(np.asarray(reference, dtype=float), rel=1e-9)
