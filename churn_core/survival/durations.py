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

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from churn_core.errors import ChurnDataError, DataWarning, Problem, example_rows, plural, verb
from churn_core.errors import file_row_numbers as _file_rows
from churn_core.schema import (
    Profile,
    Role,
    get_churned,
    label_counts,
    name_words,
    value_key,
    word_vote,
)

DAYS_PER_MONTH = 30.4375
#: Months per unit of a tenure column, by the unit its name mentions (months otherwise).
UNIT_MONTHS: dict[str, float] = {
    "days": 1 / DAYS_PER_MONTH,
    "weeks": 7 / DAYS_PER_MONTH,
    "months": 1.0,
    "years": 12.0,
}
_UNIT_WORDS = {
    "day": "days",
    "days": "days",
    "d": "days",
    "week": "weeks",
    "weeks": "weeks",
    "wk": "weeks",
    "year": "years",
    "years": "years",
    "yr": "years",
    "yrs": "years",
}
#: A tenure of whole numbers no larger than this, with no unit in its name, counts years: few
#: businesses measure months and have kept nobody longer than 15 (bank files count years).
MAX_YEARS_TENURE = 15
_HINT_WORDS = {"tenure", "months", "month", "days", "years", "since", "duration", "lifetime"}


@dataclass(frozen=True)
class DurationSource:
    """Which columns give each customer's duration; JSON-serialisable (stored with a curve)."""

    tenure_column: str | None = None
    tenure_unit: str = "months"
    signup_column: str | None = None
    end_column: str | None = None
    #: Why the tenure is read in that unit, when its name does not say (see get_tenure_unit).
    unit_reason: str = ""

    def describe(self) -> str:
        """``"TenureMonths (read as months)"`` or ``"SignupDate to ChurnDate (or today)"``."""
        if self.tenure_column:
            why = f": {self.unit_reason}" if self.unit_reason else ""
            return f"{self.tenure_column} (read as {self.tenure_unit}{why})"
        end = f"{self.end_column} (or the analysis date)" if self.end_column else "analysis date"
        return f"{self.signup_column} to {end}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DurationSource:
        return cls(
            data.get("tenure_column"),
            str(data.get("tenure_unit") or "months"),
            data.get("signup_column"),
            data.get("end_column"),
            str(data.get("unit_reason") or ""),
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


def find_duration_source(frame: pd.DataFrame, profile: Profile) -> DurationSource:
    """The tenure column, else the signup (and end) date columns, from the profile's roles.

    Raises
    ------
    ChurnDataError
        ``no_durations`` when neither is set, naming the columns that could serve.
    """
    tenure = profile.column_for(Role.TENURE)
    signup = profile.column_for(Role.SIGNUP_DATE)
    end = profile.column_for(Role.END_DATE)
    if tenure is None and signup is None:
        tenure = _tenure_named(frame, profile)  # e.g. a Tenure column with a few negatives
    if tenure is not None:
        unit, reason = get_tenure_unit(tenure, frame[tenure])
        return DurationSource(tenure_column=tenure, tenure_unit=unit, unit_reason=reason)
    if signup is not None:
        return DurationSource(signup_column=signup, end_column=end)
    raise ChurnDataError([_no_durations(frame, profile)])


def _tenure_named(frame: pd.DataFrame, profile: Profile) -> str | None:
    """A number feature named ``tenure`` or ``lifetime`` that detection passed over."""
    for name in profile.columns_with(Role.NUMERIC):
        if set(name_words(name)) & {"tenure", "lifetime"} and _is_number(frame[name]):
            return name
    return None


def _is_number(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def get_tenure_unit(column: str, values: pd.Series | None = None) -> tuple[str, str]:
    """The time unit a tenure column counts, and why when its name does not say.

    The name first (``"TenureDays"`` -> days). Else whole numbers no larger than
    :data:`MAX_YEARS_TENURE` are read as years, anything else as months.

    >>> get_tenure_unit("Tenure_years"), get_tenure_unit("DaysActive")
    (('years', ''), ('days', ''))
    >>> get_tenure_unit("tenure", pd.Series([0, 3, 10]))
    ('years', 'whole numbers from 0 to 10, so most likely years')
    >>> get_tenure_unit("tenure", pd.Series([1, 24, 72]))
    ('months', 'its name does not say')
    """
    for word in name_words(column):
        if word in _UNIT_WORDS:
            return _UNIT_WORDS[word], ""
    numbers = pd.Series(dtype=float) if values is None else pd.to_numeric(values, errors="coerce")
    numbers = numbers.dropna()
    if len(numbers) and (numbers % 1 == 0).all() and 0 <= numbers.max() <= MAX_YEARS_TENURE:
        low, high = int(numbers.min()), int(numbers.max())
        return "years", f"whole numbers from {low} to {high}, so most likely years"
    return "months", "its name does not say"


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
        When no column gives durations, nothing says who left, or no row is usable.
    """
    as_of = as_of or date.today()
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
    return SurvivalData(
        np.where(usable, months, np.nan),
        churned == 1.0,
        usable,
        source,
        as_of,
        warnings,
    )


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


def _no_durations(frame: pd.DataFrame, profile: Profile) -> Problem:
    candidates = []
    for name in frame.columns:
        series = frame[name]
        kind = "date" if pd.api.types.is_datetime64_any_dtype(series) else None
        if kind is None and _is_number(series) and set(name_words(str(name))) & _HINT_WORDS:
            kind = "number"
        if kind and name != profile.label_column:
            candidates.append(f"{name} ({kind})")
    could = (
        f" Columns that could serve: {', '.join(candidates[:6])}."
        if candidates
        else " No column looks like one."
    )
    return Problem(
        "Retention curves and CLV need to know how long each customer has been a customer: a "
        "tenure column (time as a customer, e.g. months) or a signup date (with a churn date "
        f"for customers who left).{could}",
        fix='On the Data page, set a column\'s role to "Tenure (time as a customer)" or '
        '"Signup date", or add such a column to the file.',
        code="no_durations",
    )
