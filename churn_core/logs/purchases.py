"""Buy till you die on a log, with no column to name: BG/NBD and Gamma-Gamma from an Activity.

A prepared log (:class:`~churn_core.logs.Activity`) already knows each row's customer, day and
money (the amount column, else quantity x unit price), so :mod:`churn_core.btyd` needs nothing
more. Which rows count as purchases:

- a transaction log: every row but cancellations and returns (``C`` invoices, negative
  quantities or amounts); a row with no positive amount (a free item) is still a purchase day,
  left out of the spend model, as :func:`~churn_core.btyd.summarize_purchases` does;
- an event log with money: the rows with an amount (payments), cancellations aside;
- an event log without money: every row. BG/NBD then reads visits, and P(alive) is the chance
  a customer is still active; with no spend there is no CLV.

``counting="activity"`` counts every row whatever the log holds: the churn label of a log
counts any activity as coming back, so the churn benchmark (:mod:`churn_core.logs.benchmark`)
reads activity the same way.

The calibration end is the log's last day unless given; :func:`plan_holdout` suggests a
holdout period (the second half of the log, at most a year) to check the forecasts against.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from churn_core.btyd import BtydForecast, PurchaseSummary, fit_btyd, summarize_purchases
from churn_core.errors import ROW_NUMBERS
from churn_core.logs.activity import Activity
from churn_core.schema import EVENTS, LogRole
from churn_core.survival import ClvAssumptions

PURCHASES, ACTIVITY = "purchases", "activity"
COUNTINGS = (PURCHASES, ACTIVITY)
#: The holdout period suggested: half the log, at most this many days (52 weeks)...
MAX_HOLDOUT_DAYS = 364
#: ... and at least this many (8 weeks); a shorter log gets no holdout.
MIN_HOLDOUT_DAYS = 56


def get_purchase_rows(activity: Activity, counting: str = PURCHASES) -> np.ndarray:
    """True for the rows that count as purchases (see the module docstring)."""
    if counting not in COUNTINGS:
        raise ValueError(f"counting must be one of {', '.join(COUNTINGS)}; got {counting!r}.")
    if counting == ACTIVITY:
        return np.ones(activity.rows, dtype=bool)
    rows = ~activity.cancel
    if activity.shape == EVENTS and activity.amount is not None:
        rows &= ~np.isnan(activity.amount)
    return rows


def get_amount_name(activity: Activity) -> str | None:
    """The money column as the user knows it: ``Amount``, or ``Quantity x UnitPrice``."""
    if activity.amount is None:
        return None
    roles = activity.roles
    amount = roles.column_for(LogRole.AMOUNT)
    if amount is not None:
        return amount
    return f"{roles.column_for(LogRole.QUANTITY)} x {roles.column_for(LogRole.PRICE)}"


def describe_purchases(activity: Activity, counting: str = PURCHASES) -> str:
    """What counts as a purchase in this log, in words."""
    if counting == ACTIVITY or (activity.shape == EVENTS and activity.amount is None):
        return "every active day counts as a purchase"
    if activity.shape == EVENTS:
        return f"each day with a payment in {get_amount_name(activity)} counts as a purchase"
    return "each day with an order counts as a purchase (cancellations and returns do not)"


def summarize_activity(
    activity: Activity,
    *,
    calibration_end: date | str | pd.Timestamp | None = None,
    holdout_end: date | str | pd.Timestamp | None = None,
    counting: str = PURCHASES,
) -> PurchaseSummary:
    """The log summarised per customer for the BTYD models (see
    :func:`churn_core.btyd.summarize_purchases`), with the log's own columns and row numbers.

    Raises
    ------
    ChurnDataError
        No purchase in the log, a holdout end not after the calibration end, a calibration
        end before the first purchase.
    """
    rows = get_purchase_rows(activity, counting)
    amount_name = get_amount_name(activity) if counting == PURCHASES else None
    customer = activity.customer_column
    date_name = activity.roles.timestamp or "date"
    frame = pd.DataFrame(
        {
            customer: activity.ids[activity.customer[rows]],
            date_name: pd.to_datetime(activity.day[rows], unit="D"),
        }
    )
    if amount_name is not None and activity.amount is not None:
        frame[amount_name] = activity.amount[rows]
    if activity.file_rows is not None:  # in file order, so examples are the first rows
        numbers = activity.file_rows[rows]
        order = np.argsort(numbers, kind="stable")
        frame = frame.iloc[order].reset_index(drop=True)
        frame.attrs[ROW_NUMBERS] = numbers[order].tolist()
    return summarize_purchases(
        frame,
        customer,
        date_name,
        amount_name,
        calibration_end=calibration_end,
        holdout_end=holdout_end,
    )


def fit_activity_btyd(
    activity: Activity,
    assumptions: ClvAssumptions | None = None,
    *,
    calibration_end: date | str | pd.Timestamp | None = None,
    holdout_end: date | str | pd.Timestamp | None = None,
    counting: str = PURCHASES,
) -> BtydForecast:
    """BG/NBD and (with money) Gamma-Gamma fitted on the log up to ``calibration_end`` (its
    last day by default), and every customer's forecast.

    Raises
    ------
    ChurnDataError
        As :func:`summarize_activity`, and too few repeat customers or a fit that did not
        converge (:func:`churn_core.btyd.fit_btyd`).
    """
    summary = summarize_activity(
        activity, calibration_end=calibration_end, holdout_end=holdout_end, counting=counting
    )
    return fit_btyd(summary, assumptions)


def plan_holdout(activity: Activity) -> tuple[date, date] | None:
    """A calibration end and a holdout end (the log's last day) to check forecasts against:
    half the log is held out, at most ``MAX_HOLDOUT_DAYS``; None for a log shorter than twice
    ``MIN_HOLDOUT_DAYS``. On the CDNOW sample this is the paper's split (30 September 1997)."""
    days = min(activity.span_days // 2, MAX_HOLDOUT_DAYS)
    if days < MIN_HOLDOUT_DAYS:
        return None
    last = activity.last_date
    return last - timedelta(days=days), last


def describe_holdout(activity: Activity) -> str:
    """Why there is or is not a holdout check, in words."""
    plan = plan_holdout(activity)
    if plan is None:
        return (
            f"The log spans {activity.span_days} days; checking forecasts against a later "
            f"period needs at least {2 * MIN_HOLDOUT_DAYS}."
        )
    start, end = plan
    return (
        f"Fitted on the log up to {start:%-d %B %Y} only, then compared with what customers "
        f"really did from {start + timedelta(days=1):%-d %B %Y} to {end:%-d %B %Y}."
    )
