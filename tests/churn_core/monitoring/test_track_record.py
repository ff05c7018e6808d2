"""The track record: counts checked by hand on a small list, then the bank file's two months."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.model import fit_churn_model
from churn_core.monitoring import check_list, get_track_history, read_outcomes
from churn_core.monitoring.track_record import get_track_record
from churn_core.risk import get_at_risk_list
from churn_core.schema import profile_table
from tests.churn_core.monitoring.test_outcomes import small_list

#: Who left among A-F (and G, who is not on the list).
OUTCOMES = pd.DataFrame(
    {"CustomerID": list("ABCDEFG"), "Churn": ["Yes", "No", "Yes", "Yes", "No", "No", "No"]}
)


def test_counts_on_a_small_list_match_the_hand_computed_ones() -> None:
    record = check_list(small_list(), OUTCOMES)
    assert (record.listed, record.unknown) == (6, 0)
    assert record.expected_churners == pytest.approx(0.9 + 0.7 + 0.6 + 0.3 + 0.2 + 0.1)
    assert record.actual_churners == 3  # A, C, D
    assert (record.flagged, record.flagged_actual) == (3, 2)  # A, B, C flagged; A and C left
    assert record.flagged_expected == pytest.approx(2.2)
    assert record.precision == pytest.approx(2 / 3)
    assert record.base_rate == pytest.approx(3 / 7)  # G counts: the file's whole population
    assert record.lift == pytest.approx((2 / 3) / (3 / 7))
    assert record.summary() == (
        "Of the 6 customers on the list whose outcome is known, 3 left; the list expected 3. "
        "Of the 3 flagged, 2 left (expected 2): precision 67%, 1.6 times the churn rate of all "
        "customers (42.9%)."
    )


def test_bands_and_segments_are_counted_by_hand() -> None:
    record = check_list(small_list(), OUTCOMES)
    bands = record.by_band.set_index(col.GROUP)
    assert bands.index.tolist() == ["High", "Medium", "Low"]
    assert bands[col.CUSTOMERS].tolist() == [3, 1, 2]
    assert bands[col.ACTUAL_CHURNERS].tolist() == [2, 1, 0]
    assert bands[col.EXPECTED_CHURNERS].tolist() == pytest.approx([2.2, 0.3, 0.3])
    assert bands.loc["Medium", col.LIFT] == pytest.approx(1 / (3 / 7))
    segments = record.by_segment.set_index(col.GROUP)  # F has no segment
    assert segments[col.CUSTOMERS].to_dict() == {"Loyal": 3, "New": 2}
    assert segments[col.ACTUAL_CHURNERS].to_dict() == {"Loyal": 1, "New": 2}


def test_quality_figures_are_scikit_learns_on_the_known_customers() -> None:
    record = check_list(small_list(), OUTCOMES)
    y = np.array([1, 0, 1, 1, 0, 0], dtype=bool)
    p = small_list()["churn_probability"].to_numpy()
    assert record.brier == pytest.approx(np.mean((p - y) ** 2))
    # pairs (leaver, stayer) ranked right: A>B,E,F; C>E,F (not B); D>E,F (not B): 7 of 9
    assert record.roc_auc == pytest.approx(7 / 9)
    assert record.calibration[col.CUSTOMERS].sum() == 6


def test_unknown_outcomes_stay_out_of_every_figure() -> None:
    record = check_list(small_list(), OUTCOMES.iloc[:3])
    assert (record.listed, record.unknown) == (3, 3)
    assert record.expected_churners == pytest.approx(2.2)
    assert record.summary().endswith("3 listed customers have no known outcome yet.")


def test_lift_is_not_given_when_only_the_flagged_have_outcomes() -> None:
    high = small_list().iloc[:3]
    record = check_list(high, OUTCOMES.iloc[:3])
    assert record.precision == pytest.approx(2 / 3)
    assert record.lift is None and record.base_rate is None
    assert record.summary().endswith("All were flagged: precision 67%.")


def test_a_given_base_rate_is_what_lift_is_measured_against() -> None:
    listed = small_list()
    record = get_track_record(listed, read_outcomes(listed, OUTCOMES), base_rate=0.25)
    assert record.lift == pytest.approx((2 / 3) / 0.25)


def test_a_list_without_bands_counts_everyone_as_flagged() -> None:
    record = check_list(small_list().drop(columns="risk_band"), OUTCOMES)
    assert record.flagged == 6 and record.by_band.empty
    assert record.precision == pytest.approx(0.5)


def test_the_record_is_plain_json_with_bands_named_band() -> None:
    payload = check_list(small_list(), OUTCOMES).to_dict()
    assert payload["by_band"][0] == {
        "band": "High",
        "customers": 3,
        "expected_churners": pytest.approx(2.2),
        "actual_churners": 2,
        "churn_rate": pytest.approx(2 / 3),
        "lift": pytest.approx(14 / 9),
    }
    assert {"listed", "expected_churners", "actual_churners", "precision", "lift"} <= set(payload)


def test_the_history_has_one_row_per_list_in_the_order_given() -> None:
    first = check_list(small_list(), OUTCOMES)
    second = check_list(small_list(), OUTCOMES.iloc[:3])
    history = get_track_history({"2026-01": first, "2026-02": second})
    assert history[col.GROUP].tolist() == ["2026-01", "2026-02"]
    assert history[col.CUSTOMERS].tolist() == [6, 3]


@pytest.mark.slow  # trains on 5,000 bank customers (about 10 s)
def test_the_bank_files_second_month_turns_out_as_the_model_expected(
    bank_with_churn: tuple[pd.DataFrame, pd.Series],
) -> None:
    """Month 1: a random half of the bank's customers, the model learns from it. Month 2: the
    other half scored without Exited; its Exited labels are the outcomes."""
    bank, _ = bank_with_churn
    order = np.random.default_rng(0).permutation(len(bank))
    month1, month2 = bank.iloc[order[:5000]], bank.iloc[order[5000:]]
    model = fit_churn_model(month1, profile_table(month1), seed=42)
    listed = get_at_risk_list(model, month2.drop(columns="Exited"))
    record = check_list(listed.frame, month2[["CustomerId", "Exited"]])
    assert record.listed == 5000 and record.actual_churners == int(month2["Exited"].sum())
    spread = np.sqrt(np.sum(record.p * (1 - record.p)))
    assert abs(record.actual_churners - record.expected_churners) < 3 * spread
    assert record.lift is not None and record.lift > 2.5
    assert record.roc_auc is not None and record.roc_auc > 0.8
    rates = record.by_band.set_index(col.GROUP)[col.CHURN_RATE]
    assert rates["High"] > rates["Medium"] > rates["Low"]
