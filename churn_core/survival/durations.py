"""How long each customer has been (or was) a customer, and whether they left: survival data.

A duration comes from a tenure column (months, unless its name says days, weeks or years) or,
without one, from a signup date to an end date: the churn date for customers who left, the
analysis date for customers still active. The analysis date is chosen when the function runs
(today unless given), never when this module is imported.

Rows that cannot give a duration (missing or negative tenure, unreadable or missing dates, a
signup after the analysis date) are counted, left out, and reported as warnings; a table that
gives no usable duration at all raises one :class:`ChurnDataError` saying what is needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from churn_core.errors import ChurnDataError, DataWarning, Problem, example_rows, plural, verb
from churn_core.errors import file_row_numbers as _file_rows
from churn_core.schema import (
    Profile,
    Role,
    check_one_row_per_customer,
    get_churned,
    label_counts,
    value_key,
    word_vote,
)
from churn_core.survival.sources import (
    DAYS_PER_MONTH,
    UNIT_MONTHS,
    DurationSource,
    find_duration_source,
)
from churn_core.survival.truncation import (
    Truncation,
    find_date_truncation,
    find_tenure_truncation,
)


@dataclass
class SurvivalData:
    """One entry per row of the table: months as a customer, whether they left, usable or not."""

    months: np.ndarray  # float, NaN where unusable
    churned: np.ndarray  # bool
    usable: np.ndarray  # bool
    source: DurationSource
    as_of: date
    warnings: list[DataWarning] = field(default_factory=list)
    #: Month of each customer's life from which the data sees them (delayed entry; 0 unless
    #: the file is left-truncated, see churn_core.survival.truncation); NaN where unusable.
    entry: np.ndarray | None = None
    truncation: Truncation | None = None

    @property
    def entries(self) -> np.ndarray:
        """Delayed entry (months) of the usable rows only; zeros when not truncated."""
        if self.entry is None:
            return np.zeros(self.customers)
        return self.entry[self.usable]

    @property
    def measured_from(self) -> float:
        """The earliest month retention can be measured from (0 unless truncated)."""
        entries = self.entries
        return float(entries.min()) if self.truncation is not None and len(entries) else 0.0

    @property
    def durations(self) -> np.ndarray:
        """Months of the usable rows only (what the survival fits see)."""
        return self.months[self.usable]

    @property
    def events(self) -> np.ndarray:
        """Churned flags of the usable rows only."""
        return self.churned[self.usable]

    @property
    def customers(self) -> int:
        return int(self.usable.sum())

    @property
    def churners(self) -> int:
        return int(self.events.sum())


def get_survival_data(
    frame: pd.DataFrame,
    profile: Profile,
    *,
    as_of: date | None = None,
    tenure_unit: str | None = None,
) -> SurvivalData:
    """Months as a customer and churned yes/no for every row, with what was left out and why.

    Parameters
    ----------
    frame : pd.DataFrame
        The customer table, one row per customer.
    profile : Profile
        Its roles: tenure or signup/end dates, and the churn label (an end date alone also
        says who left).
    as_of : datetime.date, optional
        The analysis date: where active customers' durations end when they come from dates.
        Today (when the function runs) if not given.
    tenure_unit : {"days", "weeks", "months", "years"}, optional
        What the tenure column counts, when the user says so; else read from its name.

    Raises
    ------
    ChurnDataError
        When no column gives durations, nothing says who left, no row is usable, or the
        customer id repeats (a log: roll it up to one row per customer first).
    """
    as_of = as_of or date.today()
    check_one_row_per_customer(frame, profile, "Retention curves and CLV need")
    source = find_duration_source(frame, profile)
    if tenure_unit is not None and source.tenure_column:
        if tenure_unit not in UNIT_MONTHS:
            raise ValueError(
                f"tenure_unit must be one of {', '.join(UNIT_MONTHS)}; got {tenure_unit}."
            )
        if tenure_unit != source.tenure_unit:  # the user's choice needs no reason
            source = replace(source, tenure_unit=tenure_unit, unit_reason="")
    warnings: list[DataWarning] = []
    churned = _churned(frame, profile, source, warnings)
    if source.tenure_column:
        months = _tenure_months(frame, source, warnings)
    else:
        months = _date_months(frame, source, churned, as_of, warnings)
    usable = ~np.isnan(months) & ~np.isnan(churned)
    if not usable.any():
        raise ChurnDataError(
            [
                Problem(
                    f"No customer has a usable duration in {source.describe()}: every row is "
                    "blank, negative or unreadable there.",
                    column=source.tenure_column or source.signup_column,
                    fix="Check that column holds each customer's time as a customer (or signup "
                    "date), or choose another on the Data page.",
                    code="no_usable_durations",
                )
            ],
            warnings,
        )
    entry, truncation = _find_truncation(frame, source, months, churned == 1.0, usable)
    if truncation is not None:
        warnings.append(
            DataWarning(
                truncation.reason,
                column=source.tenure_column or source.signup_column,
                fix="Nothing to do: each customer is counted from when the data sees them. To "
                "measure the early months, export every customer since the start, including "
                "those who left early.",
                code="left_truncated",
            )
        )
    return SurvivalData(
        np.where(usable, months, np.nan),
        churned == 1.0,
        usable,
        source,
        as_of,
        warnings,
        entry,
        truncation,
    )


def _find_truncation(
    frame: pd.DataFrame,
    source: DurationSource,
    months: np.ndarray,
    churned: np.ndarray,
    usable: np.ndarray,
) -> tuple[np.ndarray, Truncation | None]:
    """Delayed entry per row (NaN where unusable) and the truncation found, if any."""
    if source.tenure_column:
        found, truncation = find_tenure_truncation(months[usable], churned[usable])
    else:
        signup = _as_dates(frame[str(source.signup_column)])[usable]
        end = (
            _as_dates(frame[source.end_column])[usable]
            if source.end_column
            else pd.Series(pd.NaT, index=signup.index)
        )
        found, truncation = find_date_truncation(months[usable], churned[usable], signup, end)
    entry = np.full(len(months), np.nan)
    entry[usable] = found
    return entry, truncation


def get_tenure_months(
    frame: pd.DataFrame, source: DurationSource, *, as_of: date | None = None
) -> np.ndarray:
    """Current months as a customer per row, read the way ``source`` says; NaN where unknown.

    For scoring files of current customers with a saved curve: no label needed. Negative or
    unreadable values give NaN. ``as_of`` (today when the function runs) ends date durations.
    """
    if source.tenure_column and source.tenure_column in frame.columns:
        months = pd.to_numeric(frame[source.tenure_column], errors="coerce").to_numpy(float)
        months = months * UNIT_MONTHS.get(source.tenure_unit, 1.0)
    elif source.signup_column and source.signup_column in frame.columns:
        signup = _as_dates(frame[source.signup_column])
        end = pd.Timestamp(as_of or date.today())
        months = ((end - signup).dt.days / DAYS_PER_MONTH).to_numpy(float)
    else:
        return np.full(len(frame), np.nan)
    return np.where(months >= 0, months, np.nan)


def _churned(
    frame: pd.DataFrame, profile: Profile, source: DurationSource, warnings: list[DataWarning]
) -> np.ndarray:
    """1.0 churned, 0.0 active, NaN unknown; from the label, else from a filled end date."""
    label = get_churned(frame, profile)
    if label is not None:
        churned = label.to_numpy(dtype=float, na_value=np.nan)
        column = str(profile.label_column)
        _report(frame, warnings, [(np.isnan(churned), column, f"{column} is blank",
                 "Fill in whether those customers left.", "label_blank")])  # fmt: skip
        return churned
    one_value = _one_valued_label(frame, profile)  # nobody left (or everybody did)
    if one_value is not None:
        return one_value
    end = profile.column_for(Role.END_DATE)
    if end is not None:
        return frame[end].notna().to_numpy(float)
    raise ChurnDataError(
        [
            Problem(
                "Retention curves need to know who left: no churn label and no end date is set.",
                fix='On the Data page, set the column that says who left to "Churn label", or a '
                'column of churn dates to "End / churn date".',
                code="no_events",
            )
        ]
    )


def _one_valued_label(frame: pd.DataFrame, profile: Profile) -> np.ndarray | None:
    """A label with one value that reads as stayed (or left) for everyone; else None."""
    column = profile.label_column
    if column is None:
        return None
    counts = label_counts(frame[column])
    vote = word_vote(value_key(counts.index[0])) if len(counts) == 1 else 0
    if vote == 0:
        return None
    return np.where(frame[column].isna().to_numpy(bool), np.nan, 1.0 if vote > 0 else 0.0)


def _tenure_months(
    frame: pd.DataFrame, source: DurationSource, warnings: list[DataWarning]
) -> np.ndarray:
    column = str(source.tenure_column)
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(float)
    missing, negative = np.isnan(values), values < 0
    text = " or not a number" if (raw.notna().to_numpy(bool) & missing).any() else ""
    _report(frame, warnings, [
        (missing, column, f"{column} is blank{text}", f"Fill in {column} for those customers.",
         "tenure_missing"),
        (negative, column, f"{column} is negative",
         f"A time as a customer cannot be negative: correct {column}.", "tenure_negative"),
    ])  # fmt: skip
    months = values * UNIT_MONTHS.get(source.tenure_unit, 1.0)
    return np.where(negative, np.nan, months)


def _date_months(
    frame: pd.DataFrame,
    source: DurationSource,
    churned: np.ndarray,
    as_of: date,
    warnings: list[DataWarning],
) -> np.ndarray:
    signup_col, end_col = str(source.signup_column), source.end_column
    signup = _as_dates(frame[signup_col])
    _check_some_dates(frame, signup_col, signup)
    end = pd.Series(pd.Timestamp(as_of), index=frame.index)
    if end_col:
        end_dates = _as_dates(frame[end_col])
        _check_some_dates(frame, end_col, end_dates, may_be_empty=True)
        end = end.where(churned != 1.0, end_dates)
    days = (end - signup).dt.days.to_numpy(float)
    no_signup = signup.isna().to_numpy(bool)
    backwards = days < 0
    after = f"after {end_col}" if end_col and (backwards & (churned == 1.0)).any() else ""
    _report(frame, warnings, [
        (no_signup, signup_col, f"{signup_col} is blank or not a readable date",
         "Fill in the signup dates as year-month-day (such as 2024-01-31).", "signup_missing"),
        (~no_signup & np.isnan(days), end_col, f"the customer left but {end_col} is blank or "
         "not a readable date", f"Fill in {end_col} for customers who left.", "end_missing"),
        (backwards, signup_col,
         f"{signup_col} is {after or f'after the analysis date {as_of:%Y-%m-%d}'}",
         "Check those dates, or choose a later analysis date.", "dates_backwards"),
    ])  # fmt: skip
    return np.where(backwards, np.nan, days / DAYS_PER_MONTH)


def _as_dates(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):
        return pd.Series(series.to_numpy(), index=series.index).astype("datetime64[ns]")
    return pd.to_datetime(series, errors="coerce", format="mixed")


def _check_some_dates(
    frame: pd.DataFrame, column: str, dates: pd.Series, may_be_empty: bool = False
) -> None:
    """Raise when a column meant to hold dates has values but none of them reads as a date."""
    filled = frame[column].notna().to_numpy(bool)
    readable = dates.notna().to_numpy(bool)
    if readable.any() or (may_be_empty and not filled.any()):
        return
    rows = np.flatnonzero(filled)
    shown = f' such as "{frame[column].iloc[rows[0]]}" (row {rows[0] + 2})' if len(rows) else ""
    raise ChurnDataError(
        [
            Problem(
                f"{column} must hold dates, but none of its values could be read as a date{shown}.",
                column=column,
                rows=example_rows(rows, numbers=_file_rows(frame)),
                fix="Export dates as year-month-day (such as 2024-01-31), or choose another "
                "column on the Data page.",
                code="unreadable_dates",
            )
        ]
    )


def _report(
    frame: pd.DataFrame,
    warnings: list[DataWarning],
    checks: list[tuple[np.ndarray, str | None, str, str, str]],
) -> None:
    """One warning per check that found rows: (rows, column, what is wrong, fix, code)."""
    numbers = _file_rows(frame)
    for mask, column, what, fix, code in checks:
        count = int(mask.sum())
        if not count:
            continue
        rows = example_rows(np.flatnonzero(mask), numbers=numbers)
        warnings.append(
            DataWarning(
                f"{what} for {plural(count, 'customer')} (e.g. row {rows[0]}); "
                f"{verb(count, 'it is', 'they are')} left out of retention curves and CLV.",
                column=column,
                rows=rows,
                fix=fix,
                code=code,
            )
        )
