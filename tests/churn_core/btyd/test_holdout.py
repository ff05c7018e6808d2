"""The holdout checks: by past purchases and over time, adding up to the holdout totals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.btyd.forecast import BtydForecast, fit_btyd
from churn_core.btyd.holdout import get_cumulative_purchases, get_holdout_by_frequency
from churn_core.btyd.summary import summarize_purchases
from tests.churn_core.btyd.conftest import CALIBRATION_END, HOLDOUT_END


def test_by_past_purchases_the_groups_add_up_to_the_holdout_totals(
    cdnow_forecast: BtydForecast,
) -> None:
    table = get_holdout_by_frequency(cdnow_forecast)
    assert list(table[col.FREQUENCY]) == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table[col.CUSTOMERS].sum() == 2357 and table[col.CUSTOMERS].iloc[0] == 1411
    actual, predicted = cdnow_forecast.get_holdout_totals()  # type: ignore[misc]
    assert (table[col.CUSTOMERS] * table[col.ACTUAL]).sum() == pytest.approx(actual)
    assert (table[col.CUSTOMERS] * table[col.PREDICTED]).sum() == pytest.approx(predicted)
    # Customers who bought more before buy more afterwards, in the data and in the model.
    assert table[col.PREDICTED].is_monotonic_increasing
    assert table[col.ACTUAL].iloc[-1] > 5 * table[col.ACTUAL].iloc[0]


def test_over_time_the_cumulative_lines_start_at_zero_and_track_each_other(
    cdnow_forecast: BtydForecast,
) -> None:
    table = get_cumulative_purchases(cdnow_forecast)
    assert table[col.DATE].iloc[0] == pd.Timestamp("1997-01-01")
    assert table[col.DATE].iloc[-1] == pd.Timestamp(HOLDOUT_END)
    assert table[col.ACTUAL].iloc[0] == 0 and table[col.PREDICTED].iloc[0] == 0
    assert table[col.ACTUAL].is_monotonic_increasing
    assert (np.diff(table[col.PREDICTED]) >= 0).all()
    # 2,457 repeat purchase days in the calibration weeks and 1,882 in the holdout weeks.
    assert table[col.ACTUAL].iloc[-1] == 2457 + 1882
    assert table[col.PREDICTED].iloc[-1] == pytest.approx(4339, rel=0.06)
    calibration = table[table[col.DATE] <= pd.Timestamp(CALIBRATION_END)].iloc[-1]
    assert calibration[col.PREDICTED] == pytest.approx(calibration[col.ACTUAL], rel=0.03)


def test_without_a_holdout_there_is_nothing_to_compare_after_the_calibration_end(
    cdnow: pd.DataFrame,
) -> None:
    summary = summarize_purchases(
        cdnow, "customer", "date", "amount", calibration_end=CALIBRATION_END
    )
    forecast = fit_btyd(summary)
    assert get_holdout_by_frequency(forecast).empty
    assert forecast.get_holdout_totals() is None
    table = get_cumulative_purchases(forecast)
    assert table[col.DATE].iloc[-1] == pd.Timestamp(CALIBRATION_END)
    assert table[col.ACTUAL].iloc[-1] == 2457
