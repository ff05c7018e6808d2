"""From a purchase log to what the BTYD models read: one row per customer, times in weeks.

For each customer whose first purchase is on or before the calibration end (a day; purchases
on that day count), with purchases counted by distinct purchase day:

- ``frequency`` (x): repeat purchase days, the first purchase day not counted;
- ``recency_weeks`` (t_x): weeks from the first to the last purchase day;
- ``age_weeks`` (T): weeks from the first purchase day to the calibration end;
- ``spend_purchases`` and ``monetary_value``: the repeat purchase days with a positive spend,
  and their average spend (a day's spend is the sum of its positive amounts); zero, negative
  and blank amounts are left out of the spend model (and counted in a warning), but the day
  still counts as a purchase;
- ``total_spend``: all positive amounts up to the calibration end, first purchase included;
- ``holdout_purchases``: purchase days after the calibration end, up to the holdout end.

This is how Fader, Hardie and Lee (2005) prepare the CDNOW sample; ``lifetimes``'
``calibration_and_holdout_data`` with ``freq="D"`` and times divided by 7 gives the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.errors import (
    ChurnDataError,
    DataWarning,
    Problem,
    example_rows,
    file_row_numbers,
    format_rows,
    plural,
    verb,
)

WEEK = np.timedelta64(7, "D")
_ID, _DAY, _SPEND = "_id", "_day", "_spend"


@dataclass(frozen=True)
class PurchaseSummary:
    """A log summarised per customer at a calibration end, with an optional holdout period.

    Attributes
    ----------
    customers : DataFrame
        One row per customer: the user's id column (under its own name), then
        ``frequency, recency_weeks, age_weeks, spend_purchases, monetary_value, total_spend,
        first_purchase, last_purchase`` and, with a holdout, ``holdout_purchases``.
    id_column : str
        The user's customer column.
    start, calibration_end : Timestamp
        The log's first purchase day, and the last day the models learn from.
    holdout_end : Timestamp or None
        The last day of the holdout period, when there is one.
    repeat_days : Series of datetime
        Every repeat purchase day of these customers up to the holdout end (or the calibration
        end): the actual line of the cumulative holdout chart.
    has_amount : bool
        Whether the log had an amount column (else no spend model and no CLV).
    warnings : tuple of DataWarning
        What was odd but usable, and what was left out.
    """

    customers: pd.DataFrame
    id_column: str
    start: pd.Timestamp
    calibration_end: pd.Timestamp
    holdout_end: pd.Timestamp | None
    repeat_days: pd.Series
    has_amount: bool
    warnings: tuple[DataWarning, ...] = field(default_factory=tuple)

    @property
    def holdout_weeks(self) -> float | None:
        """Length of the holdout period in weeks (None without one)."""
        if self.holdout_end is None:
            return None
        return float((self.holdout_end - self.calibration_end) / WEEK)

    @property
    def repeat_customers(self) -> int:
        """Customers with at least one repeat purchase day before the calibration end."""
        return int((self.customers[col.FREQUENCY] > 0).sum())

    def to_dict(self) -> dict[str, Any]:
        holdout_end = None if self.holdout_end is None else str(self.holdout_end.date())
        return {
            "calibration_end": str(self.calibration_end.date()),
            "holdout_end": holdout_end,
            "holdout_weeks": self.holdout_weeks,
        }


def summarize_purchases(
    frame: pd.DataFrame,
    customer: str,
    date: str,
    amount: str | None = None,
    *,
    calibration_end: str | Date | pd.Timestamp | None = None,
    holdout_end: str | Date | pd.Timestamp | None = None,
) -> PurchaseSummary:
    """One row per customer from a purchase log (see the module docstring).

    Parameters
    ----------
    frame : DataFrame
        The log: one row per purchase (or purchase line).
    customer, date, amount : str
        Its customer id, purchase date and (optional) money columns, as the user names them.
    calibration_end : date-like, optional
        The last day the models learn from; the log's last purchase day by default.
    holdout_end : date-like, optional
        The end of the holdout period (after the calibration end) to check predictions against.

    Raises
    ------
    ChurnDataError
        Every problem at once: missing columns, no usable purchase, a holdout end without a
        calibration end or not after it, a calibration end before the first purchase.

    Examples
    --------
    >>> log = pd.DataFrame({"id": [1, 1, 1, 2], "day": pd.to_datetime(
    ...     ["2024-01-01", "2024-01-15", "2024-01-15", "2024-01-08"]), "paid": [10, 20, 5, 7]})
    >>> s = summarize_purchases(log, "id", "day", "paid", calibration_end="2024-01-29")
    >>> s.customers[["id", "frequency", "recency_weeks", "age_weeks", "monetary_value"]]
       id  frequency  recency_weeks  age_weeks  monetary_value
    0   1          1            2.0        4.0            25.0
    1   2          0            0.0        3.0             NaN
    """
    missing = [c for c in (customer, date, amount) if c is not None and c not in frame.columns]
    if missing:
        raise ChurnDataError([_no_such_column(c, list(frame.columns)) for c in missing])
    numbers = file_row_numbers(frame)
    warnings: list[DataWarning] = []
    days = _read_days(frame[date], date, numbers, warnings)
    ids = frame[customer]
    blank_id = ids.isna() | ids.astype(str).str.strip().eq("")
    if blank_id.any():
        warnings.append(_left_out(blank_id, customer, numbers))
    spend = _read_spend(frame, amount, numbers, warnings)
    usable = (~blank_id & days.notna()).to_numpy()

    problems: list[Problem] = []
    cal_end = _day(calibration_end)
    hold_end = _day(holdout_end)
    if hold_end is not None and cal_end is None:
        problems.append(_holdout_problem("A holdout end needs a calibration end before it."))
    elif hold_end is not None and cal_end is not None and hold_end <= cal_end:
        problems.append(
            _holdout_problem(
                f"The holdout end ({hold_end.date()}) must be after the calibration end "
                f"({cal_end.date()}): the holdout period follows the calibration period."
            )
        )
    if not usable.any():
        problems.append(
            Problem(
                f"No row has both a customer in {customer} and a date in {date}.",
                column=date,
                fix="Check that these are the customer and purchase date columns.",
                code="no_purchases",
            )
        )
        raise ChurnDataError(problems, warnings)
    start = days[usable].min()
    last = days[usable].max()
    cal_end = last if cal_end is None else cal_end
    if cal_end < start:
        problems.append(
            Problem(
                f"The calibration end ({cal_end.date()}) is before the first purchase in the log "
                f"({start.date()}), so there is nothing to learn from.",
                column=date,
                fix=f"Choose a calibration end between {start.date()} and {last.date()}.",
                code="calibration_before_log",
            )
        )
    if problems:
        raise ChurnDataError(problems, warnings)
    warnings += _period_warnings(days[usable], cal_end, hold_end, last, calibration_end is None)

    log = pd.DataFrame({_ID: ids[usable].to_numpy(), _DAY: days[usable].to_numpy()})
    log[_SPEND] = spend[usable]
    customers, repeat_days = _per_customer(log, cal_end, hold_end, amount is not None)
    return PurchaseSummary(
        customers=customers.rename_axis(customer).reset_index(),
        id_column=customer,
        start=pd.Timestamp(start),
        calibration_end=cal_end,
        holdout_end=hold_end,
        repeat_days=repeat_days,
        has_amount=amount is not None,
        warnings=tuple(warnings),
    )


def _per_customer(
    log: pd.DataFrame, cal_end: pd.Timestamp, hold_end: pd.Timestamp | None, has_amount: bool
) -> tuple[pd.DataFrame, pd.Series]:
    """The customers frame (indexed by id) and every repeat purchase day up to the last end."""
    # One row per customer and purchase day; a day's spend is the sum of its positive amounts.
    daily = log.groupby([_ID, _DAY], sort=True)[_SPEND].sum(min_count=1).reset_index()
    first = daily.groupby(_ID, sort=False)[_DAY].transform("min")
    cohort = first <= cal_end  # customers who first bought after the calibration end are not in it
    daily, first = daily[cohort], first[cohort]
    in_calibration = daily[_DAY] <= cal_end
    calibration = daily[in_calibration]
    repeat = calibration[calibration[_DAY] > first[in_calibration]]
    by_customer = calibration.groupby(_ID, sort=True)
    customers = pd.DataFrame(
        {
            col.FREQUENCY: by_customer.size() - 1,
            col.FIRST_PURCHASE: by_customer[_DAY].min(),
            col.LAST_PURCHASE: by_customer[_DAY].max(),
            col.TOTAL_SPEND: by_customer[_SPEND].sum() if has_amount else np.nan,
        }
    )
    first_day = customers[col.FIRST_PURCHASE]
    customers[col.RECENCY_WEEKS] = (customers[col.LAST_PURCHASE] - first_day) / WEEK
    customers[col.AGE_WEEKS] = (cal_end - first_day) / WEEK
    spent = repeat.groupby(_ID)[_SPEND]
    customers[col.SPEND_PURCHASES] = spent.count().reindex(customers.index, fill_value=0)
    customers[col.MONETARY_VALUE] = spent.mean().reindex(customers.index)
    order = [
        col.FREQUENCY,
        col.RECENCY_WEEKS,
        col.AGE_WEEKS,
        col.SPEND_PURCHASES,
        col.MONETARY_VALUE,
        col.TOTAL_SPEND,
        col.FIRST_PURCHASE,
        col.LAST_PURCHASE,
    ]
    later = daily[~in_calibration & (daily[_DAY] <= (hold_end or cal_end))]
    if hold_end is not None:
        holdout = later.groupby(_ID).size()
        customers[col.HOLDOUT_PURCHASES] = holdout.reindex(customers.index, fill_value=0)
        order.append(col.HOLDOUT_PURCHASES)
    repeat_days = pd.concat([repeat[_DAY], later[_DAY]]).sort_values(ignore_index=True)
    return customers[order], repeat_days


def _read_days(
    values: pd.Series, column: str, numbers: Any, warnings: list[DataWarning]
) -> pd.Series:
    """Purchase days (time of day dropped); YYYYMMDD numbers are read as dates."""
    if pd.api.types.is_datetime64_any_dtype(values):
        days = values
    elif pd.api.types.is_integer_dtype(values) and values.between(10_000_101, 99_991_231).all():
        days = pd.to_datetime(values.astype("string"), format="%Y%m%d", errors="coerce")
    else:
        days = pd.to_datetime(values, errors="coerce", format="mixed")
    if getattr(days.dt, "tz", None) is not None:
        days = days.dt.tz_localize(None)
    days = days.dt.normalize()
    bad = days.isna()
    if bad.any():
        warnings.append(_left_out(bad, column, numbers))
    return days


def _read_spend(
    frame: pd.DataFrame, amount: str | None, numbers: Any, warnings: list[DataWarning]
) -> np.ndarray:
    """Positive amounts; NaN where the amount is zero, negative, blank or not a number."""
    if amount is None:
        return np.full(len(frame), np.nan)
    values = pd.to_numeric(frame[amount], errors="coerce")
    not_positive = ~(values > 0)
    if not_positive.any():
        positions = np.flatnonzero(not_positive.to_numpy())
        rows = example_rows(positions, numbers=numbers)
        count = len(positions)
        warnings.append(
            DataWarning(
                f"{amount} is zero, negative, blank or not a number in {plural(count, 'row')} "
                f"({format_rows(rows)}): left out of the spend model, still counted as "
                "purchase days.",
                column=amount,
                rows=rows,
                fix="Remove refunds and test orders from the log if they are not purchases.",
                code="amount_not_positive",
            )
        )
    return values.where(~not_positive).to_numpy(float)


def _period_warnings(
    days: pd.Series,
    cal_end: pd.Timestamp,
    hold_end: pd.Timestamp | None,
    last: pd.Timestamp,
    default_end: bool,
) -> list[DataWarning]:
    found = []
    if cal_end > last:
        found.append(
            DataWarning(
                f"The calibration end ({cal_end.date()}) is after the log's last purchase "
                f"({last.date()}): every customer looks quiet since then.",
                fix="End the calibration on the day the log was taken.",
                code="calibration_after_log",
            )
        )
    if hold_end is not None and hold_end > last:
        found.append(
            DataWarning(
                f"The holdout end ({hold_end.date()}) is after the log's last purchase "
                f"({last.date()}); purchases after that are unknown, so the holdout check "
                "undercounts them.",
                fix="End the holdout on the day the log was taken.",
                code="holdout_after_log",
            )
        )
    if not default_end and hold_end is None and (days > cal_end).any():
        count = int((days > cal_end).sum())
        found.append(
            DataWarning(
                f"{plural(count, 'purchase row')} after the calibration end "
                f"({cal_end.date()}) {verb(count, 'is', 'are')} not used.",
                fix="Give a holdout end to check the predictions against them.",
                code="after_calibration_unused",
            )
        )
    return found


def _left_out(mask: pd.Series, column: str, numbers: Any) -> DataWarning:
    positions = np.flatnonzero(mask.to_numpy())
    rows = example_rows(positions, numbers=numbers)
    count = len(positions)
    return DataWarning(
        f"{column} is blank or cannot be read in {plural(count, 'row')} ({format_rows(rows)}); "
        f"{verb(count, 'it is', 'they are')} left out.",
        column=column,
        rows=rows,
        fix=f"Fill in {column} on those rows if they are purchases.",
        code="rows_left_out",
    )


def _day(value: str | Date | pd.Timestamp | None) -> pd.Timestamp | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return pd.Timestamp(value).normalize()
    except (ValueError, TypeError) as error:
        raise ChurnDataError(
            [
                Problem(
                    f'"{value}" is not a date.',
                    fix="Write dates as YYYY-MM-DD, e.g. 1997-09-30.",
                    code="bad_date",
                )
            ]
        ) from error


def _holdout_problem(message: str) -> Problem:
    return Problem(
        message,
        fix="Choose a holdout end after the calibration end, or leave it out.",
        code="holdout_before_calibration",
    )


def _no_such_column(column: str, columns: list[str]) -> Problem:
    shown = ", ".join(str(c) for c in columns[:20]) + (
        f" and {len(columns) - 20} more" if len(columns) > 20 else ""
    )
    return Problem(
        f'There is no column "{column}"; the columns are: {shown}.',
        column=column,
        fix="Check the spelling (it is case-sensitive).",
        code="no_such_column",
    )
