"""CLV by hand, its edge cases, and the assumptions a user edits."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from churn_core.schema.profile import profile_table
from churn_core.survival.clv import (
    ClvAssumptions,
    get_clv,
    get_expected_months,
    get_revenue_at_risk,
    get_table_clv,
    get_value_factors,
)
from churn_core.survival.kaplan_meier import RetentionCurve, fit_table_retention_curve

#: Retention 100%, 90%, 80%, 70%, 60% at months 0-4, then 50% a month lost (the tail).
CURVE = RetentionCurve((1.0, 0.9, 0.8, 0.7, 0.6), tail_retention=0.5, customers=10, churners=4)


def test_clv_matches_a_hand_computed_case() -> None:
    # A customer 1 month in, paying 100 a month, 50% margin, 2-month horizon, and an annual
    # rate chosen so that the monthly discount rate is exactly 1%:
    #   chance to stay 1 more month = S(2) / S(1) = 0.8 / 0.9
    #   chance to stay 2 more months = S(3) / S(1) = 0.7 / 0.9
    #   CLV = 0.5 * 100 * (0.8/0.9 / 1.01 + 0.7/0.9 / 1.01**2)
    #       = 50 * (0.888889 / 1.01 + 0.777778 / 1.0201) = 50 * (0.880088 + 0.762452) = 82.1270
    assumptions = ClvAssumptions(0.5, 1.01**12 - 1, 2)
    clv = get_clv(np.array([1.0]), np.array([100.0]), CURVE, assumptions)
    assert clv[0] == pytest.approx(50 * (0.8 / 0.9 / 1.01 + 0.7 / 0.9 / 1.01**2))
    assert clv[0] == pytest.approx(82.1270, abs=1e-4)


def test_past_the_curve_the_tail_rate_applies() -> None:
    # 4 months in (S = 0.6): 1 more month has chance 0.3/0.6 = 0.5, 2 more 0.15/0.6 = 0.25.
    # 30 months in: the same, since every month past the data loses half.
    flat = ClvAssumptions(1.0, 0.0, 2)
    clv = get_clv(np.array([4.0, 30.0]), np.array([10.0, 10.0]), CURVE, flat)
    assert clv.tolist() == pytest.approx([7.5, 7.5])  # 10 * (0.5 + 0.25)


def test_a_fraction_of_a_month_counts_as_the_months_completed() -> None:
    flat = ClvAssumptions(1.0, 0.0, 3)
    a, b = get_clv(np.array([2.0, 2.9]), np.array([1.0, 1.0]), CURVE, flat)
    assert a == b == pytest.approx((0.7 + 0.6 + 0.3) / 0.8)


def test_missing_revenue_or_tenure_and_negative_tenure_give_no_value() -> None:
    clv = get_clv(np.array([1.0, np.nan, -1.0, 2.0]), np.array([np.nan, 50.0, 50.0, 50.0]), CURVE)
    assert np.isnan(clv[:3]).all() and np.isfinite(clv[3])


def test_expected_months_are_the_undiscounted_chances_to_stay() -> None:
    months = get_expected_months(np.array([0.0]), CURVE, horizon_months=3)
    assert months[0] == pytest.approx(0.9 + 0.8 + 0.7)


def test_value_grows_with_margin_and_horizon_and_shrinks_with_discounting() -> None:
    tenure, revenue = np.array([1.0]), np.array([100.0])
    base = get_clv(tenure, revenue, CURVE, ClvAssumptions(0.5, 0.1, 12))[0]
    assert get_clv(tenure, revenue, CURVE, ClvAssumptions(0.6, 0.1, 12))[0] == pytest.approx(
        base * 1.2
    )
    assert get_clv(tenure, revenue, CURVE, ClvAssumptions(0.5, 0.1, 24))[0] > base
    assert get_clv(tenure, revenue, CURVE, ClvAssumptions(0.5, 0.3, 12))[0] < base


def test_a_curve_that_reaches_zero_gives_zero_not_an_error() -> None:
    gone = RetentionCurve((1.0, 0.5, 0.0), tail_retention=0.0, customers=2, churners=2)
    assert get_clv(np.array([0.0, 5.0]), np.array([10.0, 10.0]), gone).tolist() == [
        pytest.approx(0.6 * 10 * 0.5 / (1.1 ** (1 / 12))),
        0.0,
    ]


def test_a_million_customers_need_one_small_table_of_factors() -> None:
    assumptions = ClvAssumptions()
    factors = get_value_factors(CURVE, assumptions)
    assert factors.shape == (len(CURVE.survival) + 1,)
    rng = np.random.default_rng(0)
    tenure, revenue = rng.uniform(0, 100, 1_000_000), rng.uniform(10, 90, 1_000_000)
    clv = get_clv(tenure, revenue, CURVE, assumptions)
    index = np.minimum(np.floor(tenure), len(factors) - 1).astype(int)
    np.testing.assert_allclose(clv, 0.6 * revenue * factors[index])


def test_revenue_at_risk_is_the_sum_of_probability_times_clv() -> None:
    p, clv = np.array([0.5, 0.1, 0.9, 0.2]), np.array([1000.0, 200.0, np.nan, 50.0])
    assert get_revenue_at_risk(p, clv) == pytest.approx(0.5 * 1000 + 0.1 * 200 + 0.2 * 50)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"margin": 0.0}, "margin must be between 0 and 1 (0.6 = 60%); got 0.0."),
        ({"margin": 60}, "margin must be between 0 and 1 (0.6 = 60%); got 60."),
        ({"annual_discount_rate": 1.0}, "annual_discount_rate must be between 0 and 1"),
        ({"horizon_months": 0}, "horizon_months must be 1 to 240; got 0."),
    ],
)
def test_impossible_assumptions_are_refused_with_the_allowed_range(
    kwargs: dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ClvAssumptions(**kwargs)  # type: ignore[arg-type]


def test_assumptions_have_sensible_defaults_and_survive_a_round_trip() -> None:
    default = ClvAssumptions()
    assert (default.margin, default.annual_discount_rate, default.horizon_months) == (0.6, 0.1, 36)
    assert default.monthly_discount_rate == pytest.approx(1.1 ** (1 / 12) - 1)
    assert default.describe() == "60% margin, 10% a year discount, 36-month horizon"
    assert ClvAssumptions.from_dict(default.to_dict()) == default


def test_a_curve_stored_as_json_gives_the_same_clv_for_a_file_scored_later(
    frame: pd.DataFrame,
) -> None:
    curve = fit_table_retention_curve(frame, profile_table(frame))
    stored = RetentionCurve.from_dict(json.loads(json.dumps(curve.to_dict())))
    later = frame.drop(columns=["Churned", "ChurnDate"]).head(500)
    clv = get_table_clv(later, stored, "MonthlyCharges")
    expected = get_clv(
        later["TenureMonths"].to_numpy(float), later["MonthlyCharges"].to_numpy(float), curve
    )
    np.testing.assert_allclose(clv, expected, rtol=1e-5)  # the card keeps 6 decimals
    assert np.isnan(get_table_clv(later, stored, None)).all()
    assert np.isnan(get_table_clv(later, stored, "NoSuchColumn")).all()
