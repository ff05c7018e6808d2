"""Trust evidence: the model's predictions against what customers really did after calibration.

The two standard checks of Fader, Hardie and Lee (2005):

- **by past purchases** (their figure 4): customers grouped by repeat purchases in the
  calibration period (0, 1, ..., 7+); for each group the average repeat purchases in the holdout
  period, actual and predicted (``E[Y(t*) | x, t_x, T]`` with ``t*`` the holdout length);
- **over time** (their figure 2): cumulative repeat purchases of the whole cohort week by week,
  actual and expected. Expected is the model's forecast for new customers (eq. 9) from each
  customer's first purchase: ``sum over customers of E[X(t - s_i)]`` for a customer who first
  bought at week ``s_i``. It is fitted on the calibration weeks only, so the line after the
  calibration end is a forecast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.btyd.forecast import BtydForecast
from churn_core.btyd.summary import WEEK

#: Customers with this many calibration purchases or more form the last group ("7+").
TOP_GROUP = 7


def get_holdout_by_frequency(forecast: BtydForecast, top_group: int = TOP_GROUP) -> pd.DataFrame:
    """Average holdout purchases, actual and predicted, by calibration purchases.

    Returns
    -------
    DataFrame
        One row per group: ``frequency`` (``"0"``, ..., ``"7+"``), ``customers``, ``actual``,
        ``predicted``; empty without a holdout period.
    """
    weeks = forecast.purchases.holdout_weeks
    columns = [col.FREQUENCY, col.CUSTOMERS, col.ACTUAL, col.PREDICTED]
    if weeks is None:
        return pd.DataFrame(columns=columns)
    frame = forecast.customers
    x = frame[col.FREQUENCY].to_numpy(float)
    predicted = forecast.bgnbd.get_expected_purchases(
        weeks, x, frame[col.RECENCY_WEEKS], frame[col.AGE_WEEKS]
    )
    group = np.minimum(x, top_group).astype(int)
    table = (
        pd.DataFrame(
            {"group": group, col.ACTUAL: frame[col.HOLDOUT_PURCHASES], col.PREDICTED: predicted}
        )
        .groupby("group")
        .agg(
            **{
                col.CUSTOMERS: (col.ACTUAL, "size"),
                col.ACTUAL: (col.ACTUAL, "mean"),
                col.PREDICTED: (col.PREDICTED, "mean"),
            }
        )
        .reset_index()
    )
    table[col.FREQUENCY] = [f"{g}+" if g == top_group else str(g) for g in table["group"]]
    return table[columns]


def get_cumulative_purchases(forecast: BtydForecast) -> pd.DataFrame:
    """Cumulative repeat purchases of all customers, actual and expected, week by week.

    Returns
    -------
    DataFrame
        ``week`` (weeks since the log's first purchase), ``date``, ``actual``, ``predicted``:
        from the first week to the holdout end (or the calibration end without a holdout);
        the last row is that end day.
    """
    summary = forecast.purchases
    end = summary.holdout_end or summary.calibration_end
    total = float((end - summary.start) / WEEK)
    weeks = np.unique(np.append(np.arange(0.0, total, 1.0), total))
    dates = summary.start + pd.to_timedelta(weeks * 7, unit="D")
    births, counts = np.unique(
        ((forecast.customers[col.FIRST_PURCHASE] - summary.start) / WEEK).to_numpy(float),
        return_counts=True,
    )
    since_first = np.maximum(weeks[:, None] - births[None, :], 0.0)  # (weeks, birth weeks)
    expected = forecast.bgnbd.get_expected_purchases_new(since_first) @ counts
    actual = np.searchsorted(summary.repeat_days.to_numpy(), dates.to_numpy(), side="right")
    return pd.DataFrame(
        {col.WEEK: weeks, col.DATE: dates, col.ACTUAL: actual, col.PREDICTED: expected}
    )
