"""A log over time: active customers, new customers, rows and spend per week or month.

What Explore shows for a log besides its rolled-up customers: whether the business is growing,
when activity fell, how seasonal it is. Each period counts customers with any activity in it,
customers whose first activity is in it, rows (events or lines) and money spent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.logs.activity import Activity

#: Period codes: calendar weeks (starting Monday) or months.
FREQUENCIES = {"week": "W-SUN", "month": "M"}


def get_activity_over_time(activity: Activity, freq: str = "month") -> pd.DataFrame:
    """One row per week or month from the log's first to its last day (empty periods included).

    Columns: ``period`` (its first day), ``active_customers``, ``new_customers``, ``rows`` and,
    when the log has money, ``spend`` (purchases, not cancellations).
    """
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}; got {freq!r} instead.")
    days = pd.to_datetime(activity.day, unit="D")
    period = days.to_period(FREQUENCIES[freq])
    codes, periods = pd.factorize(period, sort=True)
    everything = pd.period_range(periods.min(), periods.max(), freq=FREQUENCIES[freq])
    slot = everything.get_indexer(periods)[codes]
    k = len(everything)
    pairs = np.unique(activity.customer.astype(np.int64) * k + slot)
    active = np.bincount(pairs % k, minlength=k)
    first = slot[activity.starts()]
    out = pd.DataFrame(
        {
            col.PERIOD: everything.to_timestamp(how="start"),
            col.ACTIVE_CUSTOMERS: active,
            col.NEW_CUSTOMERS: np.bincount(first, minlength=k),
            col.ROWS: np.bincount(slot, minlength=k),
        }
    )
    if activity.amount is not None:
        bought = ~activity.cancel & (np.nan_to_num(activity.amount) > 0)
        out[col.SPEND] = np.round(
            np.bincount(slot[bought], activity.amount[bought], minlength=k), 2
        )
    return out
