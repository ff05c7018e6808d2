"""The one-rule baseline: one column, one cut, two churn rates, chosen on hand-made data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core.model.baseline import OneRule, fit_one_rule
from churn_core.schema.features import FeatureSchema


@pytest.fixture
def customers() -> tuple[pd.DataFrame, np.ndarray]:
    """50 leavers with 1-6 months of tenure on month-to-month contracts, 150 stayers longer."""
    rng = np.random.default_rng(0)
    left = np.r_[np.ones(50, bool), np.zeros(150, bool)]
    frame = pd.DataFrame(
        {
            "Noise": rng.normal(size=200),
            "Tenure": np.r_[rng.integers(1, 7, 50), rng.integers(12, 72, 150)].astype(float),
            "Contract": np.where(left, "Month-to-month", rng.choice(["One year", "Two year"], 200)),
            "Region": rng.choice(["North", "South"], 200),
        }
    )
    return frame, left


def test_a_number_column_that_splits_leavers_perfectly_is_picked(customers) -> None:
    frame, left = customers
    rule = fit_one_rule(frame, left, FeatureSchema(("Noise", "Tenure"), ("Region",)))
    assert rule.column == "Tenure"
    assert rule.describe() == "Tenure <= 6"
    assert (rule.rate_inside, rule.rate_outside) == (1.0, 0.0)


def test_a_category_column_that_splits_leavers_perfectly_is_picked(customers) -> None:
    frame, left = customers
    rule = fit_one_rule(frame, left, FeatureSchema(("Noise",), ("Region", "Contract")))
    assert rule.column == "Contract"
    assert rule.values == ("Month-to-month",)
    assert rule.describe() == "Contract is Month-to-month"


def test_each_side_of_the_rule_scores_its_training_churn_rate() -> None:
    # Basic: 6 of 10 left; Premium: 1 of 10 left. Overall 7/20, so Basic is the risky side.
    frame = pd.DataFrame({"Plan": ["Basic"] * 10 + ["Premium"] * 10})
    left = np.array([True] * 6 + [False] * 4 + [True] + [False] * 9)
    rule = fit_one_rule(frame, left, FeatureSchema((), ("Plan",)))
    assert rule.rate_inside == pytest.approx(0.6) and rule.rate_outside == pytest.approx(0.1)
    p = rule.predict_proba(pd.DataFrame({"Plan": ["Premium", "Basic", "Gold"]}))
    assert p.tolist() == pytest.approx([0.1, 0.6, 0.1])  # an unseen plan is outside the rule


def test_a_rule_lists_at_most_three_values_then_dots() -> None:
    rule = OneRule("State", None, ("AK", "AL", "AR", "AZ"), 0.4, 0.1)
    assert rule.describe() == "State is AK, AL, AR ..."


def test_missing_numbers_go_to_the_side_whose_churn_rate_they_share() -> None:
    # The ten customers with no tenure all left, so they belong with the short-tenure leavers.
    tenure = np.r_[np.arange(1.0, 21.0), np.arange(40.0, 80.0), np.full(10, np.nan)]
    left = np.r_[np.ones(20, bool), np.zeros(40, bool), np.ones(10, bool)]
    rule = fit_one_rule(pd.DataFrame({"Tenure": tenure}), left, FeatureSchema(("Tenure",), ()))
    assert rule.missing_inside
    assert rule.inside(pd.DataFrame({"Tenure": [np.nan, 5.0, 60.0]})).tolist() == [
        True,
        True,
        False,
    ]


def test_the_rule_reads_as_a_dict_for_the_model_card() -> None:
    rule = OneRule("Tenure", 6.0, (), 0.5, 0.1)
    assert rule.to_dict() == {
        "rule": "Tenure <= 6",
        "column": "Tenure",
        "rate_inside": 0.5,
        "rate_outside": 0.1,
    }


def test_a_large_cut_reads_in_plain_digits_not_scientific_notation() -> None:
    text = OneRule("Balance", 98_765.4, (), 0.3, 0.1).describe()
    assert "e+" not in text
    assert text.startswith("Balance <= 98,76")
