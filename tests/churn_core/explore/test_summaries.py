"""Tests for churn_core.explore.summaries: hand-computed small cases, invariants, and the bank
file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from churn_core.columns import BIN_RATE_COLUMNS, HISTOGRAM_COLUMNS, RATE_COLUMNS
from churn_core.explore.summaries import (
    format_number,
    get_churn_rate_by_bins,
    get_churn_rate_by_category,
    get_correlations,
    get_histogram,
    get_missing_map,
    get_missing_summary,
    get_overall_churn_rate,
    get_value_counts,
    wilson_interval,
)


def labels(*values: object) -> pd.Series:
    return pd.Series(values, dtype="boolean")


@pytest.fixture
def contracts() -> tuple[pd.DataFrame, pd.Series]:
    frame = pd.DataFrame({"Contract type": ["M", "M", "M", "M", "One", "One", "Two", None]})
    churned = labels(True, True, False, pd.NA, False, True, False, True)
    return frame, churned


# --- Wilson interval -------------------------------------------------------------------------


def test_wilson_interval_matches_hand_computed_values() -> None:
    low, high = wilson_interval([5, 0, 10], [10, 10, 10])
    # z = 1.959964; 5/10: centre 0.5, half-width 0.2634; 0/10 and 10/10: z²/n / (1 + z²/n)
    np.testing.assert_allclose(low, [0.2366, 0.0, 0.7225], atol=1e-4)
    np.testing.assert_allclose(high, [0.7634, 0.2775, 1.0], atol=1e-4)


def test_wilson_interval_is_nan_when_there_are_no_trials() -> None:
    low, high = wilson_interval(np.array([0, 1]), np.array([0, 4]))
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert 0 < low[1] < 0.25 < high[1] < 1


def test_wilson_interval_is_narrower_at_lower_confidence() -> None:
    low95, high95 = wilson_interval(30, 100)
    low80, high80 = wilson_interval(30, 100, confidence=0.8)
    assert low95 < low80 < 0.3 < high80 < high95


def test_wilson_interval_rejects_more_successes_than_trials() -> None:
    with pytest.raises(ValueError, match="between 0 and trials"):
        wilson_interval(11, 10)
    with pytest.raises(ValueError, match="confidence must be between 0 and 1"):
        wilson_interval(1, 10, confidence=95)


def test_format_number_uses_thousands_separators_and_never_minus_zero() -> None:
    assert format_number(1234567) == "1,234,567"
    assert format_number(1234.56, 1) == "1,234.6"
    assert format_number(-0.001, 2) == "0.00"


# --- churn rate by category ------------------------------------------------------------------


def test_churn_rate_by_category_counts_a_hand_made_frame(contracts) -> None:
    frame, churned = contracts
    table = get_churn_rate_by_category(frame, "Contract type", churned)
    assert list(table.columns) == RATE_COLUMNS
    assert table["value"].tolist() == ["M", "One", "Two", "(blank)"]
    assert table["customers"].tolist() == [3, 2, 1, 1]
    assert table["churned"].tolist() == [2, 1, 0, 1]
    np.testing.assert_allclose(table["churn_rate"], [2 / 3, 1 / 2, 0, 1])
    low, high = wilson_interval(table["churned"], table["customers"])
    np.testing.assert_allclose(table["ci_low"], low)
    np.testing.assert_allclose(table["ci_high"], high)


def test_rows_with_unknown_label_are_left_out_of_rates() -> None:
    frame = pd.DataFrame({"Plan": ["A", "A", "A", "A", "B"]})
    table = get_churn_rate_by_category(frame, "Plan", labels(True, pd.NA, False, pd.NA, pd.NA))
    assert table["value"].tolist() == ["A"]
    assert table.loc[0, "customers"] == 2 and table.loc[0, "churn_rate"] == 0.5


def test_small_levels_are_grouped_as_other_and_placed_before_blank() -> None:
    values = ["a"] * 4 + ["b"] * 3 + ["c"] * 2 + ["d", "e", None, " "]
    frame = pd.DataFrame({"Region": values})
    churned = labels(*([False] * 12 + [True]))
    table = get_churn_rate_by_category(frame, "Region", churned, max_levels=2)
    assert table["value"].tolist() == ["a", "b", "Other (3 values)", "(blank)"]
    assert table["customers"].tolist() == [4, 3, 4, 2]
    assert table["churned"].tolist() == [0, 0, 0, 1]


def test_churn_rate_by_category_works_for_bool_and_small_numeric_columns() -> None:
    frame = pd.DataFrame({"Has card": [True, True, False, False], "Products": [1.0, 1.0, 2.0, 4.0]})
    churned = labels(True, False, False, False)
    flags = get_churn_rate_by_category(frame, "Has card", churned)
    assert flags["value"].tolist() == ["True", "False"]
    products = get_churn_rate_by_category(frame, "Products", churned)
    assert products["value"].tolist() == ["1", "2", "4"]


def test_churn_rate_needs_a_known_column_and_an_aligned_label(contracts) -> None:
    frame, churned = contracts
    with pytest.raises(ValueError, match="'Plan' is not a column of this data"):
        get_churn_rate_by_category(frame, "Plan", churned)
    with pytest.raises(ValueError, match="aligned"):
        get_churn_rate_by_category(frame, "Contract type", churned.iloc[:3])


def test_overall_churn_rate_ignores_unknown_labels() -> None:
    assert get_overall_churn_rate(labels(True, False, pd.NA, False)) == pytest.approx(1 / 3)
    assert np.isnan(get_overall_churn_rate(labels(pd.NA, pd.NA)))


# --- churn rate by bins ----------------------------------------------------------------------


def test_bins_cover_every_non_missing_row_exactly_once() -> None:
    rng = np.random.default_rng(7)
    values = np.round(rng.lognormal(8, 1.5, 2000), 2)
    values[rng.random(2000) < 0.1] = np.nan
    frame = pd.DataFrame({"Monthly spend (€)": values})
    churned = pd.Series(rng.random(2000) < 0.3, dtype="boolean")
    table = get_churn_rate_by_bins(frame, "Monthly spend (€)", churned, bins=10)
    assert list(table.columns) == BIN_RATE_COLUMNS
    assert table["value"].iat[-1] == "(blank)"
    ranges = table.iloc[:-1]
    assert len(ranges) <= 10
    assert (ranges["bin_high"].to_numpy()[:-1] < ranges["bin_low"].to_numpy()[1:]).all()
    present = values[~np.isnan(values)]
    inside = [((present >= r.bin_low) & (present <= r.bin_high)).sum() for r in ranges.itertuples()]
    assert inside == ranges["customers"].tolist()
    assert ranges["customers"].sum() == len(present)


def test_bins_give_a_heavy_value_its_own_point_range() -> None:
    frame = pd.DataFrame({"Support calls": [0] * 90 + list(range(1, 11))})
    table = get_churn_rate_by_bins(frame, "Support calls", labels(*([False] * 100)), bins=5)
    assert table.loc[0, "value"] == "0"
    assert table.loc[0, "customers"] == 90
    assert table["customers"].sum() == 100


def test_bins_of_a_constant_column_are_one_range() -> None:
    frame = pd.DataFrame({"Fee": [5.0] * 6})
    table = get_churn_rate_by_bins(frame, "Fee", labels(*[True, False] * 3))
    assert table["value"].tolist() == ["5"]
    assert table.loc[0, "churn_rate"] == 0.5


def test_bin_labels_are_readable_with_thousands_separators() -> None:
    frame = pd.DataFrame({"Revenue": [1000, 1500, 2500, 3000, 10000, 12000]})
    table = get_churn_rate_by_bins(frame, "Revenue", labels(*[False] * 6), bins=2)
    assert table["value"].tolist() == ["1,000–2,500", "3,000–12,000"]
    assert table["customers"].tolist() == [3, 3]


def test_bin_labels_spell_out_negative_ranges() -> None:
    frame = pd.DataFrame({"Change": [-30.0, -20.0, -10.0, 5.0, 15.0, 25.0]})
    table = get_churn_rate_by_bins(frame, "Change", labels(*[False] * 6), bins=2)
    assert table["value"].tolist() == ["-30 to -10", "5–25"]


def test_bins_refuse_a_text_column(contracts) -> None:
    frame, churned = contracts
    with pytest.raises(ValueError, match="must hold numbers"):
        get_churn_rate_by_bins(frame, "Contract type", churned)


# --- histogram and value counts --------------------------------------------------------------


def test_histogram_gives_one_bar_per_value_for_small_integer_columns() -> None:
    frame = pd.DataFrame({"Products": [1, 1, 2, 3, 4, 4, 4]})
    table = get_histogram(frame, "Products")
    assert list(table.columns) == HISTOGRAM_COLUMNS
    assert table["label"].tolist() == ["1", "2", "3", "4"]
    assert table["customers"].tolist() == [2, 1, 1, 3]


def test_histogram_uses_round_integer_ranges() -> None:
    frame = pd.DataFrame({"Age": np.arange(100)})
    table = get_histogram(frame, "Age", bins=10)
    assert table["label"].tolist()[:2] == ["0–9", "10–19"]
    assert table["customers"].tolist() == [10] * 10


def test_histogram_is_binned_and_splits_churned_from_stayed() -> None:
    rng = np.random.default_rng(3)
    values = rng.normal(50_000, 12_000, 5000)
    values[:50] = np.nan
    frame = pd.DataFrame({"Salary": values})
    churned = pd.Series(rng.random(5000) < 0.2, dtype="boolean")
    churned[100:150] = pd.NA
    table = get_histogram(frame, "Salary", churned, bins=30)
    assert len(table) <= 30
    assert table["customers"].sum() == 4950
    assert (table["bin_high"].to_numpy()[:-1] == table["bin_low"].to_numpy()[1:]).all()
    split = table["churned_count"] + table["stayed_count"]
    assert (split <= table["customers"]).all()
    assert table["customers"].sum() - split.sum() == 50


def test_value_counts_put_largest_first_then_other_then_blank() -> None:
    frame = pd.DataFrame({"City": ["Oslo"] * 3 + ["Bergen"] * 2 + ["Bodø", "Tromsø", None]})
    churned = labels(True, False, pd.NA, False, False, True, False, True)
    table = get_value_counts(frame, "City", churned, max_levels=2)
    assert table["value"].tolist() == ["Oslo", "Bergen", "Other (2 values)", "(blank)"]
    assert table["customers"].tolist() == [3, 2, 2, 1]
    assert table["churned_count"].tolist() == [1, 0, 1, 1]
    assert table["stayed_count"].tolist() == [1, 2, 1, 0]


# --- correlations ----------------------------------------------------------------------------


def test_correlations_are_symmetric_with_ones_and_the_label_first() -> None:
    a = np.arange(1.0, 11.0)
    frame = pd.DataFrame({"a": a, "minus a": -a, "a squared": a**2, "flat": 3.0})
    churned = pd.Series(a > 5, dtype="boolean")
    corr = get_correlations(frame, ["a", "minus a", "a squared", "flat"], churned)
    assert list(corr.columns) == ["Churned", "a", "minus a", "a squared"]
    assert list(corr.index) == list(corr.columns)
    np.testing.assert_allclose(corr.to_numpy(), corr.to_numpy().T)
    np.testing.assert_allclose(np.diag(corr), 1.0)
    assert corr.loc["a", "minus a"] == pytest.approx(-1.0)
    assert corr.loc["a", "a squared"] == pytest.approx(1.0)
    assert corr.loc["Churned", "a"] > 0.8


def test_correlations_match_scipy_spearman_with_ties() -> None:
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(rng.integers(0, 6, size=(300, 4)), columns=["w", "x", "y", "z"])
    corr = get_correlations(frame, list(frame.columns))
    np.testing.assert_allclose(corr.to_numpy(), spearmanr(frame).statistic, atol=1e-12)


def test_correlations_use_rows_where_both_columns_are_present() -> None:
    frame = pd.DataFrame(
        {"x": [1.0, 2, 3, 4, np.nan], "y": [2.0, 4, 6, 8, 0], "z": [5.0, 4, 3, 9, 1]}
    )
    corr = get_correlations(frame, ["x", "y", "z"])
    assert corr.loc["x", "y"] == pytest.approx(1.0)
    assert not corr.isna().to_numpy().any()


def test_correlations_refuse_text_columns_and_a_clashing_label_name(contracts) -> None:
    frame, churned = contracts
    with pytest.raises(ValueError, match="not numbers: Contract type"):
        get_correlations(frame, ["Contract type"])
    numbers = pd.DataFrame({"Churned": np.arange(8.0)})
    with pytest.raises(ValueError, match="already a column"):
        get_correlations(numbers, ["Churned"], churned)


# --- missing values --------------------------------------------------------------------------


def test_missing_summary_lists_every_column_most_missing_first() -> None:
    frame = pd.DataFrame(
        {"a": [1, 2, 3, 4], "b": [None, None, "x", None], "c": [1.0, np.nan, 3, 4]}
    )
    table = get_missing_summary(frame)
    assert table["column"].tolist() == ["b", "c", "a"]
    assert table["missing"].tolist() == [3, 1, 0]
    assert table["missing_pct"].tolist() == [75.0, 25.0, 0.0]


def test_missing_map_gives_fractions_per_block_with_spreadsheet_rows() -> None:
    frame = pd.DataFrame({"x": [np.nan, 1, 2, np.nan, 4], "y": ["a", None, None, None, None]})
    table = get_missing_map(frame, blocks=2)
    assert table.index.tolist() == ["rows 2–3", "rows 4–6"]
    np.testing.assert_allclose(table["x"], [1 / 2, 1 / 3])
    np.testing.assert_allclose(table["y"], [1 / 2, 1.0])


def test_missing_map_has_one_block_per_row_for_short_files() -> None:
    frame = pd.DataFrame({"x": [np.nan, 1.0]})
    table = get_missing_map(frame, blocks=100)
    assert table.index.tolist() == ["row 2", "row 3"]
    assert table["x"].tolist() == [1.0, 0.0]


def test_missing_map_of_a_large_file_has_at_most_the_asked_blocks() -> None:
    frame = pd.DataFrame({"x": np.where(np.arange(2500) < 1000, np.nan, 1.0)})
    table = get_missing_map(frame, blocks=100)
    assert len(table) == 100
    assert table.index[0] == "rows 2–26" and table.index[-1] == "rows 2,477–2,501"
    assert table["x"].sum() == pytest.approx(40)


# --- the real bank file, end to end ----------------------------------------------------------


def test_bank_file_runs_through_every_explore_function(
    bank_with_churn: tuple[pd.DataFrame, pd.Series],
) -> None:
    frame, churned = bank_with_churn
    overall = get_overall_churn_rate(churned)
    assert overall == pytest.approx(0.2037)
    geo = get_churn_rate_by_category(frame, "Geography", churned)
    assert geo.loc[0, "value"] == "Germany"
    assert geo["customers"].sum() == len(frame)
    for column in ["Age", "Balance", "CreditScore", "Tenure", "EstimatedSalary"]:
        table = get_churn_rate_by_bins(frame, column, churned)
        assert table["customers"].sum() == len(frame)
        assert (table["churned"].sum() / len(frame)) == pytest.approx(overall)
        hist = get_histogram(frame, column, churned)
        assert len(hist) <= 30 and hist["customers"].sum() == len(frame)
    assert get_churn_rate_by_bins(frame, "Balance", churned).loc[0, "value"] == "0"
    surnames = get_value_counts(frame, "Surname", churned)
    assert surnames["value"].iat[-1].startswith("Other (")
    numbers = ["CreditScore", "Age", "Tenure", "Balance", "NumOfProducts", "EstimatedSalary"]
    corr = get_correlations(frame, numbers, churned)
    assert corr.columns[0] == "Churned" and corr.loc["Churned", "Age"] > 0.2
    assert get_missing_summary(frame)["missing"].sum() == 0
    assert get_missing_map(frame).shape == (100, frame.shape[1])
