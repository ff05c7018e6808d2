"""Where each customer's duration comes from: a tenure column (and the unit it counts) or
signup and end dates, chosen from the profile's roles; and which columns could serve.

A tenure counts months unless its name says days, weeks or years (``Months_on_book`` says
months); with no unit in its name, whole numbers up to :data:`MAX_YEARS_TENURE` count years.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from churn_core.errors import ChurnDataError, Problem
from churn_core.schema import Profile, Role, name_words, tenure_name_score

DAYS_PER_MONTH = 30.4375
#: Months per unit of a tenure column, by the unit its name mentions (months otherwise).
UNIT_MONTHS: dict[str, float] = {
    "days": 1 / DAYS_PER_MONTH,
    "weeks": 7 / DAYS_PER_MONTH,
    "months": 1.0,
    "years": 12.0,
}
_UNIT_WORDS = {
    "month": "months",
    "months": "months",
    "mo": "months",
    "mon": "months",
    "mos": "months",
    "mth": "months",
    "mths": "months",
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
    """A number feature named like a tenure (``tenure``, ``Months_on_book``) that detection
    passed over, e.g. for a few negative values."""
    for name in profile.columns_with(Role.NUMERIC):
        if tenure_name_score(name_words(name)) >= 3 and _is_number(frame[name]):
            return name
    return None


def get_tenure_candidates(frame: pd.DataFrame, profile: Profile) -> list[str]:
    """Number columns that could be the tenure, most tenure-like first (what a picker offers).

    Never the id, the label, a leak or another ignored column (personal data, row numbers),
    nor a column with negative values; names that say time as a customer come first
    (``Months_on_book`` before ``Months_Inactive_12_mon``).
    """
    allowed = set(profile.columns_with(Role.TENURE, Role.NUMERIC, Role.REVENUE))
    scored = []
    for position, name in enumerate(frame.columns):
        series = frame[name]
        if name not in allowed or not _is_number(series) or (series.dropna() < 0).any():
            continue
        words = set(name_words(str(name)))
        score = tenure_name_score(list(words)) + (1.0 if words & _HINT_WORDS else 0.0)
        if profile.roles.get(name) is Role.TENURE:
            score += 10.0
        scored.append((-score, position, str(name)))
    return [name for _, _, name in sorted(scored)]


def _is_number(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def get_tenure_unit(column: str, values: pd.Series | None = None) -> tuple[str, str]:
    """The time unit a tenure column counts, and why when its name does not say.

    The name first (``"TenureDays"`` -> days, ``"Months_on_book"`` -> months). Else whole
    numbers no larger than :data:`MAX_YEARS_TENURE` are read as years, anything else as months.

    >>> get_tenure_unit("Tenure_years"), get_tenure_unit("DaysActive")
    (('years', ''), ('days', ''))
    >>> get_tenure_unit("tenure", pd.Series([0, 3, 10]))
    ('years', 'whole numbers from 0 to 10, so most likely years')
    >>> get_tenure_unit("tenure", pd.Series([1, 24, 72]))
    ('months', 'its name does not say')
    >>> get_tenure_unit("Months_on_book", pd.Series([13, 14, 15]))
    ('months', '')
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


def _no_durations(frame: pd.DataFrame, profile: Profile) -> Problem:
    numbers = [n for n in get_tenure_candidates(frame, profile) if set(name_words(n)) & _HINT_WORDS]
    dates = [
        str(n)
        for n in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[n]) and n != profile.label_column
    ]
    candidates = [f"{n} (number)" for n in numbers] + [f"{n} (date)" for n in dates]
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
