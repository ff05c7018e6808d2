"""Drift in business words: quiet on random halves, loud and named on a planted shift."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, ks_2samp

from churn_core import columns as col
from churn_core.errors import ChurnDataError
from churn_core.io import read_table
from churn_core.model import ChurnModel
from churn_core.monitoring import DriftReport, get_drift
from churn_core.monitoring.drift import (
    CHI2_TEST,
    DISTANCES,
    JENSEN_SHANNON,
    KS_TEST,
    TESTS,
    WASSERSTEIN,
    _category_measure,
)

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_customers.csv"


def halves(frame: pd.DataFrame, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    order = np.random.default_rng(seed).permutation(len(frame))
    half = len(frame) // 2
    return frame.iloc[order[:half]], frame.iloc[order[half:]]


def plant_shift(frame: pd.DataFrame, share: float, seed: int = 1) -> pd.DataFrame:
    """Move ``share`` of the month-to-month customers to two-year contracts; charges +20%."""
    shifted = frame.copy()
    monthly = shifted.index[shifted["Contract"] == "Month-to-month"]
    moved = np.random.default_rng(seed).choice(monthly, round(share * len(monthly)), replace=False)
    shifted.loc[moved, "Contract"] = "Two year"
    shifted["MonthlyCharges"] = shifted["MonthlyCharges"] * 1.2
    return shifted


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return read_table(SAMPLE).frame


def test_no_column_drifts_between_two_random_halves_of_the_sample(sample: pd.DataFrame) -> None:
    report = get_drift(*halves(sample))
    assert report.regime == DISTANCES
    assert len(report.frame) == 10
    assert report.drifted_columns == [] and report.share_drifted == 0.0
    assert (
        report.summary() == "None of the 10 columns compared has drifted from the reference file."
    )


def test_no_column_drifts_between_two_random_halves_of_the_bank_file(
    bank_with_churn: tuple[pd.DataFrame, pd.Series],
) -> None:
    bank, _ = bank_with_churn
    report = get_drift(*halves(bank, seed=3))
    assert set(report.frame[col.COLUMN]) == {
        "CreditScore",
        "Geography",
        "Gender",
        "Age",
        "Tenure",
        "Balance",
        "NumOfProducts",
        "HasCrCard",
        "IsActiveMember",
        "EstimatedSalary",
    }
    assert report.share_drifted == 0.0
    assert (report.frame[col.VALUE] < 0.05).all()  # well under the 0.1 threshold


def test_a_planted_shift_is_flagged_and_named_in_the_sentences(sample: pd.DataFrame) -> None:
    reference, new = halves(sample)
    report = get_drift(reference, plant_shift(new, share=0.5), reference_name="the training data")
    rows = report.frame.set_index(col.COLUMN)
    assert report.drifted_columns == ["MonthlyCharges", "Contract"]
    assert rows.loc["MonthlyCharges", col.MEASURE] == WASSERSTEIN
    assert rows.loc["Contract", col.MEASURE] == JENSEN_SHANNON
    assert rows.loc["MonthlyCharges", col.SENTENCE].startswith(
        "The median MonthlyCharges moved from "
    )
    assert rows.loc["MonthlyCharges", col.SENTENCE].endswith("in this file (+20%).")
    contract = rows.loc["Contract", col.SENTENCE]
    assert contract == (
        'This file has 48% fewer customers with Contract "Month-to-month" than the training data '
        "(19% of customers against 37%)."
    )
    assert report.summary() == (
        "2 of 10 columns (20%) drifted from the training data: MonthlyCharges and Contract."
    )


def test_the_briefs_planted_shift_on_500_customers_is_flagged_by_the_tests(
    sample: pd.DataFrame,
) -> None:
    reference, new = halves(sample)
    report = get_drift(reference.iloc[:500], plant_shift(new, share=0.3).iloc[:500])
    assert report.regime == TESTS
    assert set(report.frame[col.MEASURE]) == {KS_TEST, CHI2_TEST}
    assert report.drifted_columns[:2] == ["MonthlyCharges", "Contract"]
    assert "Month-to-month" in report.frame.set_index(col.COLUMN).loc["Contract", col.SENTENCE]


def test_a_moderate_category_shift_on_thousands_is_below_evidentlys_distance_threshold(
    sample: pd.DataFrame,
) -> None:
    """Evidently's Jensen-Shannon threshold (0.1) lets a 10-point fall in month-to-month
    customers pass at 2,500 rows: the threshold is a parameter, and effects show the impact."""
    reference, new = halves(sample)
    shifted = plant_shift(new, share=0.3)
    report = get_drift(reference, shifted)
    contract = report.frame.set_index(col.COLUMN).loc["Contract"]
    assert 0.05 < contract[col.VALUE] < 0.1 and not contract[col.DRIFTED]
    assert contract[col.SENTENCE].startswith(
        'No drift flagged: 27% of customers with Contract "Month-to-month" against 37%'
    )
    stricter = get_drift(reference, shifted, category_threshold=0.05)
    assert "Contract" in stricter.drifted_columns


def test_statistical_tests_raise_false_alarms_about_5_percent_of_the_time(
    sample: pd.DataFrame,
) -> None:
    shares = []
    for seed in range(40):
        order = np.random.default_rng(100 + seed).permutation(len(sample))
        a, b = sample.iloc[order[:300]], sample.iloc[order[300:600]]
        shares.append(get_drift(a, b).share_drifted)
    assert 0.01 <= np.mean(shares) <= 0.10


def test_the_regime_follows_the_smaller_file(sample: pd.DataFrame) -> None:
    assert get_drift(sample.iloc[:1001], sample.iloc[1001:2002]).regime == DISTANCES
    assert get_drift(sample.iloc[:4000], sample.iloc[4000:5000]).regime == TESTS


def test_measures_match_scipy_and_hand_computed_values(sample: pd.DataFrame) -> None:
    a, b = sample.iloc[:400], sample.iloc[400:800]
    rows = get_drift(a, b).frame.set_index(col.COLUMN)
    expected = ks_2samp(a["TenureMonths"].to_numpy(float), b["TenureMonths"].to_numpy(float))
    assert rows.loc["TenureMonths", col.VALUE] == pytest.approx(expected.pvalue)
    table = pd.crosstab(
        np.r_[np.zeros(400), np.ones(400)], np.r_[a["Plan"].to_numpy(), b["Plan"].to_numpy()]
    )
    chi2 = chi2_contingency(table.to_numpy(), correction=False).pvalue
    assert rows.loc["Plan", col.VALUE] == pytest.approx(chi2)
    _, distance, _, _ = _category_measure(
        pd.Series(["x"] * 2000), pd.Series(["y"] * 2000), small=False, threshold=0.1
    )
    assert distance == pytest.approx(np.sqrt(np.log(2)))  # the largest Jensen-Shannon distance


def test_with_a_model_columns_are_ranked_by_importance_and_effects_add_up(
    sample: pd.DataFrame, sample_model: ChurnModel
) -> None:
    reference, new = sample.iloc[:800], plant_shift(sample.iloc[800:1600], share=0.5)
    report = get_drift(reference, new, model=sample_model)
    importance = report.frame[col.IMPORTANCE].to_numpy()
    assert (np.diff(importance) <= 0).all() and report.frame[col.COLUMN].iloc[0] == "Contract"
    p_ref = sample_model.predict_proba(reference).mean()
    p_new = sample_model.predict_proba(new).mean()
    assert report.predicted_rate_reference == pytest.approx(p_ref)
    assert report.frame[col.EFFECT_POINTS].sum() == pytest.approx(100 * (p_new - p_ref))
    contract = report.frame.set_index(col.COLUMN).loc["Contract", col.SENTENCE]
    assert contract.endswith(" pts.") and "This moves the average predicted churn by -" in contract
    assert report.describe_effect().startswith(f"The model predicts {p_new:.1%} churn for this ")
    assert report.importance_share_drifted is not None and report.importance_share_drifted > 0.3


def test_a_new_file_missing_columns_is_refused_naming_them(sample: pd.DataFrame) -> None:
    with pytest.raises(ChurnDataError) as caught:
        get_drift(sample, sample.drop(columns=["Plan", "Region"]))
    assert str(caught.value) == (
        "The new file and the reference file have different columns: the new file lacks Plan "
        "and Region, which the reference file has. Export both files with the same columns "
        "under the same names, or compare with a reference that has this file's columns."
    )


def test_a_reference_missing_the_models_columns_is_refused(
    sample: pd.DataFrame, sample_model: ChurnModel
) -> None:
    with pytest.raises(ChurnDataError) as caught:
        get_drift(sample.drop(columns=["Contract"]), sample, model=sample_model)
    (problem,) = caught.value.problems
    assert problem.code == "drift_columns_differ"
    assert problem.message == (
        "The training data and the new file have different columns: the training data lacks "
        "Contract, which the model needs."
    )


def test_columns_only_the_new_file_has_are_named_in_a_warning(sample: pd.DataFrame) -> None:
    new = sample.assign(Score=1.0, Channel="web")
    (warning,) = get_drift(sample, new).warnings
    assert str(warning) == (
        "The new file has 2 columns that the reference file lacks (Score and Channel); they are "
        "not compared. Nothing to do, unless a column was renamed: then use the same name in "
        "both."
    )


def test_a_column_blank_in_the_new_file_is_drifted_and_says_so(sample: pd.DataFrame) -> None:
    new = sample.iloc[2500:].assign(MonthlyCharges=np.nan)
    rows = get_drift(sample.iloc[:2500], new).frame.set_index(col.COLUMN)
    assert rows.loc["MonthlyCharges", col.DRIFTED]
    assert rows.loc["MonthlyCharges", col.SENTENCE].startswith(
        "MonthlyCharges is blank for every customer in this file."
    )


def test_the_report_is_plain_json(sample: pd.DataFrame) -> None:
    payload = get_drift(*halves(sample)).to_dict()
    assert set(payload["columns"][0]) == set(col.DRIFT_COLUMNS)
    assert payload["columns"][0][col.IMPORTANCE] is None
    assert payload["share_drifted"] == 0.0 and payload["predicted_churn_rate"] is None
    assert isinstance(payload["columns"][0][col.DRIFTED], bool)


def test_an_empty_report_has_nothing_drifted() -> None:
    frame = pd.DataFrame(columns=col.DRIFT_COLUMNS).astype({col.DRIFTED: bool})
    report = DriftReport(frame, 0, 0, DISTANCES, "the reference file")
    assert report.share_drifted == 0.0 and report.importance_share_drifted is None


def test_a_file_without_customers_is_refused(sample: pd.DataFrame) -> None:
    with pytest.raises(ChurnDataError) as caught:
        get_drift(sample, sample.iloc[:0])
    assert str(caught.value) == (
        "The new file has no customers to compare. Choose a file with customer rows."
    )


def test_a_model_column_blank_in_both_files_has_not_drifted(
    sample: pd.DataFrame, sample_model: ChurnModel
) -> None:
    blank = sample.assign(UsageTrendPct=np.nan)
    report = get_drift(blank.iloc[:500], blank.iloc[500:1000], model=sample_model)
    assert not report.frame.set_index(col.COLUMN).loc["UsageTrendPct", col.DRIFTED]
    unmodelled = get_drift(blank.iloc[:500], blank.iloc[500:1000]).frame
    assert "UsageTrendPct" not in unmodelled[col.COLUMN].tolist()  # an empty column: ignored
