"""A purchase log summarised per customer: by hand, against lifetimes on CDNOW, and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifetimes.utils import calibration_and_holdout_data

from churn_core import columns as col
from churn_core.btyd.summary import PurchaseSummary, summarize_purchases
from churn_core.errors import ChurnDataError
from tests.churn_core.btyd.conftest import CALIBRATION_END, HOLDOUT_END


@pytest.fixture
def small_log() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Client": ["A", "A", "A", "A", "B", "A", "C"],
            "When": pd.to_datetime(
                [
                    "2024-01-01 09:00",
                    "2024-01-01 17:30",  # same day: one purchase day
                    "2024-01-15 00:00",
                    "2024-01-29 12:00",  # on the calibration end: counts
                    "2024-01-08 00:00",
                    "2024-02-12 00:00",  # holdout
                    "2024-02-05 00:00",  # C's first purchase is after the calibration end
                ]
            ),
            "Paid": [10.0, 5.0, 20.0, 0.0, 7.0, 30.0, 12.0],
        }
    )


def test_a_small_log_is_summarised_as_worked_out_by_hand(small_log: pd.DataFrame) -> None:
    summary = summarize_purchases(
        small_log, "Client", "When", "Paid", calibration_end="2024-01-29", holdout_end="2024-02-12"
    )
    frame = summary.customers.set_index("Client")
    assert list(frame.index) == ["A", "B"]  # C joined after the calibration end
    a, b = frame.loc["A"], frame.loc["B"]
    # A bought on 01-01 (twice), 01-15 and 01-29: 2 repeat days, the last 4 weeks after the
    # first, and the calibration end is 4 weeks after the first.
    assert (a[col.FREQUENCY], a[col.RECENCY_WEEKS], a[col.AGE_WEEKS]) == (2, 4.0, 4.0)
    # Repeat days with a positive spend: only 01-15 (the 01-29 amount is zero).
    assert (a[col.SPEND_PURCHASES], a[col.MONETARY_VALUE]) == (1, 20.0)
    assert a[col.TOTAL_SPEND] == 35.0 and a[col.HOLDOUT_PURCHASES] == 1
    assert (b[col.FREQUENCY], b[col.RECENCY_WEEKS], b[col.AGE_WEEKS]) == (0, 0.0, 3.0)
    assert b[col.SPEND_PURCHASES] == 0 and np.isnan(b[col.MONETARY_VALUE])
    assert b[col.TOTAL_SPEND] == 7.0 and b[col.HOLDOUT_PURCHASES] == 0
    assert summary.holdout_weeks == 2.0 and summary.repeat_customers == 1
    assert list(summary.repeat_days) == list(
        pd.to_datetime(["2024-01-15", "2024-01-29", "2024-02-12"])
    )
    [warning] = summary.warnings
    assert warning.code == "amount_not_positive" and warning.rows == (5,)
    assert warning.message == (
        "Paid is zero, negative, blank or not a number in 1 row (row 5): left out of the spend "
        "model, still counted as purchase days."
    )


def test_without_dates_the_calibration_ends_on_the_last_purchase_day(
    small_log: pd.DataFrame,
) -> None:
    summary = summarize_purchases(small_log, "Client", "When", "Paid")
    assert summary.calibration_end == pd.Timestamp("2024-02-12")
    assert summary.holdout_end is None and summary.holdout_weeks is None
    assert col.HOLDOUT_PURCHASES not in summary.customers.columns
    assert set(summary.customers["Client"]) == {"A", "B", "C"}


def test_cdnow_is_summarised_as_lifetimes_does_it(
    cdnow: pd.DataFrame, cdnow_summary: PurchaseSummary
) -> None:
    reference = calibration_and_holdout_data(
        cdnow,
        "customer",
        "date",
        calibration_period_end=CALIBRATION_END,
        observation_period_end=HOLDOUT_END,
        freq="D",
        monetary_value_col="amount",
    )
    ours = cdnow_summary.customers.set_index("customer").loc[reference.index]
    assert len(ours) == 2357 and cdnow_summary.repeat_customers == 946
    np.testing.assert_array_equal(ours[col.FREQUENCY], reference["frequency_cal"])
    np.testing.assert_allclose(ours[col.RECENCY_WEEKS], reference["recency_cal"] / 7)
    np.testing.assert_allclose(ours[col.AGE_WEEKS], reference["T_cal"] / 7)
    np.testing.assert_array_equal(ours[col.HOLDOUT_PURCHASES], reference["frequency_holdout"])
    repeat = ours[col.FREQUENCY] > 0  # lifetimes writes 0 where we leave the mean blank
    np.testing.assert_allclose(
        ours.loc[repeat, col.MONETARY_VALUE], reference.loc[repeat, "monetary_value_cal"]
    )
    assert cdnow_summary.holdout_weeks == 39.0
    # The 8 zero amounts are all first purchases of one-time buyers: counted, then left out.
    [warning] = cdnow_summary.warnings
    assert warning.code == "amount_not_positive" and "in 8 rows" in warning.message


def test_dates_written_as_yyyymmdd_numbers_are_read_as_dates(
    cdnow: pd.DataFrame, cdnow_summary: PurchaseSummary
) -> None:
    raw = cdnow.assign(date=cdnow["date"].dt.strftime("%Y%m%d").astype(int))
    summary = summarize_purchases(
        raw, "customer", "date", "amount", calibration_end="1997-09-30", holdout_end="1998-06-30"
    )
    pd.testing.assert_frame_equal(summary.customers, cdnow_summary.customers)


def test_shuffling_the_log_changes_no_customer(
    cdnow: pd.DataFrame, cdnow_summary: PurchaseSummary
) -> None:
    shuffled = cdnow.sample(frac=1.0, random_state=3).reset_index(drop=True)
    summary = summarize_purchases(
        shuffled,
        "customer",
        "date",
        "amount",
        calibration_end=CALIBRATION_END,
        holdout_end=HOLDOUT_END,
    )
    pd.testing.assert_frame_equal(summary.customers, cdnow_summary.customers)


def test_missing_columns_are_all_reported_at_once(small_log: pd.DataFrame) -> None:
    with pytest.raises(ChurnDataError) as error:
        summarize_purchases(small_log, "Customer", "Date", "Paid")
    assert [p.code for p in error.value.problems] == ["no_such_column", "no_such_column"]
    assert str(error.value).startswith('2 problems were found:\n1. There is no column "Customer"')


def test_a_holdout_end_before_the_calibration_end_is_refused(small_log: pd.DataFrame) -> None:
    with pytest.raises(ChurnDataError) as error:
        summarize_purchases(
            small_log,
            "Client",
            "When",
            "Paid",
            calibration_end="2024-01-29",
            holdout_end="2024-01-10",
        )
    [problem] = error.value.problems
    assert problem.code == "holdout_before_calibration"
    assert str(problem) == (
        "The holdout end (2024-01-10) must be after the calibration end (2024-01-29): the holdout "
        "period follows the calibration period. Choose a holdout end after the calibration end, "
        "or leave it out."
    )


def test_a_holdout_end_needs_a_calibration_end(small_log: pd.DataFrame) -> None:
    with pytest.raises(ChurnDataError) as error:
        summarize_purchases(small_log, "Client", "When", "Paid", holdout_end="2024-03-01")
    assert [p.code for p in error.value.problems] == ["holdout_before_calibration"]


def test_a_calibration_end_before_the_first_purchase_is_refused(small_log: pd.DataFrame) -> None:
    with pytest.raises(ChurnDataError) as error:
        summarize_purchases(small_log, "Client", "When", "Paid", calibration_end="2023-12-01")
    [problem] = error.value.problems
    assert problem.code == "calibration_before_log"
    assert "Choose a calibration end between 2024-01-01 and 2024-02-12." in str(problem)


def test_a_date_that_is_not_a_date_is_refused(small_log: pd.DataFrame) -> None:
    with pytest.raises(ChurnDataError, match='"soon" is not a date'):
        summarize_purchases(small_log, "Client", "When", "Paid", calibration_end="soon")


def test_rows_without_a_customer_or_a_readable_date_are_left_out_and_counted() -> None:
    log = pd.DataFrame(
        {
            "Client": ["A", None, "A", " ", "B", "B"],
            "When": ["2024-01-01", "2024-01-02", "someday", "2024-01-03", "2024-01-02", ""],
            "Paid": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    summary = summarize_purchases(log, "Client", "When", "Paid")
    assert list(summary.customers["Client"]) == ["A", "B"]
    assert summary.customers[col.FREQUENCY].tolist() == [0, 0]
    by_code = {(w.column, w.code): w for w in summary.warnings}
    assert by_code[("When", "rows_left_out")].rows == (4, 7)
    assert by_code[("Client", "rows_left_out")].rows == (3, 5)


def test_a_log_with_no_usable_row_says_so() -> None:
    log = pd.DataFrame({"Client": ["A", "B"], "When": ["never", ""], "Paid": [1, 2]})
    with pytest.raises(ChurnDataError) as error:
        summarize_purchases(log, "Client", "When", "Paid")
    assert [p.code for p in error.value.problems] == ["no_purchases"]
    assert [w.code for w in error.value.warnings] == ["rows_left_out"]


def test_dates_outside_the_log_are_warned_about(small_log: pd.DataFrame) -> None:
    summary = summarize_purchases(
        small_log, "Client", "When", "Paid", calibration_end="2024-01-29", holdout_end="2024-06-30"
    )
    assert "holdout_after_log" in {w.code for w in summary.warnings}
    unused = summarize_purchases(small_log, "Client", "When", "Paid", calibration_end="2024-01-29")
    [warning] = [w for w in unused.warnings if w.code == "after_calibration_unused"]
    assert warning.message == "2 purchase rows after the calibration end (2024-01-29) are not used."
