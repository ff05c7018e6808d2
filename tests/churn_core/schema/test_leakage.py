"""Label leaks: the best one-column rule's balanced accuracy, checked by hand on tiny cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core.schema.leakage import LEAK_ACCURACY, single_column_accuracy
from churn_core.schema.profile import profile_table
from churn_core.schema.roles import Role


def churned(n_left: int, n_stayed: int) -> pd.Series:
    return pd.Series([True] * n_left + [False] * n_stayed, dtype="boolean")


def test_a_column_that_splits_churners_perfectly_scores_one() -> None:
    values = pd.Series(list(range(20, 40)) + list(range(20)))
    assert single_column_accuracy(values, churned(20, 20)) == 1.0


def test_a_threshold_rule_is_scored_by_balanced_accuracy() -> None:
    # 18 of 20 churners have 10, 2 have 0; all 20 stayers have 0.
    # Rule "above 0 means left": churners caught 18/20 = 0.9, stayers right 20/20 = 1.0.
    # Balanced accuracy = (0.9 + 1.0) / 2 = 0.95.
    values = pd.Series([10] * 18 + [0] * 2 + [0] * 20)
    assert single_column_accuracy(values, churned(20, 20)) == pytest.approx(0.95)


def test_low_values_can_mean_churn_as_well_as_high_ones() -> None:
    values = pd.Series([10] * 18 + [0] * 2 + [0] * 20)
    assert single_column_accuracy(-values, churned(20, 20)) == pytest.approx(0.95)


def test_a_category_rule_is_scored_by_balanced_accuracy() -> None:
    # Churners: 15 "A", 5 "B"; stayers: 5 "A", 15 "B". Rule "A means left":
    # churners caught 15/20 = 0.75, stayers right 15/20 = 0.75, balanced = 0.75.
    values = pd.Series(["A"] * 15 + ["B"] * 5 + ["A"] * 5 + ["B"] * 15)
    assert single_column_accuracy(values, churned(20, 20)) == pytest.approx(0.75)


def test_the_best_category_rule_picks_only_the_values_that_lean_to_churn() -> None:
    # Churners (20): A 10, B 6, C 4 -> shares .5 .3 .2; stayers (30): A 3, B 12, C 15 -> .1 .4 .5.
    # Only A leans to churn: caught .5, stayers right .9, balanced = (.5 + .9) / 2 = 0.7.
    values = pd.Series(["A"] * 10 + ["B"] * 6 + ["C"] * 4 + ["A"] * 3 + ["B"] * 12 + ["C"] * 15)
    assert single_column_accuracy(values, churned(20, 30)) == pytest.approx(0.7)


def test_missing_numbers_can_fall_on_either_side_of_the_threshold() -> None:
    # Churners: 10 missing, 10 at 5; stayers all at 1. Missing counted as high: perfect.
    values = pd.Series([np.nan] * 10 + [5.0] * 10 + [1.0] * 20)
    assert single_column_accuracy(values, churned(20, 20)) == 1.0


def test_a_number_filled_only_for_churners_scores_one() -> None:
    values = pd.Series([float(d) for d in range(1, 21)] + [np.nan] * 20)
    assert single_column_accuracy(values, churned(20, 20)) == 1.0


def test_blank_categories_are_a_value_of_their_own() -> None:
    values = pd.Series(["Price", "Moved"] * 10 + [None] * 20, dtype=object)
    assert single_column_accuracy(values, churned(20, 20)) == 1.0


def test_customers_with_an_unknown_label_are_left_out() -> None:
    values = pd.Series([1] * 20 + [0] * 20 + [1, 0, 1, 0])
    labels = pd.Series([True] * 20 + [False] * 20 + [pd.NA, pd.NA, pd.NA, pd.NA], dtype="boolean")
    assert single_column_accuracy(values, labels) == 1.0


def test_a_constant_column_scores_one_half() -> None:
    assert single_column_accuracy(pd.Series([3] * 40), churned(20, 20)) == 0.5


def test_yes_no_flags_are_judged_as_categories() -> None:
    values = pd.Series([True] * 20 + [False] * 20)
    assert single_column_accuracy(values, churned(20, 20)) == 1.0


@pytest.mark.parametrize(("n_left", "n_stayed"), [(19, 100), (100, 19), (0, 50)])
def test_too_few_customers_of_either_kind_cannot_be_judged(n_left: int, n_stayed: int) -> None:
    values = pd.Series(range(n_left + n_stayed))
    assert single_column_accuracy(values, churned(n_left, n_stayed)) is None


def test_twenty_of_each_kind_is_enough_to_judge() -> None:
    assert single_column_accuracy(pd.Series(range(40)), churned(20, 20)) == 1.0


def test_random_noise_is_far_from_a_leak() -> None:
    rng = np.random.default_rng(0)
    values = pd.Series(rng.normal(size=400))
    labels = pd.Series(rng.random(400) < 0.3, dtype="boolean")
    accuracy = single_column_accuracy(values, labels)
    assert accuracy is not None and accuracy < 0.7


def test_shuffling_customers_does_not_change_the_accuracy() -> None:
    values = pd.Series([10] * 18 + [0] * 2 + [0] * 20)
    labels = churned(20, 20)
    order = np.random.default_rng(3).permutation(40)
    shuffled = single_column_accuracy(values.iloc[order], labels.iloc[order])
    assert shuffled == single_column_accuracy(values, labels)


def test_a_text_column_with_a_different_value_for_nearly_every_customer_is_not_a_leak() -> None:
    values = pd.Series([f"C{i:04d}" for i in range(99)] + ["C0007"])
    accuracy = single_column_accuracy(values, churned(30, 70))
    assert accuracy is None or accuracy < LEAK_ACCURACY


# --- The threshold rule, as the profile applies it. ---


def customers_with_score(misses: int) -> pd.DataFrame:
    """50 churners, 50 stayers; Score separates them except for ``misses`` churners."""
    rng = np.random.default_rng(1)
    left = [True] * 50 + [False] * 50
    score = [0.0 if i < misses else 10.0 + i for i in range(50)] + [0.0] * 50
    return pd.DataFrame(
        {
            "CustomerID": [f"C{i:03d}" for i in range(100)],
            "Plan": rng.choice(["Basic", "Premium"], 100),
            "Spend": rng.normal(50, 10, 100).round(2),
            "Score": score,
            "Churn": np.where(left, "Yes", "No"),
        }
    )


def test_the_leak_threshold_is_99_percent() -> None:
    assert LEAK_ACCURACY == 0.99


def test_a_column_at_99_percent_is_left_out_as_a_leak() -> None:
    profile = profile_table(customers_with_score(misses=1))
    assert profile.roles["Score"] is Role.IGNORED
    assert profile.column("Score").reason == (
        "alone tells who left with 99.0% accuracy: probably recorded after the customer left "
        "(a leak)"
    )
    assert [w.code for w in profile.warnings] == ["leak"]


def test_a_column_at_98_percent_is_kept_as_a_feature() -> None:
    profile = profile_table(customers_with_score(misses=2))
    assert profile.roles["Score"] is Role.NUMERIC
    assert profile.warnings == []


def test_a_leak_the_user_chose_to_keep_stays_with_a_warning() -> None:
    profile = profile_table(customers_with_score(misses=0), roles={"Score": "numeric"})
    assert profile.roles["Score"] is Role.NUMERIC
    (warning,) = profile.warnings
    assert warning.code == "leak_kept"
    assert str(warning) == (
        "Score alone tells who left with 100.0% accuracy: probably recorded after the customer "
        "left (a leak); you chose to use it, so expect the model to look better than it will be "
        'on future customers. Set Score to "Ignored" unless it is known before a customer leaves.'
    )
